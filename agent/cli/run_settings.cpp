// Settings → RunConfig and endpoint layers, shared by run and batch.
#include "agent/cli/run_settings.hpp"

#include <algorithm>

#include "llm/generation.hpp"

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
  for (const SettingValue& r : s.refused) l.refused.push_back(llm::SettingInfo{r.value, "", r.source});
  for (const auto& [k, v] : s.files) {
    l.config_path = v.source.substr(7);  // "config <path>"
    break;
  }
  return l;
}

// The `run` options that apply to every task (task and test come per task).
Status fill_run_config(const Settings& s, RunConfig& c) {
  std::string fmt = s.str("edit-format", "search-replace");
  if (fmt == "search-replace")
    c.edit_format = edit::Format::SearchReplace;
  else if (fmt == "patch")
    c.edit_format = edit::Format::Patch;
  else
    return make_error("--edit-format must be search-replace or patch (got '" + fmt + "')");
  c.pinned = s.list("file");
  c.pass_env = s.list("pass-env");
  auto turns = s.integer("max-turns", 30);
  auto cost = s.number("max-cost", 2.0);
  auto wall = s.integer("max-time", 0);
  auto tt = s.integer("test-timeout", 600);
  auto tot = s.integer("test-output-tokens", 2500);
  auto mt = s.integer("map-tokens", 4096);
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
  if (s.get("parallel-tool-calls")) {
    auto b = s.boolean("parallel-tool-calls", true);
    if (!b.ok()) return b.error();
    c.parallel_tool_calls = *b;
  }
  auto generation = llm::resolve_generation(endpoint_layers(s));
  if (!generation.ok()) return generation.error();
  c.generation = *generation;
  return Ok{};
}

}  // namespace ds::agent
