// `diffsmith doctor`: every resolved setting of run and batch with its
// source (flag, env, user or repo config file and line, default), the test
// command (given or detected, and why), then the model endpoint: one tiny
// request, and its latency, model, usage and rate-limit headers, or the exact
// failure.
#pragma once

#include <ostream>
#include <string>

#include "agent/config/settings.hpp"
#include "llm/config.hpp"

namespace ds::agent {

struct DoctorCommandArgs {
  std::string dir = ".";  // the repository whose .diffsmith.toml applies
  Settings settings;      // flags collected by the CLI; files loaded by the command
};

// Loads the config files, prints the settings table, resolves the endpoint
// and runs run_doctor(). Exit code: 2 for a configuration error, else
// run_doctor's.
int run_doctor_command(DoctorCommandArgs& a, std::ostream& out, std::ostream& err);

// Exit code: 0 the endpoint answered, 2 configuration error (e.g. no key),
// 3 API failure (130 if interrupted). Settings and the result go to `out`,
// failures to `err`. The API key is never printed.
int run_doctor(const llm::EndpointConfig& cfg, std::ostream& out, std::ostream& err);

// The settings table doctor prints (run options, then batch options), one
// row per setting: name, resolved value, source. `root` is the repository
// ("" outside one), for the detected test command.
void print_settings(const Settings& s, const std::string& root, std::ostream& out);

// The project instruction files a run in `dir` would read (instructions.hpp),
// in order, with their sizes and what the cap cuts.
void print_instructions(const Settings& s, const std::string& root, const std::string& dir,
                        std::ostream& out);

}  // namespace ds::agent
