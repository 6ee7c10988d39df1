#include "cli/wast_script.h"

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rivet::wast {
namespace {

struct CommandKind {
  std::string_view name;
  Command::Type type;
  bool has_module;  // needs "filename" (and may have "module_type")
  bool has_action;  // needs "action"
  bool has_text;    // needs "text"
};

constexpr CommandKind kCommandKinds[] = {
    {"module", Command::Type::kModule, true, false, false},
    {"assert_malformed", Command::Type::kAssertMalformed, true, false, true},
    {"assert_invalid", Command::Type::kAssertInvalid, true, false, true},
    {"assert_unlinkable", Command::Type::kAssertUnlinkable, true, false, true},
    {"assert_uninstantiable", Command::Type::kAssertUninstantiable, true, false, true},
    {"register", Command::Type::kRegister, false, false, false},
    {"action", Command::Type::kAction, false, true, false},
    {"assert_return", Command::Type::kAssertReturn, false, true, false},
    {"assert_trap", Command::Type::kAssertTrap, false, true, true},
    {"assert_exhaustion", Command::Type::kAssertExhaustion, false, true, true},
};

const CommandKind* FindCommandKind(std::string_view name) {
  for (const CommandKind& kind : kCommandKinds) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

Result<std::string> RequireString(const json::Value& object, std::string_view key) {
  const std::string* value = object.FindString(key);
  if (value == nullptr) return Error{"no \"" + std::string(key) + "\" string"};
  return *value;
}

Result<Action> ParseAction(const json::Value& json) {
  if (!json.is_object()) return Error{"\"action\" is not an object"};
  Action action;
  Result<std::string> type = RequireString(json, "type");
  if (!type.ok()) return Error{"action: " + type.error().message};
  if (*type == "invoke") {
    action.kind = Action::Kind::kInvoke;
  } else if (*type == "get") {
    action.kind = Action::Kind::kGet;
  } else {
    return Error{"unknown action type \"" + *type + "\""};
  }
  Result<std::string> field = RequireString(json, "field");
  if (!field.ok()) return Error{"action: " + field.error().message};
  action.field = std::move(*field);
  if (const std::string* module = json.FindString("module")) action.module = *module;
  if (action.kind == Action::Kind::kInvoke) {
    const json::Value* args = json.Find("args");
    if (args == nullptr || !args->is_array()) return Error{"invoke without an \"args\" array"};
    for (const json::Value& arg : args->as_array()) {
      Result<Value> value = ParseValue(arg);
      if (!value.ok()) return value.error();
      action.args.push_back(*value);
    }
  }
  return action;
}

Result<Command> ParseCommand(const json::Value& json) {
  if (!json.is_object()) return Error{"a command that is not an object"};
  Command command;
  const json::Value* line = json.Find("line");
  std::optional<uint64_t> line_number = line != nullptr ? line->AsUint64() : std::nullopt;
  if (!line_number || *line_number > INT_MAX) return Error{"no valid \"line\" number"};
  command.line = static_cast<int>(*line_number);
  Result<std::string> type = RequireString(json, "type");
  if (!type.ok()) return type.error();
  command.type_name = *type;
  const CommandKind* kind = FindCommandKind(*type);
  if (kind == nullptr) return command;  // Type::kUnknown
  command.type = kind->type;

  if (kind->has_module) {
    Result<std::string> filename = RequireString(json, "filename");
    if (!filename.ok()) return filename.error();
    command.filename = std::move(*filename);
    // wabt 1.0.32 omits module_type on plain `module` commands (always
    // binary there) and writes it on assertions.
    const std::string* module_type = json.FindString("module_type");
    if (module_type != nullptr && *module_type != "binary" && *module_type != "text") {
      return Error{"unknown module_type \"" + *module_type + "\""};
    }
    command.text_module = module_type != nullptr && *module_type == "text";
  }
  if (kind->has_text) {
    Result<std::string> text = RequireString(json, "text");
    if (!text.ok()) return text.error();
    command.text = std::move(*text);
  }
  if (kind->has_action) {
    const json::Value* action = json.Find("action");
    if (action == nullptr) return Error{"no \"action\""};
    Result<Action> parsed = ParseAction(*action);
    if (!parsed.ok()) return parsed.error();
    command.action = std::move(*parsed);
  }
  if (const std::string* name = json.FindString("name")) command.name = *name;
  if (command.type == Command::Type::kRegister) {
    Result<std::string> as = RequireString(json, "as");
    if (!as.ok()) return as.error();
    command.as = std::move(*as);
  }
  if (command.type == Command::Type::kAssertReturn) {
    // Only assert_return's "expected" holds values; on assert_trap and
    // action it lists just the result types, which the runner has no use for.
    const json::Value* expected = json.Find("expected");
    if (expected == nullptr || !expected->is_array()) return Error{"no \"expected\" array"};
    for (const json::Value& item : expected->as_array()) {
      Result<Expected> value = ParseExpected(item);
      if (!value.ok()) return value.error();
      command.expected.push_back(std::move(*value));
    }
  }
  return command;
}

}  // namespace

Result<Script> ParseScript(const json::Value& json) {
  const json::Value* commands = json.Find("commands");
  if (commands == nullptr || !commands->is_array()) {
    return Error{"not a wast2json script: no \"commands\" array"};
  }
  Script script;
  script.commands.reserve(commands->as_array().size());
  for (size_t i = 0; i < commands->as_array().size(); ++i) {
    const json::Value& item = commands->as_array()[i];
    Result<Command> command = ParseCommand(item);
    if (!command.ok()) {
      const json::Value* line = item.Find("line");
      std::string where = line != nullptr && line->is_number() ? "line " + line->number_text()
                                                               : "command " + std::to_string(i);
      return Error{where + ": " + command.error().message};
    }
    script.commands.push_back(std::move(*command));
  }
  return script;
}

}  // namespace rivet::wast
