// What the RISC-V tests share: the objects compiled at build time (see
// BUILD), a resolver that gives each external symbol a fixed fake address, and
// instruction decoders to follow calls.
#ifndef RIVET_LOADER_ELF_RISCV_TEST_UTIL_H_
#define RIVET_LOADER_ELF_RISCV_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "loader/aot_section.h"
#include "loader/elf/aot_image.h"

namespace rivet::elf::test {

struct RiscvObject {
  const char* name;  // loader/elf/testdata/<name>.o
  aot::AotMachine machine;
};

// Must match RISCV_OBJECTS and RISCV_ASM_OBJECTS in BUILD.
inline constexpr RiscvObject kRiscvObjects[] = {
    {"rv64gc_lp64d_medlow_relax_O2", aot::AotMachine::kRiscv64},
    {"rv64gc_lp64d_medany_norelax_O2", aot::AotMachine::kRiscv64},
    {"rv64gc_lp64d_medany_relax_O0", aot::AotMachine::kRiscv64},
    {"rv64i_lp64_medlow_norelax_O0", aot::AotMachine::kRiscv64},
    {"rv64i_lp64_medany_relax_O2", aot::AotMachine::kRiscv64},
    {"rv64gc_lp64d_pic_relax_O2", aot::AotMachine::kRiscv64},
    {"rv32i_ilp32_relax_O2", aot::AotMachine::kRiscv32},
    {"rv32imac_ilp32_norelax_O2", aot::AotMachine::kRiscv32},
    {"rv32imafdc_ilp32d_medany_relax_O0", aot::AotMachine::kRiscv32},
    {"asm_rv64gc", aot::AotMachine::kRiscv64},
    {"asm_rv32imac", aot::AotMachine::kRiscv32},
    {"asm_rv32i", aot::AotMachine::kRiscv32},
};

inline void PrintTo(const RiscvObject& object, std::ostream* os) { *os << object.name; }

inline std::string ObjectPath(const RiscvObject& object) {
  return std::string("loader/elf/testdata/") + object.name + ".o";
}

// Gives every symbol asked for the next address from `next`, `step` apart,
// and remembers them (for --defsym).
class FakeSymbols {
 public:
  FakeSymbols(uint64_t first, uint64_t step) : next_(first), step_(step) {}
  SymbolResolver Resolver() {
    return [this](std::string_view name) -> std::optional<uint64_t> {
      auto [entry, inserted] = addresses_.emplace(std::string(name), next_);
      if (inserted) next_ += step_;
      return entry->second;
    };
  }
  const std::map<std::string, uint64_t>& addresses() const { return addresses_; }

 private:
  uint64_t next_;
  uint64_t step_;
  std::map<std::string, uint64_t> addresses_;
};

inline int64_t SignExtend(uint64_t value, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  value &= (sign << 1) - 1;
  return static_cast<int64_t>((value ^ sign) - sign);
}
// The offset an AUIPC + I-type pair adds to the AUIPC's address.
inline int64_t AuipcPairOffset(uint32_t auipc, uint32_t itype) {
  return SignExtend(auipc & 0xfffff000u, 32) + SignExtend(itype >> 20, 12);
}
// A JAL's offset.
inline int64_t JalOffset(uint32_t jal) {
  const uint64_t offset = (((jal >> 31) & 1) << 20) | (((jal >> 21) & 0x3ff) << 1) |
                          (((jal >> 20) & 1) << 11) | (((jal >> 12) & 0xff) << 12);
  return SignExtend(offset, 21);
}

}  // namespace rivet::elf::test

#endif  // RIVET_LOADER_ELF_RISCV_TEST_UTIL_H_
