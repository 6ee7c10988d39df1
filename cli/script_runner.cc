#include "cli/script_runner.h"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cli/file_util.h"

namespace rivet::wast {
namespace {

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string_view KindName(Failure::Kind kind) {
  switch (kind) {
    case Failure::Kind::kLink:
      return "link error";
    case Failure::Kind::kTrap:
      return "trap";
    case Failure::Kind::kExhaustion:
      return "exhaustion";
    case Failure::Kind::kEngine:
      return "engine error";
  }
  return "failure";
}

// `trap "integer divide by zero"`
std::string Describe(const Failure& failure) {
  return std::string(KindName(failure.kind)) + " " + Quote(failure.message);
}

std::string Join(const std::vector<std::string>& items) {
  if (items.empty()) return "no values";
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

std::string DescribeExpected(const std::vector<Expected>& expected) {
  std::vector<std::string> items;
  for (const Expected& e : expected) items.push_back(ToString(e));
  return Join(items);
}

// Prints results in the lane shapes the script expected, so that a v128
// mismatch lines up lane by lane.
std::string DescribeActual(const std::vector<Value>& values,
                           const std::vector<Expected>& expected) {
  std::vector<std::string> items;
  for (size_t i = 0; i < values.size(); ++i) {
    items.push_back(
        ToString(values[i], i < expected.size() ? expected[i].lane_type : LaneType::kI32));
  }
  return Join(items);
}

bool AllMatch(const std::vector<Expected>& expected, const std::vector<Value>& actual) {
  if (expected.size() != actual.size()) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!Matches(expected[i], actual[i])) return false;
  }
  return true;
}

}  // namespace

ScriptRunner::ScriptRunner(std::string display_name, std::string module_dir, Features features,
                           Engine* engine)
    : display_name_(std::move(display_name)),
      module_dir_(std::move(module_dir)),
      features_(features),
      engine_(engine) {}

void ScriptRunner::Run(const Script& script) {
  for (const Command& command : script.commands) RunCommand(command);
}

void ScriptRunner::Fail(const Command& command, std::string_view expected, std::string_view got) {
  ++summary_.failed;
  output_ += display_name_ + ":" + std::to_string(command.line) + ": " + command.type_name +
             ": expected " + std::string(expected) + ", got " + std::string(got) + "\n";
}

void ScriptRunner::RunCommand(const Command& command) {
  switch (command.type) {
    case Command::Type::kModule:
      return RunModule(command);
    case Command::Type::kAssertMalformed:
    case Command::Type::kAssertInvalid:
      return RunAssertRejected(command);
    case Command::Type::kAssertUnlinkable:
      return RunAssertNotInstantiable(command, Failure::Kind::kLink);
    case Command::Type::kAssertUninstantiable:
      return RunAssertNotInstantiable(command, Failure::Kind::kTrap);
    case Command::Type::kRegister:
      return RunRegister(command);
    case Command::Type::kAction:
    case Command::Type::kAssertReturn:
    case Command::Type::kAssertTrap:
    case Command::Type::kAssertExhaustion:
      return RunAction(command);
    case Command::Type::kUnknown:
      // Failing rather than skipping, so that a newer wast2json's commands
      // cannot pass unnoticed.
      return Fail(command, "a command this runner knows", Quote(command.type_name));
  }
}

std::shared_ptr<const Module> ScriptRunner::Decode(const Command& command, std::string& error) {
  Result<std::vector<uint8_t>> bytes = cli::ReadFile(module_dir_ + "/" + command.filename);
  if (!bytes.ok()) {
    error = bytes.error().message;
    return nullptr;
  }
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(*bytes), features_);
  if (!module.ok()) {
    error = module.error().message;
    return nullptr;
  }
  return std::move(*module);
}

void ScriptRunner::RunModule(const Command& command) {
  // A text module is one wast2json could not turn into a binary; wabt 1.0.32
  // never writes one for `module`, but the format allows it.
  if (command.text_module) return Skip();
  // Whatever happens below, later unnamed actions must not silently go to
  // an older instance.
  current_instance_.reset();
  if (!command.name.empty()) named_instances_.erase(command.name);

  std::string error;
  std::shared_ptr<const Module> module = Decode(command, error);
  if (module == nullptr) return Fail(command, "a valid module", Quote(error));
  if (engine_ == nullptr) return Pass();

  Outcome<Engine::InstanceId> instance = engine_->Instantiate(std::move(module));
  if (const Failure* failure = std::get_if<Failure>(&instance)) {
    return Fail(command, "an instance", Describe(*failure));
  }
  current_instance_ = std::get<Engine::InstanceId>(instance);
  if (!command.name.empty()) named_instances_[command.name] = *current_instance_;
  Pass();
}

