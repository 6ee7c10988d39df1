// Host side of the rv32 AOT harness: instantiates a module in rivet's
// interpreter, runs the calls a .calls file lists, and prints what the rv32
// harness needs to rebuild the same instance by hand and check its compiled
// code against the interpreter:
//
//   rivet-rv32-module 1
//   memory MIN_PAGES MAX_PAGES        one per memory (max 65536 when none)
//   table SIZE                        one per table (all elements null)
//   global VALUE                      one per global: its value after
//                                     instantiation (slot 0)
//   types COUNT ID...                 per type index, a small id equal for
//                                     equal types (for call_indirect)
//   functions COUNT TYPE_ID...        per function index, its type's id
//   data MEMORY OFFSET HEX            the non-zero bytes of each memory after
//                                     instantiation, in runs of <= 64 bytes
//   call INDEX NAME N ARG... returns M RESULT...
//   call INDEX NAME N ARG... traps KIND
//
// Numbers are hexadecimal with 0x; slots are 64-bit (i32 in the low half).
// The calls run in order in one instance, so each sees the state the ones
// before it left, and the harness must run them in the same order.
//
// A .calls line is `EXPORT ARG...`, one integer argument per parameter
// (decimal, -decimal or 0x hex); '#' starts a comment line. Only integer
// parameters are accepted: floats cross as bit patterns so that every
// expected value is exact.
//
// Usage: describe_module MODULE.wasm MODULE.calls > MODULE.desc
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

namespace rivet {
namespace {

constexpr size_t kDataRunLimit = 64;

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "describe_module: %s\n", message.c_str());
  std::exit(1);
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) Fail("cannot read " + path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// An integer argument as written in a .calls file: decimal, -decimal, 0x
// hex or -0x hex, truncated to the parameter's width.
Slot ParseArgument(const std::string& text, ValType type, const std::string& where) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const bool hex = digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
  char* end = nullptr;
  errno = 0;
  const uint64_t magnitude = std::strtoull(digits.c_str(), &end, hex ? 16 : 10);
  if (digits.empty() || digits[0] == '-' || digits[0] == '+' || *end != '\0' || errno != 0) {
    Fail(where + ": \"" + text + "\" is not an integer");
  }
  const uint64_t value = negative ? uint64_t{0} - magnitude : magnitude;
  switch (type) {
    case ValType::kI32:
      return static_cast<uint32_t>(value);
    case ValType::kI64:
      return value;
    default:
      Fail(where + ": parameters of type " + std::string(ValTypeName(type)) +
           " are not supported (pass floats as integer bit patterns)");
  }
}

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

void DescribeInstance(const Module& module, const Instance& instance) {
  for (const Memory* memory : instance.memories) {
    const uint64_t max = memory->type().limits.max.value_or(65536);
    std::printf("memory %s %s\n", Hex(memory->pages()).c_str(), Hex(max).c_str());
  }
  for (const Table* table : instance.tables) {
    if (std::any_of(table->elements.begin(), table->elements.end(),
                    [](Ref element) { return element != 0; })) {
      Fail("the harness supports only tables of null elements (no element segments)");
    }
    std::printf("table %s\n", Hex(table->elements.size()).c_str());
  }
  for (const Global* global : instance.globals) {
    if (global->type.type == ValType::kV128) Fail("v128 globals are not supported");
    std::printf("global %s\n", Hex(global->value[0]).c_str());
  }
  std::printf("types %s", Hex(module.types.size()).c_str());
  for (size_t i = 0; i < module.types.size(); ++i) {
    size_t first_equal = 0;
    while (!(module.types[first_equal] == module.types[i])) ++first_equal;
    std::printf(" %s", Hex(first_equal + 1).c_str());
  }
  std::printf("\n");
  std::printf("functions %s", Hex(instance.functions.size()).c_str());
  for (const FuncInstance* func : instance.functions) {
    size_t first_equal = 0;
    while (!(module.types[first_equal] == func->type)) ++first_equal;
    std::printf(" %s", Hex(first_equal + 1).c_str());
  }
  std::printf("\n");
  for (size_t index = 0; index < instance.memories.size(); ++index) {
    const uint8_t* bytes = instance.memories[index]->data();
    const uint64_t size = instance.memories[index]->size();
    for (uint64_t at = 0; at < size;) {
      if (bytes[at] == 0) {
        ++at;
        continue;
      }
      uint64_t end = at;
      while (end < size && end - at < kDataRunLimit && bytes[end] != 0) ++end;
      std::printf("data %zu %s ", index, Hex(at).c_str());
      for (uint64_t i = at; i < end; ++i) std::printf("%02x", bytes[i]);
      std::printf("\n");
      at = end;
    }
  }
}

void RunCalls(Store& store, const Instance& instance, const std::string& calls_path) {
  std::ifstream calls(calls_path);
  if (!calls) Fail("cannot read " + calls_path);
  std::string line;
  for (int line_number = 1; std::getline(calls, line); ++line_number) {
    const std::string where = calls_path + ":" + std::to_string(line_number);
    std::istringstream words(line);
    std::string name;
    if (!(words >> name) || name[0] == '#') continue;
    const std::optional<Extern> exported = instance.GetExport(name);
    if (!exported.has_value() || exported->kind != ExternKind::kFunc) {
      Fail(where + ": the module exports no function \"" + name + "\"");
    }
    FuncInstance* func = exported->func;
    std::vector<Slot> args;
    std::string word;
    while (words >> word) {
      if (args.size() == func->type.params().size()) Fail(where + ": too many arguments");
      args.push_back(ParseArgument(word, func->type.params()[args.size()], where));
    }
    if (args.size() != func->type.params().size()) Fail(where + ": too few arguments");
    std::printf("call %s %s %s", Hex(func->index).c_str(), name.c_str(), Hex(args.size()).c_str());
    for (Slot arg : args) std::printf(" %s", Hex(arg).c_str());
    std::variant<std::vector<Slot>, Trap> outcome = Invoke(store, func, args);
    if (const Trap* trap = std::get_if<Trap>(&outcome)) {
      std::printf(" traps %s\n", Hex(static_cast<uint32_t>(trap->kind)).c_str());
      continue;
    }
    const std::vector<Slot>& results = std::get<std::vector<Slot>>(outcome);
    for (ValType type : func->type.results()) {
      if (type == ValType::kV128) Fail(where + ": v128 results are not supported");
    }
    std::printf(" returns %s", Hex(results.size()).c_str());
    for (Slot result : results) std::printf(" %s", Hex(result).c_str());
    std::printf("\n");
  }
}

int Main(int argc, char** argv) {
  if (argc != 3) Fail("usage: describe_module MODULE.wasm MODULE.calls");
  Result<std::shared_ptr<const Module>> module = DecodeModule(ReadFile(argv[1]));
  if (!module.ok()) Fail(std::string(argv[1]) + ": " + module.error().message);
  if (!(*module)->imports.empty()) Fail("the harness supports only modules without imports");
  Store store;
  std::variant<Instance*, InstantiateError> instantiated = Instantiate(store, *module, {});
  if (const InstantiateError* error = std::get_if<InstantiateError>(&instantiated)) {
    Fail(std::string(argv[1]) + ": instantiation failed: " + error->trap.message);
  }
  const Instance& instance = *std::get<Instance*>(instantiated);
  std::printf("rivet-rv32-module 1\n");
  DescribeInstance(**module, instance);
  RunCalls(store, instance, argv[2]);
  return 0;
}

}  // namespace
}  // namespace rivet

int main(int argc, char** argv) { return rivet::Main(argc, argv); }
