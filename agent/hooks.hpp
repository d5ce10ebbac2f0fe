// The user's hooks ([hooks] in the user's config): a command per event, run
// with /bin/sh -c in the work tree, one JSON object on its stdin. Exit 0 goes
// on; exit 2 blocks the action (its stderr is the reason); any other exit, a
// time-out or a failure to start is reported and ignored.
#pragma once

#include <string>

#include "agent/config/hooks_config.hpp"
#include "exec/process.hpp"
#include "json/value.hpp"

namespace ds::agent {

struct HookRun {
  bool ran = false;      // a hook is configured for the event and was started
  bool blocked = false;  // exit 2
  int exit_code = -1;
  bool timed_out = false;
  std::string stderr_text;  // its stderr (the reason when blocked)
  std::string problem;      // for the user when it neither passed nor blocked ("" otherwise)
};

// Runs `command` (nothing when empty) for `event` with `payload` (the event
// name, run id and work tree are added to it) on stdin.
HookRun run_hook(exec::ProcessRunner& runner, const std::string& event, const std::string& command,
                 json::Value payload, const std::string& run_id, const std::string& work_tree, int timeout_s);

}  // namespace ds::agent
