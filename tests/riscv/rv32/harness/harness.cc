// The freestanding rv32 AOT harness: runs a module's code compiled by
// `rivet compile --target=riscv32` on rv32 (qemu-riscv32), with rivet's
// relocation core and compiler-helper table and nothing else.
//
//   harness DESCRIPTION COMPILED.wasm [--expect-helpers=NAME,NAME...]
//
// DESCRIPTION comes from describe_module (the instance's initial state and
// each call's result in rivet's interpreter). The harness finds the
// rivet.aot section for its own ABI (ilp32 or ilp32d, as it was built),
// places and relocates the object, binds every undefined symbol to a
// rivet_aot_* runtime helper below or to the helper table's variant for the
// object's float ABI, builds the AotContext the description says, makes
// every call through rivet_entry_<i> and compares results and traps.
// --expect-helpers names helpers the section must list (and that were
// bound), to show that the code calls them rather than using instructions.
// Exit status 0 when everything matches, 1 otherwise.
#include <stddef.h>
#include <stdint.h>

#include "loader/aot_abi.h"
#include "loader/elf/elf_format.h"
#include "loader/helpers/helpers.h"
#include "tests/riscv/rv32/harness/elf_placer.h"
#include "tests/riscv/rv32/harness/system.h"

extern "C" {
// start.S: setjmp/longjmp over the callee-saved registers of this ABI.
struct JumpBuffer {
  alignas(8) uint32_t integer[14];
  alignas(8) uint64_t floating[12];
};
int rivet_rv32_setjmp(JumpBuffer* buffer);
[[noreturn]] void rivet_rv32_longjmp(JumpBuffer* buffer, int value);
}

namespace rivet::rv32 {
namespace {

using aot::AotContext;
using aot::AotFunc;
using aot::AotMemory;
using aot::AotStoreState;
using aot::AotTable;
using helpers::FloatAbi;

#if defined(__riscv_float_abi_double)
constexpr char kHarnessAbi[] = "ilp32d";
#elif defined(__riscv_float_abi_soft)
constexpr char kHarnessAbi[] = "ilp32";
#else
#error "the harness is built for ilp32 or ilp32d"
#endif

constexpr uint32_t kWasmPageSize = 65536;
// Memories are reserved at their maximum up front (so that growth never
// moves them), at most this many pages.
constexpr uint32_t kMaxReservedPages = 1024;
constexpr uint32_t kMachineRiscv32 = 3;  // aot::AotMachine::kRiscv32
// Compiled code may use this much of the stack below the harness's frame
// before it traps as exhausted (qemu gives a process 8 MiB by default).
constexpr uintptr_t kStackBudget = 1u << 20;

int failures = 0;

void Failure(const Text& text) {
  ++failures;
  Print("FAIL ");
  Print(text);
  Print("\n");
}

// ---- Reading bytes: LEB128 and strings (the wasm and rivet.aot formats) ----

struct Reader {
  const uint8_t* at;
  const uint8_t* end;
  bool ok = true;

  uint64_t Leb() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= end) break;
      const uint8_t byte = *at++;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok = false;
    return 0;
  }
  // A LEB128 length and that many bytes.
  const uint8_t* Bytes(size_t& length) {
    length = static_cast<size_t>(Leb());
    if (!ok || length > static_cast<size_t>(end - at)) {
      ok = false;
      return nullptr;
    }
    const uint8_t* bytes = at;
    at += length;
    return bytes;
  }
};

// The parts of a rivet.aot section (loader/aot_section.h) the harness uses.
struct AotSectionView {
  const char* abi = nullptr;
  size_t abi_length = 0;
  const char* cpu = nullptr;
  size_t cpu_length = 0;
  const char* features = nullptr;
  size_t features_length = 0;
  uint32_t helper_count = 0;
  const uint8_t* helpers = nullptr;  // helper_count LEB128-prefixed names
  const uint8_t* object = nullptr;
  size_t object_size = 0;
};

