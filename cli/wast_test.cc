#include "cli/wast.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/json.h"
#include "cli/subprocess.h"
#include "cli/temp_dir.h"
#include "cli/wast_value.h"
#include "gtest/gtest.h"
#include "loader/module.h"

namespace rivet::wast {
namespace {

// Hand-assembled modules.
const std::string kEmptyModule("\0asm\1\0\0\0", 8);
// Version 2: malformed.
const std::string kBadVersionModule("\0asm\2\0\0\0", 8);
// One memory, shared (limits flag 3): valid only with threads.
const std::string kSharedMemoryModule = kEmptyModule + std::string("\x05\x04\x01\x03\x01\x01", 6);
// Imports function m.f of type () -> (): valid, but cannot link.
const std::string kImportModule = kEmptyModule + std::string("\x01\x04\x01\x60\x00\x00", 6) +
                                  std::string("\x02\x07\x01\x01m\x01\x66\x00\x00", 9);

class WastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<cli::TempDir> dir = cli::TempDir::Create("rivet-wast-test");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    dir_ = std::make_unique<cli::TempDir>(std::move(*dir));
  }

  std::string Path(const std::string& name) const { return dir_->path() + "/" + name; }

  void Write(const std::string& name, std::string_view contents) {
    std::filesystem::path path = Path(name);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << contents;
  }

  // Writes a script whose "commands" array holds `commands`.
  void WriteScript(const std::string& name, std::string_view commands) {
    Write(name, R"({"source_filename": "test.wast", "commands": [)" + std::string(commands) + "]}");
  }

  Summary Run(const std::vector<std::string>& paths, const Options& options = {}) {
    Result<std::vector<ScriptFile>> scripts = FindScripts(paths);
    EXPECT_TRUE(scripts.ok()) << scripts.error().message;
    if (!scripts.ok()) return {};
    std::ostringstream out;
    Summary summary = RunScripts(*scripts, options, out);
    output_ = out.str();
    return summary;
  }

  std::unique_ptr<cli::TempDir> dir_;
  std::string output_;
};

