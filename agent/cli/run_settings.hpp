// Settings → RunConfig and the endpoint's setting layers, shared by `run`
// and `batch` (which take the same per-task options).
#pragma once

#include "agent/run_config.hpp"
#include "agent/cli/settings.hpp"
#include "base/result.hpp"
#include "llm/config.hpp"

namespace ds::agent {

// The flag and config-file layers of `s` for llm::resolve_endpoint (the
// environment layer is the process environment). `s` must outlive the result.
llm::SettingLayers endpoint_layers(const Settings& s);

// The `run` options that apply to every task: edit format, pinned files,
// budgets, timeouts, map size, pass-env, parallel tool calls. Task text and
// test command are filled by the caller.
Status fill_run_config(const Settings& s, RunConfig& c);

}  // namespace ds::agent
