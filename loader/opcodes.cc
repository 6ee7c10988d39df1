#include "loader/opcodes.h"

#include <array>

namespace rivet {
namespace {

constexpr uint8_t LetterToType(char c) {
  switch (c) {
    case 'i': return 0x7f;
    case 'l': return 0x7e;
    case 'f': return 0x7d;
    case 'd': return 0x7c;
    case 'v': return 0x7b;
  }
  return 0;
}

constexpr OpInfo MakeInfo(std::string_view name, Imm imm, std::string_view sig,
                          uint8_t access_size) {
  OpInfo info;
  info.name = name;
  info.imm = imm;
  info.access_size = access_size;
  if (!sig.empty()) {
    info.has_signature = true;
    size_t colon = sig.find(':');
    for (size_t i = 0; i < colon; ++i) info.params[info.num_params++] = LetterToType(sig[i]);
    if (colon + 1 < sig.size()) {
      info.result = LetterToType(sig[colon + 1]);
      info.num_results = 1;
    }
  }
  return info;
}

// One dense table per prefix: 0x00 (single byte), 0xFC, 0xFD, 0xFE.
constexpr int PrefixSlot(Opcode opcode) {
  switch (opcode >> 8) {
    case 0x00: return 0;
    case 0xfc: return 1;
    case 0xfd: return 2;
    case 0xfe: return 3;
  }
  return -1;
}

using Table = std::array<std::array<OpInfo, 256>, 4>;

constexpr Table BuildTable() {
  Table table{};
#define RIVET_ADD_OPCODE(name, code, text, imm, sig, size) \
  table[PrefixSlot(code)][(code) & 0xff] = MakeInfo(text, Imm::imm, sig, size);
  RIVET_FOREACH_OPCODE(RIVET_ADD_OPCODE)
#undef RIVET_ADD_OPCODE
  return table;
}

constexpr Table kTable = BuildTable();
constexpr OpInfo kUnknown{};

}  // namespace

const OpInfo& GetOpInfo(Opcode opcode) {
  int slot = PrefixSlot(opcode);
  if (slot < 0) return kUnknown;
  return kTable[slot][opcode & 0xff];
}

}  // namespace rivet