void ExpectCounts(const Summary& summary, size_t passed, size_t failed, size_t skipped) {
  EXPECT_EQ(summary.passed, passed);
  EXPECT_EQ(summary.failed, failed);
  EXPECT_EQ(summary.skipped, skipped);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(WastTest, DecoderCommandsWithoutEngine) {
  Write("valid.wasm", kEmptyModule);
  Write("invalid.wasm", kBadVersionModule);
  WriteScript("s.json", R"(
    {"type": "module", "line": 1, "filename": "valid.wasm"},
    {"type": "module", "line": 2, "name": "$m", "filename": "invalid.wasm"},
    {"type": "assert_invalid", "line": 3, "filename": "valid.wasm", "text": "type mismatch",
     "module_type": "binary"},
    {"type": "assert_invalid", "line": 4, "filename": "invalid.wasm", "text": "type mismatch",
     "module_type": "binary"},
    {"type": "assert_malformed", "line": 5, "filename": "invalid.wasm",
     "text": "unknown binary version", "module_type": "binary"},
    {"type": "assert_malformed", "line": 6, "filename": "s.1.wat", "text": "unexpected token",
     "module_type": "text"},
    {"type": "module", "line": 7, "filename": "missing.wasm"},
    {"type": "assert_return", "line": 8, "action": {"type": "invoke", "field": "f", "args": []},
     "expected": [{"type": "i32", "value": "1"}]},
    {"type": "assert_trap", "line": 9, "action": {"type": "invoke", "field": "f", "args": []},
     "text": "unreachable", "expected": [{"type": "i32"}]},
    {"type": "assert_exhaustion", "line": 10, "action": {"type": "invoke", "field": "f",
     "args": []}, "text": "call stack exhausted", "expected": []},
    {"type": "action", "line": 11, "action": {"type": "get", "field": "g"}, "expected": []},
    {"type": "register", "line": 12, "as": "M"},
    {"type": "assert_unlinkable", "line": 13, "filename": "valid.wasm", "text": "unknown import",
     "module_type": "binary"},
    {"type": "assert_uninstantiable", "line": 14, "filename": "valid.wasm",
     "text": "unreachable", "module_type": "binary"},
    {"type": "assert_frobnicated", "line": 15}
  )");
  ExpectCounts(Run({Path("s.json")}), 3, 4, 8);

  std::vector<std::string> lines = Lines(output_);
  ASSERT_EQ(lines.size(), 4u) << output_;
  std::string name = Path("s.json");
  EXPECT_TRUE(lines[0].starts_with(name + ":2: module: expected a valid module, got \""))
      << lines[0];
  EXPECT_EQ(lines[1],
            name + ":3: assert_invalid: expected error \"type mismatch\", got a valid module");
  EXPECT_EQ(lines[2], name + ":7: module: expected a valid module, got \"cannot read " +
                          Path("missing.wasm") + ": No such file or directory\"");
  EXPECT_EQ(lines[3], name +
                          ":15: assert_frobnicated: expected a command this runner knows, "
                          "got \"assert_frobnicated\"");
}

TEST_F(WastTest, ProposalFolderEnablesItsFeature) {
  // The same script, in the core suite and in the threads proposal's folder.
  for (std::string dir : {"core/", "core/proposals/threads/"}) {
    Write(dir + "shared.wasm", kSharedMemoryModule);
    WriteScript(dir + "s.json", R"({"type": "module", "line": 1, "filename": "shared.wasm"})");
  }
  ExpectCounts(Run({Path("core/s.json")}), 0, 1, 0);
  ExpectCounts(Run({Path("core/proposals/threads/s.json")}), 1, 0, 0);
}

TEST(SettingsForPathTest, ProposalFolders) {
  ScriptSettings core = SettingsForPath("/suite/i32.wast");
  EXPECT_FALSE(core.features.threads || core.features.tail_call || core.features.extended_const ||
               core.features.multi_memory);
  EXPECT_TRUE(core.wast2json_flags.empty());

  ScriptSettings threads = SettingsForPath("/suite/proposals/threads/atomic.wast");
  EXPECT_TRUE(threads.features.threads);
  EXPECT_FALSE(threads.features.multi_memory);
  EXPECT_EQ(threads.wast2json_flags, std::vector<std::string>{"--enable-threads"});

  EXPECT_TRUE(SettingsForPath("/s/proposals/tail-call/return_call.wast").features.tail_call);
  EXPECT_TRUE(SettingsForPath("/s/proposals/extended-const/data.wast").features.extended_const);
  EXPECT_EQ(SettingsForPath("/s/proposals/multi-memory/load.wast").wast2json_flags,
            std::vector<std::string>{"--enable-multi-memory"});

  // An unknown proposal, or a file merely named like a folder, is core.
  EXPECT_TRUE(SettingsForPath("/s/proposals/gc/struct.wast").wast2json_flags.empty());
  EXPECT_TRUE(SettingsForPath("/s/proposals/threads").wast2json_flags.empty());
}

TEST_F(WastTest, MalformedScriptsFailOnce) {
  Write("bad.json", R"({"commands": [)");
  WriteScript("badvalue.json", R"({"type": "assert_return", "line": 4, "action": {"type": "invoke",
      "field": "f", "args": [{"type": "i32", "value": "4294967296"}]}, "expected": []})");
  Summary summary = Run({Path("bad.json"), Path("badvalue.json")});
  ExpectCounts(summary, 0, 2, 0);
  std::vector<std::string> lines = Lines(output_);
  ASSERT_EQ(lines.size(), 2u) << output_;
  EXPECT_EQ(lines[0],
            Path("bad.json") + ": malformed JSON: byte 14: expected a value, got end of input");
  EXPECT_EQ(lines[1], Path("badvalue.json") +
                          ": malformed script: line 4: argument i32: invalid i32 value "
                          "\"4294967296\"");
}

TEST_F(WastTest, FindScriptsInDirectories) {
  for (std::string name : {"b.wast", "a.wast", "proposals/threads/atomic.wast", "sub/c.wast",
                           "notes.json", "x.wasm"}) {
    Write("suite/" + name, "");
  }
  std::vector<std::string> paths = {Path("suite")};
  Result<std::vector<ScriptFile>> scripts = FindScripts(paths);
  ASSERT_TRUE(scripts.ok()) << scripts.error().message;
  std::vector<std::string> names;
  for (const ScriptFile& script : *scripts) names.push_back(script.display_name);
  EXPECT_EQ(names, (std::vector<std::string>{Path("suite/a.wast"), Path("suite/b.wast"),
                                             Path("suite/proposals/threads/atomic.wast"),
                                             Path("suite/sub/c.wast")}));
}

