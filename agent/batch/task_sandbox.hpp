// Where a batch task's tests, reproduction and the model's commands run: the
// same bwrap sandbox as `diffsmith run` (agent/command_setup.hpp), with the
// task's own checkout as its work tree, and everything of the batch that
// could tell the answer covered up.
#pragma once

#include <string>
#include <vector>

#include "agent/batch/config.hpp"
#include "agent/config/command_setup.hpp"
#include "exec/process.hpp"

namespace ds::agent {

// What a task's commands must not read: the tasks file (test_patch, the test
// ids, hints), the predictions and their meta lines, the report, the work
// dir (other tasks' checkouts and trajectories, the clone cache), the
// mirrors of --repos-dir and the task's `source` repository (they hold the
// later commits, the fix among them). The task's checkout inside the work dir
// stays visible.
std::vector<std::string> hidden_from_task(const BatchConfig& cfg, const std::string& source);

// The runners for a task checked out in `dir`: setup_commands with the
// batch's settings and hidden_from_task; with --oracle-tests the test id
// lists ({tests_file}, under the work dir) are shown read-only. `has_tests`: a test command or a
// reproduction will run.
Result<CommandSetup> task_commands(const BatchConfig& cfg, const std::string& dir, const std::string& source,
                                   bool has_tests, exec::ProcessRunner& inner);

}  // namespace ds::agent
