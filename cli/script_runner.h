// Runs the commands of one parsed spec script: the per-command semantics
// behind RunScripts (wast.h), which adds finding, converting and parsing
// scripts, and parallelism.
#ifndef RIVET_CLI_SCRIPT_RUNNER_H_
#define RIVET_CLI_SCRIPT_RUNNER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/wast.h"
#include "cli/wast_script.h"
#include "loader/features.h"
#include "loader/module.h"

namespace rivet::wast {

class ScriptRunner {
 public:
  // Module files are read from `module_dir`; failure lines name the script
  // `display_name`. `engine` may be null: execution commands are skipped.
  ScriptRunner(std::string display_name, std::string module_dir, Features features, Engine* engine);

  void Run(const Script& script);

  const Summary& summary() const { return summary_; }
  // The failure lines so far, each ending in '\n'.
  const std::string& output() const { return output_; }

 private:
  void RunCommand(const Command& command);
  void RunModule(const Command& command);
  void RunAssertRejected(const Command& command);
  void RunAssertNotInstantiable(const Command& command, Failure::Kind kind);
  void RunRegister(const Command& command);
  void RunAction(const Command& command);

  // Reads and decodes the command's module; on failure, returns null and
  // sets `error` to the reason.
  std::shared_ptr<const Module> Decode(const Command& command, std::string& error);
  // Performs an action on the instance it names; Get's value becomes a
  // one-element vector. Sets `error` and returns nullopt if the action names
  // no instance.
  std::optional<Outcome<std::vector<Value>>> Perform(const Action& action, std::string& error);

  void Pass() { ++summary_.passed; }
  void Skip() { ++summary_.skipped; }
  void Fail(const Command& command, std::string_view expected, std::string_view got);

  std::string display_name_;
  std::string module_dir_;
  Features features_;
  Engine* engine_;

  // The script's instances by name ("$M"), and the one unnamed actions go to.
  std::map<std::string, Engine::InstanceId, std::less<>> named_instances_;
  std::optional<Engine::InstanceId> current_instance_;

  Summary summary_;
  std::string output_;
};

}  // namespace rivet::wast

#endif  // RIVET_CLI_SCRIPT_RUNNER_H_