TEST_F(WastTest, FindScriptsErrors) {
  Write("empty/x.wasm", "");
  std::vector<std::string> missing = {Path("missing.wast")};
  EXPECT_EQ(FindScripts(missing).error().message,
            "cannot read " + Path("missing.wast") + ": No such file or directory");
  std::vector<std::string> wasm = {Path("empty/x.wasm")};
  EXPECT_EQ(FindScripts(wasm).error().message,
            Path("empty/x.wasm") + ": not a .wast or .json script, nor a directory");
  std::vector<std::string> empty = {Path("empty")};
  EXPECT_EQ(FindScripts(empty).error().message,
            Path("empty") + ": no .wast files in this directory");
}

TEST_F(WastTest, ParallelOutputKeepsFileOrder) {
  Write("valid.wasm", kEmptyModule);
  std::vector<std::string> paths;
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    std::string name = "s" + std::to_string(i) + ".json";
    WriteScript(name, R"({"type": "assert_invalid", "line": )" + std::to_string(i) +
                          R"(, "filename": "valid.wasm", "text": "x", "module_type": "binary"})");
    paths.push_back(Path(name));
    expected += Path(name) + ":" + std::to_string(i) +
                ": assert_invalid: expected error \"x\", got a valid module\n";
  }
  Options options;
  options.jobs = 8;
  ExpectCounts(Run(paths, options), 0, 20, 0);
  EXPECT_EQ(output_, expected);
}

bool HaveWast2Json() {
  Result<cli::ProcessResult> result = cli::RunProcess({"wast2json", "--version"});
  return result.ok() && result->exit_status == 0;
}

TEST_F(WastTest, ConvertsWastFiles) {
  if (!HaveWast2Json()) GTEST_SKIP() << "wast2json is not installed";
  Write("t.wast", R"((module (func (export "f") (result i32) (i32.const 1)))
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func") "unexpected token")
(assert_return (invoke "f") (i32.const 1))
)");
  ExpectCounts(Run({Path("t.wast")}), 2, 0, 2);
  EXPECT_EQ(output_, "");
}

TEST_F(WastTest, ReportsWast2JsonFailures) {
  if (!HaveWast2Json()) GTEST_SKIP() << "wast2json is not installed";
  Write("broken.wast", "(module (func (i32.bogus)))\n");
  ExpectCounts(Run({Path("broken.wast")}), 0, 1, 0);
  EXPECT_TRUE(output_.starts_with(Path("broken.wast") + ": wast2json failed (exit status 1):\n  "))
      << output_;
  EXPECT_NE(output_.find("i32.bogus"), std::string::npos) << output_;
}

TEST(WastValueTest, ParsesAndMatches) {
  Result<json::Value> json = json::Parse(R"([
      {"type": "i32", "value": "4294967295"},
      {"type": "i64", "value": "-1"},
      {"type": "v128", "lane_type": "i8",
       "value": ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14",
                 "15", "255"]},
      {"type": "externref", "value": "7"},
      {"type": "funcref", "value": "null"}])");
  ASSERT_TRUE(json.ok()) << json.error().message;
  std::vector<Value> values;
  for (const json::Value& item : json->as_array()) {
    Result<Value> value = ParseValue(item);
    ASSERT_TRUE(value.ok()) << value.error().message;
    values.push_back(*value);
  }
  EXPECT_EQ(values[0].bits[0], 0xffffffffu);
  EXPECT_EQ(values[1].bits[0], UINT64_MAX);
  EXPECT_EQ(values[2].bits[0], 0x0807060504030201u);
  EXPECT_EQ(values[2].bits[1], 0xff0f0e0d0c0b0a09u);
  EXPECT_EQ(values[3].bits[0], 7u);
  EXPECT_TRUE(values[4].is_null);
  EXPECT_EQ(ToString(values[0]), "i32:-1");
  EXPECT_EQ(ToString(values[3]), "externref:7");
  EXPECT_EQ(ToString(values[4]), "funcref:null");
  EXPECT_EQ(ToString(values[2], LaneType::kI16),
            "v128:i16x8:513 1027 1541 2055 2569 3083 3597 -241");
  EXPECT_EQ(ToString(Value::F32Bits(0x3fc00000)), "f32:1.5");
  EXPECT_EQ(ToString(Value::F32Bits(0xffc00001)), "f32:nan:0xffc00001");
  EXPECT_EQ(ToString(Value::F64Bits(0x8000000000000000)), "f64:-0");
}

