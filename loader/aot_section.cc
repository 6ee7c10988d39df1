#include "loader/aot_section.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <utility>

#include "loader/aot_abi.h"
#include "loader/reader.h"

namespace rivet::aot {
namespace {

// ---------------------------------------------------------------------------
// The module code hash: XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0),
// written from its published specification. It is fast (8 bytes per step),
// well distributed, and has a fixed, documented output, so a hash recorded
// by one build of rivet stays comparable with any other. It is not
// cryptographic: it detects a module that changed, not one forged to
// collide, which is all an AOT section needs (the code it carries is trusted
// as much as the module that carries it).
//
// What is hashed: the 8-byte header, then every non-custom section as it
// appears in the binary (its id byte, its size LEB128 and its contents), in
// order, as one stream. Custom sections are skipped, so adding or replacing a
// rivet.aot (or name, or any other custom) section keeps the hash.

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ull;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ull;

uint64_t LoadLe64(const uint8_t* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

uint32_t LoadLe32(const uint8_t* p) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

uint64_t Round(uint64_t accumulator, uint64_t input) {
  accumulator += input * kPrime2;
  accumulator = std::rotl(accumulator, 31);
  return accumulator * kPrime1;
}

uint64_t MergeRound(uint64_t hash, uint64_t accumulator) {
  hash ^= Round(0, accumulator);
  return hash * kPrime1 + kPrime4;
}

// Streaming XXH64: the module's non-custom sections are not contiguous, so
// they are fed piece by piece.
class Xxh64 {
 public:
  void Update(std::span<const uint8_t> data) {
    total_length_ += data.size();
    const uint8_t* p = data.data();
    size_t size = data.size();
    if (buffered_ > 0) {
      size_t take = std::min(size, kStripe - buffered_);
      std::memcpy(buffer_.data() + buffered_, p, take);
      buffered_ += take;
      p += take;
      size -= take;
      if (buffered_ < kStripe) return;
      ConsumeStripe(buffer_.data());
      buffered_ = 0;
    }
    for (; size >= kStripe; p += kStripe, size -= kStripe) ConsumeStripe(p);
    std::memcpy(buffer_.data(), p, size);
    buffered_ = size;
  }

  uint64_t Finish() const {
    uint64_t hash;
    if (total_length_ >= kStripe) {
      hash = std::rotl(lanes_[0], 1) + std::rotl(lanes_[1], 7) + std::rotl(lanes_[2], 12) +
             std::rotl(lanes_[3], 18);
      for (uint64_t lane : lanes_) hash = MergeRound(hash, lane);
    } else {
      hash = kPrime5;  // seed 0
    }
    hash += total_length_;
    const uint8_t* p = buffer_.data();
    size_t size = buffered_;
    for (; size >= 8; p += 8, size -= 8) {
      hash ^= Round(0, LoadLe64(p));
      hash = std::rotl(hash, 27) * kPrime1 + kPrime4;
    }
    if (size >= 4) {
      hash ^= uint64_t{LoadLe32(p)} * kPrime1;
      hash = std::rotl(hash, 23) * kPrime2 + kPrime3;
      p += 4;
      size -= 4;
    }
    for (; size > 0; ++p, --size) {
      hash ^= *p * kPrime5;
      hash = std::rotl(hash, 11) * kPrime1;
    }
    hash ^= hash >> 33;
    hash *= kPrime2;
    hash ^= hash >> 29;
    hash *= kPrime3;
    hash ^= hash >> 32;
    return hash;
  }

 private:
  static constexpr size_t kStripe = 32;

  void ConsumeStripe(const uint8_t* p) {
    for (int i = 0; i < 4; ++i) lanes_[i] = Round(lanes_[i], LoadLe64(p + 8 * i));
  }

  // The initial lanes for seed 0.
  std::array<uint64_t, 4> lanes_ = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  std::array<uint8_t, kStripe> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_length_ = 0;
};

// ---------------------------------------------------------------------------
// Section-level walking of a module binary.

constexpr uint8_t kCustomSectionId = 0;
constexpr size_t kHeaderSize = 8;
constexpr uint8_t kWasmMagic[4] = {0x00, 0x61, 0x73, 0x6d};

struct RawSection {
  uint8_t id = 0;
  size_t start = 0;           // offset of the id byte
  size_t payload_offset = 0;  // offset of the contents, after the size
  size_t end = 0;             // one past the contents
  std::string custom_name;    // custom sections only
  size_t custom_payload_offset = 0;  // after the name
};

// Splits `wasm` into its sections without looking inside any but custom
// section names.
Result<std::vector<RawSection>> SplitSections(std::span<const uint8_t> wasm) {
  if (wasm.size() < kHeaderSize || std::memcmp(wasm.data(), kWasmMagic, 4) != 0) {
    return Error{"not a WebAssembly module: the file does not start with \\0asm"};
  }
  std::vector<RawSection> sections;
  Reader reader(wasm.data() + kHeaderSize, wasm.size() - kHeaderSize, kHeaderSize);
  while (!reader.at_end()) {
    RawSection section;
    section.start = reader.offset();
    section.id = reader.U8();
    uint32_t size = reader.U32();
    if (!reader.ok()) {
      return Error{"at offset " + std::to_string(reader.error_offset()) +
                   ": malformed section size: " + reader.error()};
    }
    section.payload_offset = reader.offset();
    if (size > reader.remaining()) {
      return Error{"at offset " + std::to_string(section.start) + ": section of " +
                   std::to_string(size) + " bytes exceeds the " +
                   std::to_string(reader.remaining()) + " bytes left in the module"};
    }
    section.end = section.payload_offset + size;
    if (section.id == kCustomSectionId) {
      Reader name_reader(wasm.data() + section.payload_offset, size, section.payload_offset);
      section.custom_name = name_reader.Name();
      if (!name_reader.ok()) {
        return Error{"at offset " + std::to_string(name_reader.error_offset()) +
                     ": malformed custom section name: " + name_reader.error()};
      }
      section.custom_payload_offset = name_reader.offset();
    }
    reader.Bytes(size);
    sections.push_back(std::move(section));
  }
  return sections;
}

// ---------------------------------------------------------------------------
// Encoding.

void PutLeb(std::vector<uint8_t>& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void PutString(std::vector<uint8_t>& out, std::string_view text) {
  PutLeb(out, text.size());
  out.insert(out.end(), text.begin(), text.end());
}

// ---------------------------------------------------------------------------
// Decoding: every read names its field, and the first failure is reported
// with the offset within the payload.

class PayloadReader {
 public:
  explicit PayloadReader(std::span<const uint8_t> payload)
      : reader_(payload.data(), payload.size(), 0) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t offset() const { return reader_.offset(); }

  uint32_t U32(std::string_view field) {
    if (!ok()) return 0;
    size_t start = reader_.offset();
    uint32_t value = reader_.U32();
    Check(field, start);
    return value;
  }

  std::string String(std::string_view field) {
    if (!ok()) return {};
    size_t start = reader_.offset();
    std::string value = reader_.Name();
    Check(field, start);
    return value;
  }

  uint64_t FixedLe64(std::string_view field) {
    if (!ok()) return 0;
    size_t start = reader_.offset();
    const uint8_t* bytes = reader_.Bytes(8);
    Check(field, start);
    return bytes != nullptr ? LoadLe64(bytes) : 0;
  }

  std::span<const uint8_t> Bytes(std::string_view field, uint32_t size) {
    if (!ok()) return {};
    size_t start = reader_.offset();
    if (size > reader_.remaining()) {
      Fail(field, start,
           "length " + std::to_string(size) + " exceeds the remaining " +
               std::to_string(reader_.remaining()) + " bytes");
      return {};
    }
    return {reader_.Bytes(size), size};
  }

  void Fail(std::string_view field, size_t offset, const std::string& what) {
    if (ok()) {
      error_ = "rivet.aot section: at offset " + std::to_string(offset) + ", field " +
               std::string(field) + ": " + what;
    }
  }

  bool at_end() const { return reader_.at_end(); }

 private:
  // Errors give the offset where the field starts: that is where a reader
  // of the layout looks, whichever byte inside it was wrong.
  void Check(std::string_view field, size_t field_offset) {
    if (!reader_.ok()) Fail(field, field_offset, reader_.error());
  }

  Reader reader_;
  std::string error_;
};

// Sections that compile the same target: AddAotSection replaces them.
bool SameTarget(const AotSection& a, const AotSection& b) {
  return a.machine == b.machine && a.abi == b.abi && a.cpu == b.cpu && a.features == b.features;
}

}  // namespace

std::string_view MachineName(AotMachine machine) {
  switch (machine) {
    case AotMachine::kX86_64: return "x86_64";
    case AotMachine::kRiscv64: return "riscv64";
    case AotMachine::kRiscv32: return "riscv32";
  }
  return "unknown machine";
}

std::vector<uint8_t> EncodeAotSection(const AotSection& section) {
  std::vector<uint8_t> out;
  out.reserve(section.object.size() + 128);
  PutLeb(out, section.abi_version);
  PutLeb(out, static_cast<uint8_t>(section.machine));
  PutString(out, section.abi);
  PutString(out, section.cpu);
  PutString(out, section.features);
  PutLeb(out, section.flags);
  PutLeb(out, section.opt_level);
  PutLeb(out, section.size_level);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(section.code_hash >> (8 * i)));
  PutLeb(out, section.helpers.size());
  for (const std::string& helper : section.helpers) PutString(out, helper);
  PutLeb(out, section.object.size());
  out.insert(out.end(), section.object.begin(), section.object.end());
  return out;
}

Result<AotSection> DecodeAotSection(std::span<const uint8_t> payload) {
  PayloadReader reader(payload);
  AotSection section;
  section.abi_version = reader.U32("abi_version");
  if (!reader.ok()) return Error{reader.error()};
  if (section.abi_version != kAotAbiVersion) {
    return Error{"rivet.aot section: compiled for AOT ABI version " +
                 std::to_string(section.abi_version) + ", but this runtime implements version " +
                 std::to_string(kAotAbiVersion) + "; recompile the module with this rivet"};
  }
  size_t machine_offset = reader.offset();
  uint32_t machine = reader.U32("machine");
  if (reader.ok() && (machine < static_cast<uint32_t>(AotMachine::kX86_64) ||
                      machine > static_cast<uint32_t>(AotMachine::kRiscv32))) {
    reader.Fail("machine", machine_offset, "unknown machine " + std::to_string(machine));
  }
  section.machine = static_cast<AotMachine>(machine);
  section.abi = reader.String("abi");
  section.cpu = reader.String("cpu");
  section.features = reader.String("features");
  section.flags = reader.U32("flags");
  section.opt_level = reader.U32("opt_level");
  section.size_level = reader.U32("size_level");
  section.code_hash = reader.FixedLe64("code_hash");
  size_t helpers_offset = reader.offset();
  uint32_t helper_count = reader.U32("helpers count");
  // Each helper takes at least one byte: a count beyond what is left is a
  // truncation, caught before reserving memory for it.
  if (reader.ok() && helper_count > payload.size() - reader.offset()) {
    reader.Fail("helpers count", helpers_offset,
                std::to_string(helper_count) + " helpers cannot fit in the remaining " +
                    std::to_string(payload.size() - reader.offset()) + " bytes");
  }
  if (reader.ok()) section.helpers.reserve(helper_count);
  for (uint32_t i = 0; i < helper_count && reader.ok(); ++i) {
    section.helpers.push_back(reader.String("helpers[" + std::to_string(i) + "]"));
  }
  uint32_t object_size = reader.U32("object length");
  section.object = reader.Bytes("object", object_size);
  if (reader.ok() && !reader.at_end()) {
    reader.Fail("object", reader.offset(),
                std::to_string(payload.size() - reader.offset()) +
                    " unexpected bytes after the object");
  }
  if (!reader.ok()) return Error{reader.error()};
  return section;
}

Result<uint64_t> ModuleCodeHash(std::span<const uint8_t> wasm) {
  Result<std::vector<RawSection>> sections = SplitSections(wasm);
  if (!sections.ok()) return sections.error();
  Xxh64 hash;
  hash.Update(wasm.first(kHeaderSize));
  for (const RawSection& section : *sections) {
    if (section.id == kCustomSectionId) continue;
    hash.Update(wasm.subspan(section.start, section.end - section.start));
  }
  return hash.Finish();
}

Result<std::vector<uint8_t>> AddAotSection(std::span<const uint8_t> wasm,
                                           const AotSection& section) {
  Result<std::vector<RawSection>> sections = SplitSections(wasm);
  if (!sections.ok()) return sections.error();
  std::vector<uint8_t> out(wasm.begin(), wasm.begin() + kHeaderSize);
  out.reserve(wasm.size() + section.object.size() + 256);
  for (const RawSection& raw : *sections) {
    if (raw.id == kCustomSectionId && raw.custom_name == kAotSectionName) {
      std::span<const uint8_t> payload =
          wasm.subspan(raw.custom_payload_offset, raw.end - raw.custom_payload_offset);
      // A section from another AOT ABI version cannot be compared (its
      // fields may mean something else) and harms nothing: the loader skips
      // it. Keep it, as any other custom section.
      PayloadReader version_reader(payload);
      uint32_t version = version_reader.U32("abi_version");
      if (version_reader.ok() && version == kAotAbiVersion) {
        Result<AotSection> existing = DecodeAotSection(payload);
        if (!existing.ok()) {
          return Error{"the rivet.aot section at offset " + std::to_string(raw.start) +
                       " is malformed: " + existing.error().message};
        }
        if (SameTarget(*existing, section)) continue;
      }
    }
    out.insert(out.end(), wasm.begin() + raw.start, wasm.begin() + raw.end);
  }
  std::vector<uint8_t> payload = EncodeAotSection(section);
  std::vector<uint8_t> contents;
  PutString(contents, kAotSectionName);
  contents.insert(contents.end(), payload.begin(), payload.end());
  if (contents.size() > UINT32_MAX) {
    return Error{"the rivet.aot section would be " + std::to_string(contents.size()) +
                 " bytes, more than a wasm section can hold (4 GiB)"};
  }
  out.push_back(kCustomSectionId);
  PutLeb(out, contents.size());
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

}  // namespace rivet::aot
