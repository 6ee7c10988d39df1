// A spec test script as wast2json writes it, parsed into typed commands.
//
// The format (wabt 1.0.32): {"source_filename": "...", "commands": [...]},
// each command an object with "type" and "line" and, by type, "filename"
// and "module_type" (a module in a file beside the JSON), "name" and "as"
// (module names), "text" (the expected error or trap message), "action"
// ({"type": "invoke"|"get", "module"?, "field", "args"?}) and "expected"
// (result values).
#ifndef RIVET_CLI_WAST_SCRIPT_H_
#define RIVET_CLI_WAST_SCRIPT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/json.h"
#include "cli/wast_value.h"
#include "loader/result.h"

namespace rivet::wast {

struct Action {
  enum class Kind { kInvoke, kGet };
  Kind kind = Kind::kInvoke;
  std::string module;       // the script's name for the instance ("$M"); empty: the current one
  std::string field;        // the export
  std::vector<Value> args;  // kInvoke only
};

struct Command {
  enum class Type {
    kModule,
    kAssertMalformed,
    kAssertInvalid,
    kAssertUnlinkable,
    kAssertUninstantiable,
    kRegister,
    kAction,
    kAssertReturn,
    kAssertTrap,
    kAssertExhaustion,
    kUnknown,  // a type this runner does not know; reported, not ignored
  };
  Type type = Type::kUnknown;
  std::string type_name;  // as the script spells it, for output
  int line = 0;

  // Commands with a module: its file, relative to the script's directory,
  // and whether it is text that wast2json left unconverted (a .wat, for
  // assert_malformed of the text format, which a binary decoder cannot test).
  std::string filename;
  bool text_module = false;

  // kModule: the name the script gives the instance, if any. kRegister: the
  // instance to register (empty: the current one) and the name to register
  // it under.
  std::string name;
  std::string as;

  std::string text;                // the expected error, trap or exhaustion message
  std::optional<Action> action;    // action commands and assertions on them
  std::vector<Expected> expected;  // kAssertReturn only
};

struct Script {
  std::vector<Command> commands;
};

// Converts parsed wast2json output. A command whose type is unknown becomes
// Type::kUnknown; anything else off-format (a missing field, a malformed
// value) fails the whole script, naming the command's line: the file is
// machine-written, so that means it is corrupt or from an incompatible wabt.
Result<Script> ParseScript(const json::Value& json);

}  // namespace rivet::wast

#endif  // RIVET_CLI_WAST_SCRIPT_H_