TEST(WastValueTest, NanPatterns) {
  Result<json::Value> json = json::Parse(R"([
      {"type": "f32", "value": "nan:canonical"},
      {"type": "f64", "value": "nan:arithmetic"},
      {"type": "v128", "lane_type": "f32",
       "value": ["nan:arithmetic", "0", "1065353216", "nan:canonical"]}])");
  ASSERT_TRUE(json.ok());
  std::vector<Expected> expected;
  for (const json::Value& item : json->as_array()) {
    Result<Expected> value = ParseExpected(item);
    ASSERT_TRUE(value.ok()) << value.error().message;
    expected.push_back(*value);
  }
  EXPECT_TRUE(Matches(expected[0], Value::F32Bits(0x7fc00000)));
  EXPECT_TRUE(Matches(expected[0], Value::F32Bits(0xffc00000)));  // either sign
  EXPECT_FALSE(Matches(expected[0], Value::F32Bits(0x7fc00001)));
  EXPECT_FALSE(Matches(expected[0], Value::F64Bits(0x7ff8000000000000)));  // wrong type
  EXPECT_TRUE(Matches(expected[1], Value::F64Bits(0x7ff8000000000001)));
  EXPECT_FALSE(Matches(expected[1], Value::F64Bits(0x7ff0000000000001)));  // signalling

  Value v128 = Value::V128(0x000000007fc00001, 0x7fc000003f800000);
  EXPECT_TRUE(Matches(expected[2], v128));
  EXPECT_FALSE(Matches(expected[2], Value::V128(0x000000017fc00001, 0x7fc000003f800000)));
  EXPECT_EQ(ToString(expected[2]), "v128:f32x4:nan:arithmetic 0 1 nan:canonical");

  // Arguments may not be patterns.
  EXPECT_FALSE(ParseValue(json->as_array()[0]).ok());
}

// A test double that answers by export name, to check the runner's side of
// the Engine contract: which calls it makes, and how it judges the answers.
struct EngineLog {
  std::vector<std::pair<Engine::InstanceId, std::string>> registered;
  std::vector<std::pair<Engine::InstanceId, std::string>> invoked;
  std::vector<Value> args;
};

class ScriptedEngine : public Engine {
 public:
  explicit ScriptedEngine(EngineLog* log) : log_(log) {}

  Outcome<InstanceId> Instantiate(std::shared_ptr<const Module> module) override {
    if (!module->imports.empty()) return Failure{Failure::Kind::kLink, "unknown import m.f"};
    return next_id_++;
  }
  void Register(InstanceId instance, std::string_view as) override {
    log_->registered.emplace_back(instance, as);
  }
  Outcome<std::vector<Value>> Invoke(InstanceId instance, std::string_view field,
                                     std::span<const Value> args) override {
    log_->invoked.emplace_back(instance, field);
    log_->args.insert(log_->args.end(), args.begin(), args.end());
    if (field == "three") return std::vector<Value>{Value::I32(3)};
    if (field == "nan") return std::vector<Value>{Value::F32Bits(0x7fc00000)};
    if (field == "v") return std::vector<Value>{Value::V128(0x000000007fc00001, 0x3f800000)};
    if (field == "trap") return Failure{Failure::Kind::kTrap, "unreachable executed"};
    return Failure{Failure::Kind::kLink, "no export " + std::string(field)};
  }
  Outcome<Value> Get(InstanceId, std::string_view) override { return Value::I32(7); }

 private:
  EngineLog* log_;
  InstanceId next_id_ = 100;
};

