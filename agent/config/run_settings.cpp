// Settings → RunConfig, endpoint layers and the test command, shared by run,
// batch and doctor.
#include "agent/config/run_settings.hpp"

#include <algorithm>
#include <cstdlib>

#include "agent/config/lint_setup.hpp"
#include "agent/config/options.hpp"
#include "agent/config/test_detect.hpp"
#include "llm/generation.hpp"
#include "text/byte_size.hpp"

namespace ds::agent {

llm::SettingLayers endpoint_layers(const Settings& s) {
  llm::SettingLayers l;
  l.flag = [&s](std::string_view key) -> std::optional<std::string> {
    auto it = s.flags.find(std::string(key));
    if (it == s.flags.end()) return std::nullopt;
    return it->second.value;
  };
  l.config = [&s](std::string_view key) -> std::optional<std::string> {
    auto it = s.files.find(std::string(key));
    if (it == s.files.end()) return std::nullopt;
    return it->second.value;
  };
  for (const SettingValue& r : s.refused)
    l.refused.push_back(llm::SettingInfo{r.value, r.why, r.source});  // value: why
  for (const auto& [k, v] : s.files) {
    l.config_path = v.source.substr(7);  // "config <path>"
    break;
  }
  return l;
}

namespace {

// A whole-number setting, its default from the settings table.
Result<int64_t> table_integer(const Settings& s, const std::string& key) {
  const OptionSpec* o = find_setting(key);
  return s.integer(key, o ? std::strtoll(o->default_text, nullptr, 10) : 0);
}

Result<double> table_number(const Settings& s, const std::string& key) {
  const OptionSpec* o = find_setting(key);
  return s.number(key, o ? std::strtod(o->default_text, nullptr) : 0);
}

// keep-turns, collapse-block, context-tokens.
Status fill_collapse(const Settings& s, CollapseOptions& c) {
  auto keep = table_integer(s, "keep-turns");
  auto block = table_integer(s, "collapse-block");
  auto ceiling = table_integer(s, "context-tokens");
  for (const auto* r : {&keep, &block, &ceiling})
    if (!r->ok()) return r->error();
  if (*keep < 0) return make_error("--keep-turns must be 0 (never collapse) or more");
  if (*block < 1) return make_error("--collapse-block must be at least 1");
  if (*ceiling < 0) return make_error("--context-tokens must be 0 (no ceiling) or more");
  c.enabled = *keep > 0;
  c.keep_turns = static_cast<int>(*keep);
  c.block_turns = static_cast<int>(*block);
  c.max_tokens = static_cast<size_t>(*ceiling);
  return Ok{};
}

// no-instructions, instructions-bytes; the user's AGENTS.md. The
// working directory is the caller's (run's -C; batch: each checkout's root).
Status fill_instructions(const Settings& s, InstructionOptions& o) {
  auto off = s.boolean("no-instructions", false);
  if (!off.ok()) return off.error();
  o.enabled = !*off;
  auto cap =
      text::parse_byte_size(s.str("instructions-bytes", find_setting("instructions-bytes")->default_text));
  if (!cap) return make_error("--instructions-bytes: " + cap.error().message);
  o.max_bytes = *cap;
  o.user_file = user_instructions_path();
  return Ok{};
}

}  // namespace

// The `run` options that apply to every task (task and test come per task).
Status fill_run_config(const Settings& s, RunConfig& c) {
  auto lint = syntax_guard_config(s);
  if (!lint.ok()) return lint.error();
  c.lint = std::move(*lint);
  std::string fmt = s.str("edit-format", find_setting("edit-format")->default_text);
  if (fmt == "search-replace")
    c.edit_format = edit::Format::SearchReplace;
  else if (fmt == "patch")
    c.edit_format = edit::Format::Patch;
  else
    return make_error("--edit-format must be search-replace or patch (got '" + fmt + "' from " +
                      s.get("edit-format")->where() + ")");
  c.pinned = s.list("file");
  c.pass_env = s.list("pass-env");
  auto turns = table_integer(s, "max-turns");
  auto cost = table_number(s, "max-cost");
  auto wall = table_integer(s, "max-time");
  auto tt = table_integer(s, "test-timeout");
  auto tot = table_integer(s, "test-output-tokens");
  auto mt = table_integer(s, "map-tokens");
  for (const Error* e : {turns.ok() ? nullptr : &turns.error(), cost.ok() ? nullptr : &cost.error(),
                         wall.ok() ? nullptr : &wall.error(), tt.ok() ? nullptr : &tt.error(),
                         tot.ok() ? nullptr : &tot.error(), mt.ok() ? nullptr : &mt.error()})
    if (e) return *e;
  if (*turns < 1) return make_error("--max-turns must be at least 1");
  if (*tt < 1) return make_error("--test-timeout must be at least 1 second");
  c.max_turns = static_cast<int>(*turns);
  c.max_cost = *cost;
  c.max_wall_s = static_cast<int>(*wall);
  c.test_timeout_s = static_cast<int>(*tt);
  c.test_output_tokens = static_cast<size_t>(std::max<int64_t>(200, *tot));
  c.map_tokens = static_cast<size_t>(std::max<int64_t>(0, *mt));
  if (Status st = fill_collapse(s, c.collapse); !st.ok()) return st;
  if (Status st = fill_instructions(s, c.instructions); !st.ok()) return st;
  std::string size_text = s.str("max-diff-file-size", find_setting("max-diff-file-size")->default_text);
  auto max_diff = text::parse_byte_size(size_text);
  if (!max_diff) {
    auto from = s.get("max-diff-file-size");
    return make_error("--max-diff-file-size: " + max_diff.error().message +
                      (from ? " (from " + from->where() + ")" : std::string()));
  }
  c.max_diff_file_size = *max_diff;
  if (s.get("parallel-tool-calls")) {
    auto b = s.boolean("parallel-tool-calls", true);
    if (!b.ok()) return b.error();
    c.parallel_tool_calls = *b;
  }
  for (auto [key, value] : {std::pair<const char*, bool*>{"allow-test-edits", &c.allow_test_edits},
                            {"reproduce", &c.reproduce},
                            {"keep-repro", &c.keep_repro}}) {
    auto b = s.boolean(key, false);
    if (!b.ok()) return b.error();
    *value = *b;
  }
  auto attempts = table_integer(s, "attempts");
  auto agree = table_integer(s, "agree");
  auto parallel = table_integer(s, "attempts-parallel");
  for (const Error* e : {attempts.ok() ? nullptr : &attempts.error(), agree.ok() ? nullptr : &agree.error(),
                         parallel.ok() ? nullptr : &parallel.error()})
    if (e) return *e;
  if (*attempts < 1 || *attempts > 20) return make_error("--attempts must be from 1 to 20");
  if (*agree < 0 || *agree > *attempts) return make_error("--agree must be from 0 to --attempts");
  if (*parallel < 1) return make_error("--attempts-parallel must be at least 1");
  c.attempts = static_cast<int>(*attempts);
  c.agree = static_cast<int>(*agree);
  c.attempts_parallel = static_cast<int>(*parallel);
  auto generation = llm::resolve_generation(endpoint_layers(s));
  if (!generation.ok()) return generation.error();
  c.generation = *generation;
  return Ok{};
}

Result<TestChoice> resolve_test_command(const Settings& s, const std::string& root) {
  auto no_test = s.boolean("no-test", false);
  if (!no_test.ok()) return no_test.error();
  auto given = s.get("test");
  if (given && !given->value.empty()) {
    if (*no_test)
      return make_error("both a test command (" + given->where() + ") and --no-test were given; pick one");
    return TestChoice{given->value, given->source == "--test" ? "-t" : given->source};
  }
  if (*no_test) return TestChoice{"", "--no-test"};
  DetectedTests d = detect_test_command(root);
  if (d.command.empty())
    return make_error(
        "no test command: none was given and none could be detected in " + root +
        ". Pass -t \"COMMAND\" (or set test = \"...\" in .diffsmith.toml), or --no-test to run without "
        "tests.");
  return TestChoice{d.command, "detected from " + d.source};
}

}  // namespace ds::agent
