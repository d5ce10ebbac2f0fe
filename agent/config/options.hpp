// The settings table: every setting a command takes, declared once with its
// help, default, value type, environment variable, whether a repository's
// .diffsmith.toml may set it and whether `batch` uses it. The CLI (cli.cpp)
// builds its options from these lists, the config files and DIFFSMITH_<NAME>
// accept the same names, `doctor` prints them with their sources, and
// docs/settings.md is checked against them (tests/unit/agent_settings_test.cpp).
// An option added here is accepted everywhere.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ds::agent {

// Whether a setting is a budget a repository may only tighten. Its value
// in a repository's .diffsmith.toml is compared with what would apply
// without it (the user's config file, else the default) and ignored, with a
// warning, unless it is as tight or tighter (agent/cli/settings.cpp).
enum class Budget : unsigned char {
  None,           // not a budget
  Lower,          // lower is tighter (max-turns; map-tokens, where 0 disables the map)
  LowerOrNoLimit  // lower is tighter, and 0 (or less) means no limit: the loosest (max-cost)
};

struct OptionSpec {
  const char* name;        // long name without dashes: "max-turns"
  const char* short_name;  // "-t" or ""
  const char* help;
  const char* default_text;            // shown in --help and by doctor; "" for none
  bool flag = false;                   // takes no value (true/false in env and config files)
  bool multi = false;                  // may repeat (-f a -f b); a list in config files
  const char* value_name = nullptr;    // "INT" / "FLOAT" for numbers, "SIZE" for bytes; nullptr for text
  const char* env = nullptr;           // environment variable; nullptr: DIFFSMITH_<NAME>
  bool repo = false;                   // a repository's .diffsmith.toml may set it
  const char* not_in_batch = nullptr;  // why `batch` ignores it; nullptr: batch uses it
  bool config_only = false;            // no flag: env and config files only (the API key)
  bool negatable = false;              // a flag that is on by default: --no-NAME turns it off
  Budget budget = Budget::None;        // a repository may only tighten it (repo is then true)

  // Builders, so that the table reads one setting per line.
  constexpr OptionSpec& short_opt(const char* s) { return short_name = s, *this; }
  constexpr OptionSpec& is_flag() { return flag = true, *this; }
  constexpr OptionSpec& is_list() { return multi = true, *this; }
  constexpr OptionSpec& integer() { return value_name = "INT", *this; }
  constexpr OptionSpec& number() { return value_name = "FLOAT", *this; }
  constexpr OptionSpec& byte_size() { return value_name = "SIZE", *this; }  // "10M": text::parse_byte_size
  constexpr OptionSpec& repo_may_set() { return repo = true, *this; }
  // A budget: a repository may set it, but only lower (tighter) than the user's.
  constexpr OptionSpec& repo_may_lower(Budget b = Budget::Lower) { return repo = true, budget = b, *this; }
  constexpr OptionSpec& batch_ignores(const char* why) { return not_in_batch = why, *this; }
  constexpr OptionSpec& no_flag() { return config_only = true, *this; }
  constexpr OptionSpec& with_no() { return negatable = true, *this; }
};

// `run` options besides the endpoint ones (task, tests, budgets, outputs,
// commands, containers).
const std::vector<OptionSpec>& run_options();

// The model endpoint and generation settings (src/llm/config.hpp declares
// their keys, environment variables and help; the type and the repository
// rule are added here), and api-key (never a flag; its variable is
// OPENAI_API_KEY, or AZURE_OPENAI_API_KEY for provider azure).
const std::vector<OptionSpec>& endpoint_options();

// The batch-only options (--out, --workers, --shard, ...).
const std::vector<OptionSpec>& batch_options();

// What `run` and `doctor` take on the command line: run + endpoint options.
const std::vector<OptionSpec>& run_command_options();
// What `batch` takes: batch + run + endpoint options.
const std::vector<OptionSpec>& batch_command_options();

// Every setting of every command (the names a config file may hold: one file
// serves run, batch and doctor).
const std::vector<OptionSpec>& all_settings();
std::vector<std::string> all_setting_names();

// The setting called `name` ('_' and '-' are the same), or nullptr.
const OptionSpec* find_setting(std::string_view name);

// The known name closest to `name` (edit distance, or a part of a longer
// name), or "" when none is close. `strict`: within 2 edits only.
std::string nearest_setting(std::string_view name, bool strict = false);

std::vector<std::string> option_names(const std::vector<OptionSpec>& a,
                                      const std::vector<OptionSpec>& b = {});

// The value placeholder --help shows for a numeric setting of any command
// (run, batch, endpoint, generation): "INT" or "FLOAT"; nullptr for text.
const char* option_value_name(std::string_view name);

// The environment variable of a setting: the table's, else DIFFSMITH_<NAME>
// (DIFFSMITH_MAX_TURNS for max-turns).
std::string setting_env_name(std::string_view name);

}  // namespace ds::agent