bool DecodeAotSection(const uint8_t* payload, size_t size, AotSectionView& view, Text& error) {
  Reader reader{payload, payload + size};
  const uint64_t version = reader.Leb();
  if (reader.ok && version != aot::kAotAbiVersion) {
    error.Add("the rivet.aot section has ABI version ").Decimal(version);
    error.Add(", the harness ").Decimal(aot::kAotAbiVersion);
    return false;
  }
  const uint64_t machine = reader.Leb();
  if (reader.ok && machine != kMachineRiscv32) return false;  // another target's code
  view.abi = reinterpret_cast<const char*>(reader.Bytes(view.abi_length));
  view.cpu = reinterpret_cast<const char*>(reader.Bytes(view.cpu_length));
  view.features = reinterpret_cast<const char*>(reader.Bytes(view.features_length));
  reader.Leb();  // flags
  reader.Leb();  // opt_level
  reader.Leb();  // size_level
  if (reader.ok && reader.end - reader.at >= 8) {
    reader.at += 8;  // code_hash
  } else {
    reader.ok = false;
  }
  view.helper_count = static_cast<uint32_t>(reader.Leb());
  view.helpers = reader.at;
  for (uint32_t i = 0; i < view.helper_count && reader.ok; ++i) {
    size_t length = 0;
    reader.Bytes(length);
  }
  view.object = reader.Bytes(view.object_size);
  if (!reader.ok) {
    error.Add("a rivet.aot section for riscv32 is truncated or malformed");
    return false;
  }
  return true;
}

// Finds the rivet.aot section for riscv32 with the harness's ABI.
bool FindAotSection(const FileBytes& wasm, AotSectionView& view, Text& error) {
  static const uint8_t kHeader[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (wasm.size < 8 || memcmp(wasm.data, kHeader, 8) != 0) {
    error.Add("not a wasm module (version 1)");
    return false;
  }
  Reader reader{wasm.data + 8, wasm.data + wasm.size};
  while (reader.ok && reader.at < reader.end) {
    const uint8_t id = *reader.at++;
    size_t size = 0;
    const uint8_t* payload = reader.Bytes(size);
    if (!reader.ok || id != 0) continue;
    Reader custom{payload, payload + size};
    size_t name_length = 0;
    const char* name = reinterpret_cast<const char*>(custom.Bytes(name_length));
    if (!custom.ok || !Equal(name, name_length, aot::kAotSectionName)) continue;
    AotSectionView candidate;
    if (!DecodeAotSection(custom.at, static_cast<size_t>(custom.end - custom.at), candidate,
                          error)) {
      if (error.size() != 0) return false;
      continue;
    }
    if (Equal(candidate.abi, candidate.abi_length, kHarnessAbi)) {
      view = candidate;
      return true;
    }
  }
  if (!reader.ok) {
    error.Add("the module's sections are malformed");
  } else {
    error.Add("the module has no rivet.aot section for riscv32 ").Add(kHarnessAbi);
  }
  return false;
}

// ---- The instance, as the description gives it ----

struct Harness {
  AotContext context{};
  AotStoreState store{};
  uint32_t memory_count = 0, table_count = 0, global_count = 0, function_count = 0;
  AotMemory* memories = nullptr;
  uint32_t* memory_max_pages = nullptr;
  AotTable* tables = nullptr;
  uint64_t* global_slots = nullptr;  // two per global
  AotFunc* functions = nullptr;
  JumpBuffer* active_entry = nullptr;  // where a trap unwinds to
  FloatAbi float_abi = FloatAbi::kSoft;
};

Harness harness;

uint8_t* MemoryBytes(uint32_t memory) { return harness.memories[memory].base; }

[[noreturn]] void Trap(uint32_t kind) {
  if (harness.active_entry == nullptr) {
    Print("FAIL a trap outside any entry\n");
    SystemCall(kSysExit, 2);
    __builtin_unreachable();
  }
  // setjmp returns kind + 1, so that kind 0 (unreachable) is not 0.
  rivet_rv32_longjmp(harness.active_entry, static_cast<int>(kind) + 1);
}

bool InBounds(uint32_t memory, uint32_t offset, uint32_t count) {
  return static_cast<uint64_t>(offset) + count <= harness.memories[memory].size;
}

}  // namespace
}  // namespace rivet::rv32

