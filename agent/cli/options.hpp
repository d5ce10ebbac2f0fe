// Option tables: every setting a subcommand takes, with its help text and
// default, declared once. The CLI (cli.cpp) builds CLI11 options from them,
// config files accept the same names, and DIFFSMITH_<NAME> env vars too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ds::agent {

struct OptionSpec {
  const char* name;        // long name without dashes: "max-turns"
  const char* short_name;  // "-t" or ""
  const char* help;
  const char* default_text;  // shown in --help; "" for none
  bool flag = false;         // takes no value
  bool multi = false;        // may repeat (-f a -f b)
};

// `run` options (besides the endpoint ones, which src/llm/config.hpp lists).
const std::vector<OptionSpec>& run_options();

std::vector<std::string> option_names(const std::vector<OptionSpec>& a,
                                      const std::vector<OptionSpec>& b = {});

// The value placeholder --help shows for a numeric setting of any command
// (run, batch, endpoint, generation): "INT" or "FLOAT"; nullptr for text.
const char* option_value_name(std::string_view name);

}  // namespace ds::agent
