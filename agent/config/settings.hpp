// Layered settings for every subcommand: command-line flags beat environment
// variables (DIFFSMITH_<KEY>), which beat the repo's .diffsmith.toml, which
// beats ~/.config/diffsmith/config.toml. Each value remembers its source so
// `doctor` and error messages can say where a setting came from.
//
// A repository is not trusted: its .diffsmith.toml may only set what
// repo_may_set() allows (nothing that could send the key elsewhere, pass it to
// the tests, or write outside the repository), and budgets (max-cost,
// max-turns, ...: OptionSpec::budget) only lower than the user's. Anything
// else it sets is refused: ignored, named on stderr, and listed in
// Settings::refused. Ignored rather than an error, so that the run goes on
// within the user's own limits and a hostile repository cannot stop it.
#pragma once

#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace ds::agent {

struct SettingValue {
  std::string value;   // lists are joined with '\n'
  std::string source;  // "--max-turns", "env DIFFSMITH_MAX_TURNS", "config /r/.diffsmith.toml"
  int line = 0;        // config files: the line the key is on (0: not known)
  bool repo = false;   // config files: the repository's .diffsmith.toml (else the user's file)
  std::string why;     // Settings::refused: why the repository's value is ignored ("" : may not set it)

  // The source as doctor shows it: "--max-turns", "env DIFFSMITH_MAX_TURNS",
  // "user config /home/u/.config/diffsmith/config.toml:3",
  // "repo config /r/.diffsmith.toml:2".
  std::string where() const;
};

class Settings {
 public:
  std::map<std::string, SettingValue> flags;  // from the command line
  std::map<std::string, SettingValue> files;  // from config files (repo file beats user file)
  // [mcp.servers.NAME] and [hooks] from the user's config, by dotted key as
  // written ("mcp.servers.docs.command", "hooks.after_edit"); lists joined
  // with '\n'. A repository's file may set none of them.
  std::map<std::string, SettingValue> tables;
  std::vector<SettingValue> refused;  // repo-file settings ignored: value = key, source = "config <path>"

  // The winning value for `key` (long option name without dashes).
  std::optional<SettingValue> get(const std::string& key) const;
  std::string str(const std::string& key, const std::string& fallback = "") const;
  std::vector<std::string> list(const std::string& key) const;
  Result<int64_t> integer(const std::string& key, int64_t fallback) const;
  Result<double> number(const std::string& key, double fallback) const;
  Result<bool> boolean(const std::string& key, bool fallback) const;

  // Environment-variable name used for `key`: the settings table's
  // (OPENAI_BASE_URL for base-url), else DIFFSMITH_MAX_TURNS for max-turns.
  static std::string env_name(const std::string& key);
};

// Whether a repository's .diffsmith.toml may set `key`: the settings marked
// repo_may_set() in the table (agent/cli/options.cpp), the ones that stay
// inside the repository (test command, edit format, budgets, map size, pinned
// files). Everything else, now or added later, is for the user's own config,
// the environment or flags only.
bool repo_may_set(std::string_view key);

// Reads the config files (the user's ~/.config/diffsmith/config.toml, then
// `repo_root`/.diffsmith.toml, which overrides it) into settings.files.
// Keys are the settings' long names, with '_' or '-' (max_turns is
// max-turns). A key not in `known_keys` is an error naming the file, the
// line and the nearest known name. A repo-file key that repo_may_set() refuses, or a budget it
// would raise (or lift: 0 is no limit for max-cost and max-time), is left out, recorded in
// s.refused and reported on `warn` with the setting named.
Status load_config_files(Settings& s, const std::string& repo_root,
                         const std::vector<std::string>& known_keys, std::ostream& warn = std::cerr);

}  // namespace ds::agent