TEST_F(WastTest, ExecutionCommandsGoToTheEngine) {
  Write("valid.wasm", kEmptyModule);
  Write("imports.wasm", kImportModule);
  WriteScript("s.json", R"(
    {"type": "module", "line": 1, "name": "$m", "filename": "valid.wasm"},
    {"type": "module", "line": 2, "filename": "valid.wasm"},
    {"type": "register", "line": 3, "name": "$m", "as": "host"},
    {"type": "assert_return", "line": 4, "action": {"type": "invoke", "field": "three",
     "args": [{"type": "i32", "value": "4294967295"}]},
     "expected": [{"type": "i32", "value": "3"}]},
    {"type": "assert_return", "line": 5, "action": {"type": "invoke", "module": "$m",
     "field": "three", "args": []}, "expected": [{"type": "i32", "value": "4"}]},
    {"type": "assert_return", "line": 6, "action": {"type": "invoke", "field": "nan", "args": []},
     "expected": [{"type": "f32", "value": "nan:canonical"}]},
    {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "v", "args": []},
     "expected": [{"type": "v128", "lane_type": "f32",
                   "value": ["nan:arithmetic", "0", "1065353216", "0"]}]},
    {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "field": "trap", "args": []},
     "text": "unreachable", "expected": []},
    {"type": "assert_trap", "line": 9, "action": {"type": "invoke", "field": "three",
     "args": []}, "text": "unreachable", "expected": [{"type": "i32"}]},
    {"type": "assert_exhaustion", "line": 10, "action": {"type": "invoke", "field": "trap",
     "args": []}, "text": "call stack exhausted", "expected": []},
    {"type": "action", "line": 11, "action": {"type": "get", "module": "$m", "field": "g"},
     "expected": [{"type": "i32"}]},
    {"type": "assert_return", "line": 12, "action": {"type": "invoke", "module": "$other",
     "field": "three", "args": []}, "expected": []},
    {"type": "assert_unlinkable", "line": 13, "filename": "imports.wasm", "text": "unknown import",
     "module_type": "binary"},
    {"type": "assert_uninstantiable", "line": 14, "filename": "imports.wasm",
     "text": "unreachable", "module_type": "binary"},
    {"type": "module", "line": 15, "filename": "imports.wasm"},
    {"type": "action", "line": 16, "action": {"type": "invoke", "field": "three", "args": []},
     "expected": []}
  )");
  EngineLog log;
  Options options;
  options.new_engine = [&log] { return std::make_unique<ScriptedEngine>(&log); };
  ExpectCounts(Run({Path("s.json")}, options), 9, 7, 0);

  std::string name = Path("s.json");
  EXPECT_EQ(Lines(output_),
            (std::vector<std::string>{
                name + ":5: assert_return: expected i32:4, got i32:3",
                name + ":9: assert_trap: expected trap \"unreachable\", got i32:3",
                name + ":10: assert_exhaustion: expected exhaustion \"call stack exhausted\", "
                       "got trap \"unreachable executed\"",
                name + ":12: assert_return: expected no values, got no module named $other",
                name + ":14: assert_uninstantiable: expected trap \"unreachable\", got link "
                       "error \"unknown import m.f\"",
                name + ":15: module: expected an instance, got link error \"unknown import m.f\"",
                // The failed module leaves no current module behind.
                name + ":16: action: expected success, got no current module",
            }));
  // Unnamed actions went to the latest instance (101), named ones to $m (100).
  EXPECT_EQ(log.registered,
            (std::vector<std::pair<Engine::InstanceId, std::string>>{{100, "host"}}));
  ASSERT_GE(log.invoked.size(), 2u);
  EXPECT_EQ(log.invoked[0], (std::pair<Engine::InstanceId, std::string>{101, "three"}));
  EXPECT_EQ(log.invoked[1], (std::pair<Engine::InstanceId, std::string>{100, "three"}));
  ASSERT_EQ(log.args.size(), 1u);
  EXPECT_EQ(log.args[0].type, ValType::kI32);
  EXPECT_EQ(log.args[0].bits[0], 0xffffffffu);
}

}  // namespace
}  // namespace rivet::wast
