// Settings → RunConfig and the endpoint's setting layers, shared by `run`,
// `batch` (which take the same per-task options) and `doctor` (which shows
// what they resolve to).
#pragma once

#include <string>

#include "agent/config/run_config.hpp"
#include "agent/config/settings.hpp"
#include "base/result.hpp"
#include "llm/config.hpp"

namespace ds::agent {

// The flag and config-file layers of `s` for llm::resolve_endpoint (the
// environment layer is the process environment). `s` must outlive the result.
llm::SettingLayers endpoint_layers(const Settings& s);

// The `run` options that apply to every task: edit format, pinned files,
// budgets, timeouts, map size, pass-env, parallel tool calls. Defaults come
// from the settings table (agent/cli/options.cpp). Task text and test command
// are filled by the caller.
Status fill_run_config(const Settings& s, RunConfig& c);

// The test command of a run in `root`: the setting `test` (-t, env, config),
// else none under --no-test, else one detected from the repository.
struct TestChoice {
  std::string command;  // "" with --no-test
  std::string
      source;  // "-t", "env DIFFSMITH_TEST", "config <path>", "detected from pyproject.toml", "--no-test"
};
Result<TestChoice> resolve_test_command(const Settings& s, const std::string& root);

}  // namespace ds::agent