// ---- The runtime helpers compiled code calls (loader/aot_abi.h) ----

extern "C" {
using rivet::rv32::harness;

[[noreturn]] void rivet_aot_trap(rivet_aot_ctx*, uint32_t kind) { rivet::rv32::Trap(kind); }

int32_t rivet_aot_memory_grow(rivet_aot_ctx*, uint32_t memory, uint32_t delta) {
  rivet::aot::AotMemory& view = harness.memories[memory];
  const uint32_t pages = static_cast<uint32_t>(view.size / rivet::rv32::kWasmPageSize);
  if (delta > harness.memory_max_pages[memory] - pages) return -1;
  // The reservation is zero-filled and never shrinks: the new pages are zero.
  view.size += static_cast<uint64_t>(delta) * rivet::rv32::kWasmPageSize;
  return static_cast<int32_t>(pages);
}

void rivet_aot_memory_fill(rivet_aot_ctx*, uint32_t memory, uint32_t dst, uint32_t value,
                           uint32_t count) {
  if (!rivet::rv32::InBounds(memory, dst, count)) {
    rivet::rv32::Trap(rivet::aot::kAotTrapMemoryOutOfBounds);
  }
  memset(rivet::rv32::MemoryBytes(memory) + dst, static_cast<int>(value), count);
}

void rivet_aot_memory_copy(rivet_aot_ctx*, uint32_t dst_memory, uint32_t src_memory, uint32_t dst,
                           uint32_t src, uint32_t count) {
  if (!rivet::rv32::InBounds(dst_memory, dst, count) ||
      !rivet::rv32::InBounds(src_memory, src, count)) {
    rivet::rv32::Trap(rivet::aot::kAotTrapMemoryOutOfBounds);
  }
  memmove(rivet::rv32::MemoryBytes(dst_memory) + dst, rivet::rv32::MemoryBytes(src_memory) + src,
          count);
}
}

namespace rivet::rv32 {
namespace {

struct RuntimeHelper {
  const char* name;
  const void* address;
};
const RuntimeHelper kRuntimeHelpers[] = {
    {"rivet_aot_trap", reinterpret_cast<const void*>(&rivet_aot_trap)},
    {"rivet_aot_memory_grow", reinterpret_cast<const void*>(&rivet_aot_memory_grow)},
    {"rivet_aot_memory_fill", reinterpret_cast<const void*>(&rivet_aot_memory_fill)},
    {"rivet_aot_memory_copy", reinterpret_cast<const void*>(&rivet_aot_memory_copy)},
};

// Binds an undefined symbol: a runtime helper, else the helper table's
// variant for the object's float ABI. 0 (unresolved) for anything else,
// e.g. the runtime helpers for tables, imports and wait/notify, which the
// test modules do not need and the harness does not implement.
uintptr_t ResolveSymbol(const char* name, size_t length, void*) {
  for (const RuntimeHelper& helper : kRuntimeHelpers) {
    if (Equal(name, length, helper.name)) return reinterpret_cast<uintptr_t>(helper.address);
  }
  return reinterpret_cast<uintptr_t>(helpers::FindHelper(name, length, harness.float_abi));
}

// ---- The description ----

struct LineReader {
  const char* at;
  const char* end;
  const char* line_end = nullptr;
  int line_number = 0;

