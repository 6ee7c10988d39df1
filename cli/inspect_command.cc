// rivet inspect FILE.wasm [--host=PROFILE]
// Prints the module's sections, its imports and exports, every rivet.aot
// section's metadata and needs, and the module manager's decision for this
// machine or for a named host profile (LoadedModule::Explain). Portable: no
// compiler, so firmware developers can ask it about their profile anywhere.
#include "cli/inspect_command.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/file_util.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"
#include "loader/module.h"
#include "runtime/host_profile.h"
#include "runtime/module_manager.h"
#include "runtime/string_util.h"

namespace rivet::cli {
namespace {

constexpr char kUsage[] =
    "usage: rivet inspect [--host=PROFILE] FILE.wasm\n"
    "\n"
    "Prints FILE.wasm's sections (id or name, offset, size), its imports and\n"
    "exports, each rivet.aot section's target (machine, ABI, CPU, features,\n"
    "flags, optimisation levels, AOT ABI version, code hash and whether it\n"
    "matches the module, object size), the ISA extensions its code needs and\n"
    "the symbols it calls: rivet runtime helpers, compiler helpers (with the\n"
    "--cpu-features flag that avoids each) or unknown ones. Then the engine\n"
    "rivet would choose, as \"engine: aot\" or \"engine: interp\", and why.\n"
    "\n"
    "Options:\n"
    "  --host=PROFILE   decide for that machine instead of this one; the AOT\n"
    "                   code is relocated into a scratch buffer, never run:\n"
    "                     riscv32:rv32imac:ilp32   riscv64:rv64gc:lp64d\n"
    "                     x86_64:+sse4.1,+popcnt\n";

std::string_view SectionName(uint8_t id) {
  static constexpr std::string_view kNames[] = {
      "custom", "type", "import", "function", "table",   "memory", "global",
      "export", "start", "element", "code",   "data",    "datacount",
  };
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

std::string Hex(uint64_t value, int digits) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%0*llx", digits, static_cast<unsigned long long>(value));
  return text;
}

// Reads an unsigned LEB128 at bytes[*pos]; nullopt past the end.
std::optional<uint64_t> ReadLeb(std::span<const uint8_t> bytes, size_t* pos) {
  uint64_t value = 0;
  for (int shift = 0; *pos < bytes.size() && shift < 64; shift += 7) {
    uint8_t byte = bytes[(*pos)++];
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

struct RawSection {
  uint8_t id;
  size_t offset;  // of the id byte
  size_t payload_offset;
  size_t size;
  std::string custom_name;
};

// The module's sections in order (it has decoded, so they are well formed).
std::vector<RawSection> Sections(std::span<const uint8_t> bytes) {
  std::vector<RawSection> sections;
  size_t pos = 8;  // magic and version
  while (pos < bytes.size()) {
    RawSection section;
    section.offset = pos;
    section.id = bytes[pos++];
    std::optional<uint64_t> size = ReadLeb(bytes, &pos);
    if (!size || *size > bytes.size() - pos) break;
    section.payload_offset = pos;
    section.size = *size;
    if (section.id == 0) {
      size_t name_pos = pos;
      std::optional<uint64_t> length = ReadLeb(bytes, &name_pos);
      if (length && *length <= pos + *size - name_pos) {
        section.custom_name.assign(reinterpret_cast<const char*>(&bytes[name_pos]), *length);
      }
    }
    sections.push_back(section);
    pos += *size;
  }
  return sections;
}

std::string TypeOf(const Module& module, ExternKind kind, uint32_t index) {
  switch (kind) {
    case ExternKind::kFunc:
      return module.FunctionType(index).ToString();
    case ExternKind::kTable:
      return std::string(ValTypeName(module.tables[index].elem_type)) + ", min " +
             std::to_string(module.tables[index].limits.min);
    case ExternKind::kMemory: {
      const Limits& limits = module.memories[index].limits;
      std::string text = std::to_string(limits.min) + " pages";
      if (limits.max) text += ", max " + std::to_string(*limits.max);
      if (limits.shared) text += ", shared";
      return text;
    }
    case ExternKind::kGlobal:
      return std::string(module.globals[index].is_mutable ? "mut " : "") +
             std::string(ValTypeName(module.globals[index].type));
  }
  return "";
}

// "3 (2 func, 1 memory)".
template <typename Entry>
std::string KindSummary(const std::vector<Entry>& entries) {
  size_t counts[4] = {0, 0, 0, 0};
  for (const Entry& entry : entries) ++counts[static_cast<size_t>(entry.kind)];
  std::vector<std::string> parts;
  for (ExternKind kind :
       {ExternKind::kFunc, ExternKind::kTable, ExternKind::kMemory, ExternKind::kGlobal}) {
    size_t count = counts[static_cast<size_t>(kind)];
    if (count > 0) parts.push_back(std::to_string(count) + " " + std::string(ExternKindName(kind)));
  }
  std::string text = std::to_string(entries.size());
  if (!parts.empty()) text += " (" + Join(parts, ", ") + ")";
  return text;
}

// `in_this_process`: the decision is for the machine rivet runs on, so
// compiler helpers resolve only if this build has their float ABI variant.
void PrintAotSection(std::ostream& out, std::span<const uint8_t> payload, uint64_t module_hash,
                     bool in_this_process) {
  Result<aot::AotSection> decoded = aot::DecodeAotSection(payload);
  if (!decoded.ok()) {
    out << "  unreadable: " << decoded.error().message << "\n";
    return;
  }
  const aot::AotSection& section = *decoded;
  out << "  machine:      " << aot::MachineName(section.machine) << "\n"
      << "  abi:          " << section.abi << "\n"
      << "  cpu:          " << section.cpu << "\n"
      << "  features:     " << (section.features.empty() ? "(none)" : section.features) << "\n"
      << "  flags:        " << (section.guard_pages() ? "guard-pages" : "none") << "\n"
      << "  levels:       -O" << section.opt_level << ", size level " << section.size_level
      << "\n"
      << "  abi version:  " << section.abi_version << " (this runtime: " << aot::kAotAbiVersion
      << ")\n"
      << "  code hash:    " << Hex(section.code_hash, 16)
      << (section.code_hash == module_hash ? " (matches this module)"
                                           : " (does not match this module's " +
                                                 Hex(module_hash, 16) + ")")
      << "\n"
      << "  object:       " << section.object.size() << " bytes\n";
  std::vector<std::string> extensions = RequiredExtensions(section);
  out << "  needs ISA extensions: " << (extensions.empty() ? "none" : Join(extensions, ", "))
      << "\n";
  std::vector<NeededSymbol> symbols = NeededSymbols(section, in_this_process);
  out << "  calls " << symbols.size() << " symbol" << (symbols.size() == 1 ? "" : "s")
      << (symbols.empty() ? "\n" : ":\n");
  for (const NeededSymbol& symbol : symbols) {
    std::string line = "    " + symbol.name;
    line.resize(std::max<size_t>(line.size() + 1, 36), ' ');
    line += SymbolSourceName(symbol.source);
    if (symbol.source == SymbolSource::kCompilerHelper) {
      line += symbol.avoiding_feature.empty() ? " (no feature avoids it)"
                                              : " (avoided by " + symbol.avoiding_feature + ")";
    }
    if (!symbol.resolves) line += " (does not resolve)";
    out << line << "\n";
  }
}

}  // namespace

int InspectCommand(std::span<const std::string> args) {
  std::optional<HostProfile> host;
  std::optional<std::string> path;
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitSuccess;
    }
    if (arg.rfind("--host=", 0) == 0) {
      Result<HostProfile> profile = ParseHostProfile(arg.substr(7));
      if (!profile.ok()) {
        std::cerr << "rivet inspect: " << profile.error().message << "\n";
        return kExitUsage;
      }
      host = *profile;
    } else if (arg.size() > 1 && arg[0] == '-') {
      std::cerr << "rivet inspect: unknown option " << arg << "\n" << kUsage;
      return kExitUsage;
    } else if (path) {
      std::cerr << "rivet inspect: one file at a time\n" << kUsage;
      return kExitUsage;
    } else {
      path = arg;
    }
  }
  if (!path) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  Result<std::vector<uint8_t>> bytes = ReadFile(*path);
  if (!bytes.ok()) {
    std::cerr << "rivet inspect: " << bytes.error().message << "\n";
    return kExitUsage;
  }
  LoadOptions options;
  options.host = host;
  Result<LoadedModule> loaded = LoadModule(std::move(*bytes), options);
  if (!loaded.ok()) {
    std::cerr << *path << ": error: " << loaded.error().message << "\n";
    return kExitFailure;
  }
  const Module& module = *loaded->module;
  std::span<const uint8_t> wasm = module.bytes();
  std::ostringstream out;
  out << *path << ": " << wasm.size() << " bytes\n";