// assert_malformed and assert_invalid: the decoder must reject the module.
// Which error it gives is not compared: the expected texts are the
// reference interpreter's wording, and the decoder's messages are its own.
void ScriptRunner::RunAssertRejected(const Command& command) {
  // The text format's malformed cases test a text parser, which rivet does
  // not have.
  if (command.text_module) return Skip();
  std::string expected = "error " + Quote(command.text);
  Result<std::vector<uint8_t>> bytes = cli::ReadFile(module_dir_ + "/" + command.filename);
  if (!bytes.ok()) return Fail(command, expected, Quote(bytes.error().message));
  if (DecodeModule(std::move(*bytes), features_).ok()) {
    return Fail(command, expected, "a valid module");
  }
  Pass();
}

// assert_unlinkable (a link error) and assert_uninstantiable (a trap while
// instantiating): the module is valid, but instantiating it must fail.
void ScriptRunner::RunAssertNotInstantiable(const Command& command, Failure::Kind kind) {
  if (command.text_module || engine_ == nullptr) return Skip();
  std::string expected = std::string(KindName(kind)) + " " + Quote(command.text);
  std::string error;
  std::shared_ptr<const Module> module = Decode(command, error);
  if (module == nullptr) return Fail(command, expected, Quote(error));
  Outcome<Engine::InstanceId> instance = engine_->Instantiate(std::move(module));
  const Failure* failure = std::get_if<Failure>(&instance);
  if (failure == nullptr) return Fail(command, expected, "an instance");
  if (failure->kind != kind) return Fail(command, expected, Describe(*failure));
  Pass();
}

void ScriptRunner::RunRegister(const Command& command) {
  if (engine_ == nullptr) return Skip();
  const Engine::InstanceId* instance = nullptr;
  if (command.name.empty()) {
    if (current_instance_) instance = &*current_instance_;
  } else if (auto it = named_instances_.find(command.name); it != named_instances_.end()) {
    instance = &it->second;
  }
  if (instance == nullptr) {
    return Fail(command, "an instance to register",
                command.name.empty() ? "no current module" : "no module named " + command.name);
  }
  engine_->Register(*instance, command.as);
  Pass();
}

std::optional<Outcome<std::vector<Value>>> ScriptRunner::Perform(const Action& action,
                                                                 std::string& error) {
  Engine::InstanceId instance;
  if (action.module.empty()) {
    if (!current_instance_) {
      error = "no current module";
      return std::nullopt;
    }
    instance = *current_instance_;
  } else {
    auto it = named_instances_.find(action.module);
    if (it == named_instances_.end()) {
      error = "no module named " + action.module;
      return std::nullopt;
    }
    instance = it->second;
  }
  if (action.kind == Action::Kind::kInvoke) {
    return engine_->Invoke(instance, action.field, action.args);
  }
  Outcome<Value> value = engine_->Get(instance, action.field);
  if (const Failure* failure = std::get_if<Failure>(&value)) return *failure;
  return std::vector<Value>{std::get<Value>(value)};
}

void ScriptRunner::RunAction(const Command& command) {
  if (engine_ == nullptr) return Skip();
  std::string expected;
  switch (command.type) {
    case Command::Type::kAssertReturn:
      expected = DescribeExpected(command.expected);
      break;
    case Command::Type::kAssertTrap:
      expected = "trap " + Quote(command.text);
      break;
    case Command::Type::kAssertExhaustion:
      expected = "exhaustion " + Quote(command.text);
      break;
    default:
      expected = "success";
      break;
  }

  std::string error;
  std::optional<Outcome<std::vector<Value>>> outcome = Perform(*command.action, error);
  if (!outcome) return Fail(command, expected, error);
  const Failure* failure = std::get_if<Failure>(&*outcome);
  const std::vector<Value>* values = std::get_if<std::vector<Value>>(&*outcome);

  switch (command.type) {
    case Command::Type::kAssertReturn:
      if (failure != nullptr) return Fail(command, expected, Describe(*failure));
      if (!AllMatch(command.expected, *values)) {
        return Fail(command, expected, DescribeActual(*values, command.expected));
      }
      return Pass();
    case Command::Type::kAssertTrap:
    case Command::Type::kAssertExhaustion: {
      Failure::Kind kind = command.type == Command::Type::kAssertTrap ? Failure::Kind::kTrap
                                                                      : Failure::Kind::kExhaustion;
      if (failure == nullptr) return Fail(command, expected, DescribeActual(*values, {}));
      if (failure->kind != kind) return Fail(command, expected, Describe(*failure));
      return Pass();
    }
    default:
      if (failure != nullptr) return Fail(command, expected, Describe(*failure));
      return Pass();
  }
}

}  // namespace rivet::wast