  bool NextLine() {
    if (line_end != nullptr) at = line_end < end ? line_end + 1 : end;
    if (at >= end) return false;
    line_end = at;
    while (line_end < end && *line_end != '\n') ++line_end;
    ++line_number;
    return true;
  }
  // The next space-separated word of the line; false at its end.
  bool Word(const char*& word, size_t& length) {
    while (at < line_end && *at == ' ') ++at;
    word = at;
    while (at < line_end && *at != ' ') ++at;
    length = static_cast<size_t>(at - word);
    return length != 0;
  }
  bool Number(uint64_t& value) {
    const char* word;
    size_t length;
    if (!Word(word, length)) return false;
    const bool hex = length > 2 && word[0] == '0' && word[1] == 'x';
    value = 0;
    for (size_t i = hex ? 2 : 0; i < length; ++i) {
      const char c = word[i];
      uint64_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint64_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<uint64_t>(c - 'a' + 10);
      } else {
        return false;
      }
      value = hex ? (value << 4 | digit) : value * 10 + digit;
    }
    return true;
  }
};

struct Counts {
  uint32_t calls = 0, returned = 0, trapped = 0;
};

Text& LineError(Text& error, const LineReader& lines) {
  return error.Add("description line ").Decimal(static_cast<uint64_t>(lines.line_number)).Add(": ");
}

// Builds the instance from the declarations before the first call.
bool Declare(const char* keyword, size_t keyword_length, LineReader& lines, Text& error) {
  uint64_t a = 0, b = 0;
  if (Equal(keyword, keyword_length, "rivet-rv32-module")) {
    return lines.Number(a) && a == 1;
  }
  if (Equal(keyword, keyword_length, "memory")) {
    if (!lines.Number(a) || !lines.Number(b) || a > b) return false;
    if (b > kMaxReservedPages) b = kMaxReservedPages;  // growth beyond fails
    if (a > b) {
      LineError(error, lines).Add("a memory larger than the harness reserves");
      return false;
    }
    const uint32_t index = harness.memory_count++;
    uint8_t* base = MapPages(static_cast<size_t>(b) * kWasmPageSize);
    if (base == nullptr) {
      LineError(error, lines).Add("cannot reserve the memory");
      return false;
    }
    harness.memories[index] = AotMemory{base, a * kWasmPageSize};
    harness.memory_max_pages[index] = static_cast<uint32_t>(b);
    return true;
  }
  if (Equal(keyword, keyword_length, "table")) {
    if (!lines.Number(a)) return false;
    AotTable& table = harness.tables[harness.table_count++];
    table.elements = AllocateArray<uintptr_t>(static_cast<size_t>(a) + 1);
    table.size = static_cast<uintptr_t>(a);
    return table.elements != nullptr;
  }
  if (Equal(keyword, keyword_length, "global")) {
    if (!lines.Number(a)) return false;
    harness.global_slots[2 * harness.global_count++] = a;
    return true;
  }
  if (Equal(keyword, keyword_length, "types")) {
    if (!lines.Number(a)) return false;
    uintptr_t* ids = AllocateArray<uintptr_t>(static_cast<size_t>(a) + 1);
    for (uint64_t i = 0; i < a; ++i) {
      if (!lines.Number(b)) return false;
      ids[i] = static_cast<uintptr_t>(b);
    }
    harness.context.type_ids = ids;
    return true;
  }
  if (Equal(keyword, keyword_length, "functions")) {
    if (!lines.Number(a)) return false;
    harness.functions = AllocateArray<AotFunc>(static_cast<size_t>(a) + 1);
    harness.context.functions = AllocateArray<AotFunc*>(static_cast<size_t>(a) + 1);
    for (uint64_t i = 0; i < a; ++i) {
      if (!lines.Number(b)) return false;
      harness.functions[i].type_id = static_cast<uintptr_t>(b);
      harness.context.functions[i] = &harness.functions[i];
    }
    harness.function_count = static_cast<uint32_t>(a);
    return true;
  }
  if (Equal(keyword, keyword_length, "data")) {
    const char* hex;
    size_t length;
    if (!lines.Number(a) || !lines.Number(b) || a >= harness.memory_count ||
        !lines.Word(hex, length) || length % 2 != 0) {
      return false;
    }
    if (!InBounds(static_cast<uint32_t>(a), static_cast<uint32_t>(b),
                  static_cast<uint32_t>(length / 2))) {
      LineError(error, lines).Add("data outside the memory");
      return false;
    }
    uint8_t* to = MemoryBytes(static_cast<uint32_t>(a)) + b;
    for (size_t i = 0; i < length; i += 2) {
      auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
      to[i / 2] = static_cast<uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
    }
    return true;
  }
  LineError(error, lines).Add("unknown keyword");
  return false;
}

// Counts the declarations so that the arrays can be allocated first.
void CountDeclarations(const FileBytes& description) {
  LineReader lines{reinterpret_cast<const char*>(description.data),
                   reinterpret_cast<const char*>(description.data) + description.size};
  uint32_t memories = 0, tables = 0, globals = 0;
  while (lines.NextLine()) {
    const char* word;
    size_t length;
    if (!lines.Word(word, length)) continue;
    if (Equal(word, length, "memory")) ++memories;
    if (Equal(word, length, "table")) ++tables;
    if (Equal(word, length, "global")) ++globals;
  }
  harness.memories = AllocateArray<AotMemory>(memories + 1);
  harness.memory_max_pages = AllocateArray<uint32_t>(memories + 1);
  harness.tables = AllocateArray<AotTable>(tables + 1);
  harness.global_slots = AllocateArray<uint64_t>(2 * globals + 2);
  harness.context.memories = AllocateArray<AotMemory*>(memories + 1);
  harness.context.tables = AllocateArray<AotTable*>(tables + 1);
  harness.context.globals = AllocateArray<uint64_t*>(globals + 1);
  for (uint32_t i = 0; i < memories; ++i) harness.context.memories[i] = &harness.memories[i];
  for (uint32_t i = 0; i < tables; ++i) harness.context.tables[i] = &harness.tables[i];
  for (uint32_t i = 0; i < globals; ++i) harness.context.globals[i] = &harness.global_slots[2 * i];
}

using EntryFunction = void (*)(AotContext* context, uint64_t* slots);

// Calls `entry` with `slots`; returns 0 when it returned, else the trap
// kind + 1.
__attribute__((noinline)) int CallEntry(EntryFunction entry, uint64_t* slots) {
  JumpBuffer buffer;
  JumpBuffer* outer = harness.active_entry;
  const int trapped = rivet_rv32_setjmp(&buffer);
  if (trapped == 0) {
    harness.active_entry = &buffer;
    entry(&harness.context, slots);
  }
  harness.active_entry = outer;
  return trapped;
}

// Runs one `call` line and compares the outcome with the interpreter's.
bool RunCall(LineReader& lines, const PlacedImage& image, Counts& counts, Text& error) {
  uint64_t index = 0, param_count = 0, expected_count = 0;
  const char* name;
  size_t name_length;
  if (!lines.Number(index) || !lines.Word(name, name_length) || !lines.Number(param_count)) {
    return false;
  }
  constexpr size_t kMaxSlots = 16;
  uint64_t slots[kMaxSlots] = {};
  uint64_t params[kMaxSlots] = {};
  if (param_count > kMaxSlots) return false;
  for (uint64_t i = 0; i < param_count; ++i) {
    if (!lines.Number(params[i])) return false;
    slots[i] = params[i];
  }
  const char* outcome;
  size_t outcome_length;
  if (!lines.Word(outcome, outcome_length)) return false;
  const bool expect_trap = Equal(outcome, outcome_length, "traps");
  if (!expect_trap && !Equal(outcome, outcome_length, "returns")) return false;
  // "traps KIND" or "returns COUNT RESULT..."
  uint64_t expected[kMaxSlots] = {};
  if (expect_trap) {
    if (!lines.Number(expected[0])) return false;
  } else {
    if (!lines.Number(expected_count) || expected_count > kMaxSlots) return false;
    for (uint64_t i = 0; i < expected_count; ++i) {
      if (!lines.Number(expected[i])) return false;
    }
  }

  Text entry_name;
  entry_name.Add(aot::kEntrySymbolPrefix).Decimal(index);
  auto entry = reinterpret_cast<EntryFunction>(FindSymbol(image, entry_name.c_str()));
  if (entry == nullptr) {
    LineError(error, lines).Add("the object has no ").Add(entry_name.c_str());
    return false;
  }
  ++counts.calls;
  const int trapped = CallEntry(entry, slots);

  Text call;
  call.Add(name, name_length).Add("(");
  for (uint64_t i = 0; i < param_count; ++i) call.Add(i == 0 ? "" : ", ").Hex(params[i]);
  call.Add(")");
  if (expect_trap) {
    if (trapped == 0) {
      Text text;
      text.Add(call.c_str())
          .Add(" returned ")
          .Hex(slots[0])
          .Add("; the interpreter trapped (kind ");
      Failure(text.Decimal(expected[0]).Add(")"));
    } else if (static_cast<uint64_t>(trapped - 1) != expected[0]) {
      Text text;
      text.Add(call.c_str()).Add(" trapped with kind ").Decimal(trapped - 1);
      Failure(text.Add(", the interpreter with ").Decimal(expected[0]));
    } else {
      ++counts.trapped;
    }
    return true;
  }
  if (trapped != 0) {
    Text text;
    text.Add(call.c_str()).Add(" trapped (kind ").Decimal(trapped - 1).Add("); the interpreter ");
    Failure(text.Add("returned ").Hex(expected_count == 0 ? 0 : expected[0]));
    return true;
  }
  for (uint64_t i = 0; i < expected_count; ++i) {
    // An i32 or f32 result fills only the low half of its slot.
    const uint64_t got = slots[i], want = expected[i];
    if (got != want && (want >> 32 != 0 || static_cast<uint32_t>(got) != want)) {
      Text text;
      text.Add(call.c_str()).Add(" result ").Decimal(i).Add(" = ").Hex(got);
      Failure(text.Add(", the interpreter says ").Hex(want));
      return true;
    }
  }
  ++counts.returned;
  return true;
}

// Checks that every helper named in `expected` (comma-separated) is listed
// by the section and bound.
void CheckExpectedHelpers(const AotSectionView& section, const char* expected) {
  while (*expected != '\0') {
    size_t length = 0;
    while (expected[length] != '\0' && expected[length] != ',') ++length;
    bool listed = false;
    Reader reader{section.helpers, section.object};
    for (uint32_t i = 0; i < section.helper_count; ++i) {
      size_t helper_length = 0;
      const char* helper = reinterpret_cast<const char*>(reader.Bytes(helper_length));
      if (helper_length == length && memcmp(helper, expected, length) == 0) listed = true;
    }
    Text text;
    text.Add(expected, length);
    if (!listed) {
      Failure(text.Add(": expected among the helpers the code calls, but it is not"));
    } else if (ResolveSymbol(expected, length, nullptr) == 0) {
      Failure(text.Add(": not in the helper table"));
    }
    expected += length;
    if (*expected == ',') ++expected;
  }
}

int Run(int argc, char** argv) {
  if (argc < 3) {
    Print("usage: harness DESCRIPTION COMPILED.wasm [--expect-helpers=NAME,...]\n");
    return 2;
  }
  const char* expected_helpers = "";
  for (int i = 3; i < argc; ++i) {
    const char kFlag[] = "--expect-helpers=";
    if (memcmp(argv[i], kFlag, sizeof(kFlag) - 1) == 0)
      expected_helpers = argv[i] + sizeof(kFlag) - 1;
  }
  Text error;
  FileBytes description, wasm;
  AotSectionView section;
  if (!ReadWholeFile(argv[1], description, error) || !ReadWholeFile(argv[2], wasm, error) ||
      !FindAotSection(wasm, section, error)) {
    Failure(error);
    return 1;
  }

  // The helpers' float ABI is the object's, as its e_flags say (what the
  // hosted loader decides it by, too).
  PlacedImage image;
  const uint32_t elf_flags =
      section.object_size >= elf::kEhdr32Size ? elf::ReadLe32(section.object + 36) : 0;
  switch (elf_flags & elf::kEfRiscvFloatAbiMask) {
    case elf::kEfRiscvFloatAbiSingle:
      harness.float_abi = FloatAbi::kSingle;
      break;
    case elf::kEfRiscvFloatAbiDouble:
      harness.float_abi = FloatAbi::kDouble;
      break;
    default:
      harness.float_abi = FloatAbi::kSoft;
      break;
  }
  if (!PlaceObject(section.object, section.object_size, ResolveSymbol, nullptr, image, error)) {
    Text text;
    text.Add("AOT module load failed: ").Add(error.c_str());
    Failure(text);
    return 1;
  }
  {
    Text text;
    text.Add(argv[2]).Add(": ").Add(section.cpu, section.cpu_length).Add(" [");
    text.Add(section.features, section.features_length).Add("] ").Add(kHarnessAbi);
    text.Add(": loaded ").Decimal(image.section_count).Add(" sections, applied ");
    text.Decimal(image.relocation_count)
        .Add(" relocations, bound ")
        .Decimal(image.resolved_symbols);
    text.Add(" symbols (").Decimal(section.helper_count).Add(" helpers listed), ");
    text.Decimal(image.calls_through_stubs).Add(" calls through stubs\n");
    Print(text);
    Print("  helpers:");
    Reader reader{section.helpers, section.object};
    for (uint32_t i = 0; i < section.helper_count; ++i) {
      size_t length = 0;
      const char* helper = reinterpret_cast<const char*>(reader.Bytes(length));
      Text name;
      Print(name.Add(" ").Add(helper, length));
    }
    Print("\n");
  }
  CheckExpectedHelpers(section, expected_helpers);

  int stack_marker = 0;
  harness.store.stack_limit = reinterpret_cast<uintptr_t>(&stack_marker) - kStackBudget;
  harness.context.store = &harness.store;
  CountDeclarations(description);

  LineReader lines{reinterpret_cast<const char*>(description.data),
                   reinterpret_cast<const char*>(description.data) + description.size};
  Counts counts;
  bool functions_bound = false;
  while (lines.NextLine()) {
    const char* keyword;
    size_t keyword_length;
    if (!lines.Word(keyword, keyword_length)) continue;
    bool ok;
    if (Equal(keyword, keyword_length, "call")) {
      if (!functions_bound) {
        // Each defined function's native code, for references to it.
        for (uint32_t i = 0; i < harness.function_count; ++i) {
          Text symbol;
          symbol.Add(aot::kFuncSymbolPrefix).Decimal(i);
          harness.functions[i].code = FindSymbol(image, symbol.c_str());
          harness.functions[i].context = &harness.context;
        }
        functions_bound = true;
      }
      ok = RunCall(lines, image, counts, error);
    } else {
      ok = Declare(keyword, keyword_length, lines, error);
    }
    if (!ok) {
      if (error.size() == 0) LineError(error, lines).Add("malformed");
      Failure(error);
      return 1;
    }
  }
  Text summary;
  summary.Add(failures == 0 ? "PASS " : "FAIL ").Add(argv[2]).Add(": ").Decimal(counts.calls);
  summary.Add(" calls, ").Decimal(counts.returned).Add(" returned and ").Decimal(counts.trapped);
  summary.Add(" trapped as in the interpreter");
  if (failures != 0) summary.Add(", ").Decimal(static_cast<uint64_t>(failures)).Add(" failures");
  Print(summary.Add("\n"));
  return failures == 0 && counts.calls != 0 ? 0 : 1;
}

}  // namespace
}  // namespace rivet::rv32

// Called by _start (start.S) with the initial stack pointer: argc, argv...
extern "C" int HarnessMain(long* stack) {
  const int argc = static_cast<int>(stack[0]);
  char** argv = reinterpret_cast<char**>(stack + 1);
  return rivet::rv32::Run(argc, argv);
}