  std::vector<RawSection> sections = Sections(wasm);
  out << "sections: " << sections.size() << "\n"
      << "  id  name                offset        size\n";
  for (const RawSection& section : sections) {
    std::string name = section.id == 0 ? "\"" + section.custom_name + "\""
                                       : std::string(SectionName(section.id));
    char line[128];
    std::snprintf(line, sizeof line, "  %2u  %-18s  %-10s  %8zu\n", section.id, name.c_str(),
                  Hex(section.offset, 8).c_str(), section.size);
    out << line;
  }

  out << "imports: " << KindSummary(module.imports) << "\n";
  for (const Import& import : module.imports) {
    out << "  " << ExternKindName(import.kind) << " " << import.module << "." << import.name
        << " " << TypeOf(module, import.kind, import.index) << "\n";
  }
  out << "exports: " << KindSummary(module.exports) << "\n";
  for (const Export& exported : module.exports) {
    out << "  " << ExternKindName(exported.kind) << " " << exported.name << " "
        << TypeOf(module, exported.kind, exported.index) << "\n";
  }

  Result<uint64_t> module_hash = aot::ModuleCodeHash(wasm);
  size_t aot_index = 0;
  for (const RawSection& section : sections) {
    if (section.id != 0 || section.custom_name != aot::kAotSectionName) continue;
    size_t name_end = section.payload_offset;
    ReadLeb(wasm, &name_end);
    name_end += section.custom_name.size();
    std::span<const uint8_t> payload =
        wasm.subspan(name_end, section.payload_offset + section.size - name_end);
    out << "rivet.aot #" << aot_index++ << " (section at " << Hex(section.offset, 8) << ")\n";
    PrintAotSection(out, payload, module_hash.ok() ? *module_hash : 0, !host.has_value());
  }
  if (aot_index == 0) out << "rivet.aot: none\n";

  out << "decision for " << (host ? host->ToString() : "this machine");
  if (!loaded->host.source.empty()) out << " (" << loaded->host.source << ")";
  out << ":\n" << loaded->Explain();
  std::cout << out.str();
  return kExitSuccess;
}

}  // namespace rivet::cli
