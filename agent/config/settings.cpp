// Settings layering and config-file reading (TOML through CLI11's reader).
#include "agent/config/settings.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

#include "agent/config/options.hpp"

namespace ds::agent {

std::string Settings::env_name(const std::string& key) { return setting_env_name(key); }

std::string SettingValue::where() const {
  if (source.rfind("config ", 0) != 0) return source;
  return std::string(repo ? "repo config " : "user config ") + source.substr(7) +
         (line > 0 ? ":" + std::to_string(line) : "");
}

std::optional<SettingValue> Settings::get(const std::string& key) const {
  if (auto it = flags.find(key); it != flags.end()) return it->second;
  std::string env = env_name(key);
  if (const char* v = std::getenv(env.c_str()); v && *v) return SettingValue{v, "env " + env};
  if (auto it = files.find(key); it != files.end()) return it->second;
  return std::nullopt;
}

std::string Settings::str(const std::string& key, const std::string& fallback) const {
  auto v = get(key);
  return v ? v->value : fallback;
}

std::vector<std::string> Settings::list(const std::string& key) const {
  std::vector<std::string> out;
  auto v = get(key);
  if (!v) return out;
  size_t start = 0;
  while (start <= v->value.size()) {
    size_t nl = v->value.find('\n', start);
    if (nl == std::string::npos) nl = v->value.size();
    if (nl > start) out.push_back(v->value.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

Result<int64_t> Settings::integer(const std::string& key, int64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  char* end = nullptr;
  long long n = std::strtoll(v->value.c_str(), &end, 10);
  if (v->value.empty() || *end != '\0')
    return make_error(key + " must be a whole number, got '" + v->value + "' (from " + v->source + ")");
  return static_cast<int64_t>(n);
}

Result<double> Settings::number(const std::string& key, double fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  char* end = nullptr;
  double d = std::strtod(v->value.c_str(), &end);
  if (v->value.empty() || *end != '\0')
    return make_error(key + " must be a number, got '" + v->value + "' (from " + v->source + ")");
  return d;
}

Result<bool> Settings::boolean(const std::string& key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  std::string s = v->value;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return make_error(key + " must be true or false, got '" + v->value + "' (from " + v->source + ")");
}

bool repo_may_set(std::string_view key) {
  const OptionSpec* o = find_setting(key);
  return o && o->repo;
}

namespace {

std::string dashed(std::string key) {
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

// The line of each `key = ...` in a TOML file, by "section.key" with '-' for
// '_' (CLI11's reader gives values, not lines). The first one wins.
std::map<std::string, int> key_lines(const std::string& path) {
  std::map<std::string, int> lines;
  std::ifstream in(path);
  std::string line, section;
  for (int n = 1; std::getline(in, line); ++n) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    if (line[b] == '[') {
      size_t e = line.find(']', b);
      section = e == std::string::npos ? "" : line.substr(b + 1, e - b - 1);
      section.erase(std::remove(section.begin(), section.end(), '['), section.end());
      section.erase(
          std::remove_if(section.begin(), section.end(), [](char c) { return c == ' ' || c == '"'; }),
          section.end());
      continue;
    }
    size_t eq = line.find('=', b);
    if (eq == std::string::npos) continue;
    std::string key = line.substr(b, eq - b);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'')) key = key.substr(1, key.size() - 2);
    lines.emplace((section.empty() ? "" : dashed(section) + ".") + dashed(key), n);
  }
  return lines;
}

// A number as a budget compares: "no limit" is the loosest of all.
std::optional<double> budget_value(const OptionSpec& o, const std::string& text) {
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || d != d) return std::nullopt;
  if (o.budget == Budget::LowerOrNoLimit && d <= 0) return std::numeric_limits<double>::infinity();
  return d;
}

// Why a repository's `value` for the budget `o` is refused: it is looser
// than what applies without the repository's file (a flag, the environment,
// the user's config, else the default; unset is no limit). "" when it is as
// tight or tighter, or not a number (the usual error then names the file).
std::string looser_budget(const Settings& s, const OptionSpec& o, const std::string& value) {
  auto repo_value = budget_value(o, value);
  if (!repo_value) return "";
  std::optional<SettingValue> mine = s.get(o.name);  // the repository's file is not read yet
  std::string applies = mine ? mine->value : o.default_text;
  std::string from = mine ? mine->where() : "the default";
  std::optional<double> limit = std::numeric_limits<double>::infinity();
  if (!applies.empty()) limit = budget_value(o, applies);
  // The user's own value is no number: theirs stays, and its error is shown.
  if (!limit) return "a repository may only lower it";
  if (*repo_value <= *limit) return "";
  bool no_limit =
      o.budget == Budget::LowerOrNoLimit && *repo_value == std::numeric_limits<double>::infinity();
  return std::string("a repository may only lower a budget") +
         (no_limit ? ", and " + value + " means no limit" : "") + "; " +
         (applies.empty() ? "no value" : applies) + " applies (" + from + ")";
}

// Reads one TOML file into `s`. A repository's file (`repo`) may only set
// what repo_may_set() allows.
Status read_file_into(Settings& s, const std::string& path, const std::vector<std::string>& known, bool repo,
                      std::ostream& warn) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const std::exception& e) {
    return make_error("cannot read config file " + path + ": " + e.what());
  }
  std::map<std::string, int> lines = key_lines(path);
  for (const auto& item : items) {
    // Sections are allowed for grouping ([run], [model]); keys are flat.
    if (item.name.empty() || item.name == "++" || item.name == "--") continue;  // section markers
    std::string key = dashed(item.name);                                        // max_cost is max-cost
    std::string section;
    for (const auto& p : item.parents) section += dashed(p) + ".";
    auto line_it = lines.find(section + key);
    int line = line_it == lines.end() ? 0 : line_it->second;
    std::string at = path + (line > 0 ? ":" + std::to_string(line) : "");
    // lint.EXT = "CMD {file}": the syntax guard's checker for an extension,
    // a command run on every edit, so the user's own config only.
    if (section == "lint.") {
      if (repo) {
        warn << "diffsmith: ignoring 'lint." << item.name << "' in " << at
             << ": a repository's .diffsmith.toml may not set a command the syntax guard runs; set it in "
                "~/.config/diffsmith/config.toml\n";
        s.refused.push_back(SettingValue{"lint." + item.name, "config " + path, line, true});
      } else if (!item.inputs.empty()) {
        s.files["lint." + item.name] = SettingValue{item.inputs.front(), "config " + path, line, false};
      }
      continue;
    }
    std::string joined;
    for (size_t i = 0; i < item.inputs.size(); ++i) joined += (i ? "\n" : "") + item.inputs[i];
    if (!item.parents.empty() && (item.parents[0] == "mcp" || item.parents[0] == "hooks")) {
      std::string full;
      for (const auto& p : item.parents) full += p + ".";
      full += item.name;
      if (repo) {  // a repository could run any command as the user through them
        warn << "diffsmith: ignoring '" << full << "' in " << at
             << ": a repository's .diffsmith.toml may not name MCP servers or hooks (they run commands as "
                "you); set them in ~/.config/diffsmith/config.toml\n";
        s.refused.push_back(SettingValue{full, "config " + path, line, true});
      } else {
        s.tables[full] = SettingValue{joined, "config " + path, line, false};
      }
      continue;
    }
    // One file serves every command: a setting of another command (workers
    // for batch, seen by run) is accepted, and this command ignores it.
    bool is_known = std::find(known.begin(), known.end(), key) != known.end() || find_setting(key);
    if (!is_known) {
      std::string near = nearest_setting(key);
      return make_error(at + ": unknown setting '" + item.fullname() + "'" +
                        (near.empty() ? std::string() : " (did you mean " + near + "?)") +
                        "; settings are the long option names, e.g. max-turns = 30 (docs/settings.md)");
    }
    if (repo && !repo_may_set(key)) {
      warn << "diffsmith: ignoring '" << key << "' in " << at
           << ": a repository's .diffsmith.toml may not set it (it could send the API key elsewhere, "
              "expose it to the tests, or write outside the repository); set it in "
              "~/.config/diffsmith/config.toml, as "
           << Settings::env_name(key) << " or as --" << key << "\n";
      s.refused.push_back(SettingValue{key, "config " + path, line, true});
      continue;
    }
    if (const OptionSpec* o = find_setting(key); repo && o && o->budget != Budget::None) {
      if (std::string why = looser_budget(s, *o, joined); !why.empty()) {
        warn << "diffsmith: ignoring '" << key << " = " << joined << "' in " << at << ": " << why
             << ". To raise it, pass --" << key << " or set it in ~/.config/diffsmith/config.toml\n";
        s.refused.push_back(SettingValue{key, "config " + path, line, true, why});
        continue;
      }
    }
    s.files[key] = SettingValue{joined, "config " + path, line, repo};
  }
  return Ok{};
}

}  // namespace

Status load_config_files(Settings& s, const std::string& repo_root,
                         const std::vector<std::string>& known_keys, std::ostream& warn) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, bool>> paths;  // path, is the repository's
  std::string user_dir;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    user_dir = x;
  else if (const char* h = std::getenv("HOME"); h && *h)
    user_dir = std::string(h) + "/.config";
  if (!user_dir.empty()) paths.emplace_back(user_dir + "/diffsmith/config.toml", false);
  if (!repo_root.empty()) paths.emplace_back(repo_root + "/.diffsmith.toml", true);
  for (const auto& [p, repo] : paths) {  // later files override earlier ones
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    Status st = read_file_into(s, p, known_keys, repo, warn);
    if (!st.ok()) return st;
  }
  return Ok{};
}

}  // namespace ds::agent
