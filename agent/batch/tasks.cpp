// Reading tasks files: format detection, one entry → BatchTask with field
// checks, duplicate ids, FAIL_TO_PASS / PASS_TO_PASS as lists or as
// JSON-encoded strings.
#include "agent/batch/tasks.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "base/file_io.hpp"
#include "json/value.hpp"

namespace ds::agent {
namespace {

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A string field, or a number written as JSON ("version": 3.0 in some copies).
Result<std::string> text_field(const json::Value& v, std::string_view key, bool required) {
  const json::Value* f = v.find(key);
  if (!f || f->is_null()) {
    if (required) return make_error("missing field \"" + std::string(key) + "\"");
    return std::string();
  }
  if (f->is_string()) return f->as_string();
  if (f->is_number()) return json::dump(*f);
  return make_error("field \"" + std::string(key) + "\" must be a string");
}

// A list of test ids: a JSON list of strings, or a string holding one
// (the published SWE-bench JSONL encodes them that way).
Result<std::vector<std::string>> id_list(const json::Value& v, std::string_view key) {
  std::vector<std::string> out;
  const json::Value* f = v.find(key);
  if (!f || f->is_null()) return out;
  json::Value decoded;
  const json::Value* list = f;
  if (f->is_string()) {
    if (blank(f->as_string())) return out;
    auto parsed = json::parse(f->as_string());
    if (!parsed.ok() || !parsed->is_array())
      return make_error("field \"" + std::string(key) +
                        "\" is a string but not a JSON-encoded list of test ids");
    decoded = std::move(*parsed);
    list = &decoded;
  }
  if (!list->is_array()) return make_error("field \"" + std::string(key) + "\" must be a list of test ids");
  for (const auto& item : list->items()) {
    if (!item.is_string()) return make_error("field \"" + std::string(key) + "\" must hold only strings");
    out.push_back(item.as_string());
  }
  return out;
}

Result<BatchTask> task_from(const json::Value& v, const std::string& key_id) {
  if (!v.is_object()) return make_error("a task must be a JSON object");
  BatchTask t;
  t.swe_bench = v.has("instance_id") || v.has("problem_statement");
  auto id = text_field(v, t.swe_bench ? "instance_id" : "id", key_id.empty());
  if (!id) return id.error();
  t.id = id->empty() ? key_id : *id;
  if (!key_id.empty() && t.id != key_id)
    return make_error("the key \"" + key_id + "\" differs from the task's own id \"" + t.id + "\"");
  if (t.id.empty()) return make_error("the task id is empty");
  if (t.id.find_first_of("\r\n") != std::string::npos) return make_error("the task id contains a line break");

  auto repo = text_field(v, "repo", true);
  if (!repo) return repo.error();
  if (blank(*repo)) return make_error("field \"repo\" is empty");
  t.repo = *repo;
  auto base = text_field(v, "base_commit", false);
  if (!base) return base.error();
  t.base_commit = *base;

  if (t.swe_bench) {
    auto problem = text_field(v, "problem_statement", true);
    if (!problem) return problem.error();
    auto hints = text_field(v, "hints_text", false);
    if (!hints) return hints.error();
    // Kept apart: the model sees the hints only with --hints.
    t.text = swe_bench_task_text(*problem, "");
    if (!blank(*hints)) t.hints = *hints;
  } else {
    auto task = text_field(v, "task", true);
    if (!task) return task.error();
    t.text = *task;
  }
  if (blank(t.text))
    return make_error(t.swe_bench ? "field \"problem_statement\" is empty" : "field \"task\" is empty");

  auto cmd = text_field(v, "test_cmd", false);
  auto patch = text_field(v, "test_patch", false);
  auto version = text_field(v, "version", false);
  auto f2p = id_list(v, "FAIL_TO_PASS");
  auto p2p = id_list(v, "PASS_TO_PASS");
  for (const Error* e : {cmd.ok() ? nullptr : &cmd.error(), patch.ok() ? nullptr : &patch.error(),
                         version.ok() ? nullptr : &version.error(), f2p.ok() ? nullptr : &f2p.error(),
                         p2p.ok() ? nullptr : &p2p.error()})
    if (e) return *e;
  t.test_cmd = *cmd;
  t.test_patch = *patch;
  t.version = *version;
  t.fail_to_pass = std::move(*f2p);
  t.pass_to_pass = std::move(*p2p);
  return t;
}

// Adds one entry (or its error) to `out`, checking the id is new.
void add_entry(TaskFile& out, std::map<std::string, std::string>& seen, const json::Value& v,
               const std::string& where, const std::string& key_id) {
  auto t = task_from(v, key_id);
  if (!t.ok()) {
    std::string id = key_id;
    if (id.empty() && v.is_object()) id = v["instance_id"].as_string_or(v["id"].as_string());
    out.bad.push_back({where, id, t.error().message});
    return;
  }
  auto [it, fresh] = seen.emplace(t->id, where);
  if (!fresh) {
    out.bad.push_back({where, t->id, "duplicate id \"" + t->id + "\" (first seen on " + it->second + ")"});
    return;
  }
  t->where = where;
  out.tasks.push_back(std::move(*t));
}

bool looks_like_task(const json::Value& v) {
  for (const char* k : {"instance_id", "id", "repo", "problem_statement", "task"})
    if (v.has(k)) return true;
  return false;
}

}  // namespace

std::string swe_bench_task_text(const std::string& problem_statement, const std::string& hints) {
  std::string text = problem_statement;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  if (!blank(hints)) {
    std::string h = hints;
    while (!h.empty() && (h.back() == '\n' || h.back() == ' ' || h.back() == '\r')) h.pop_back();
    text += "\n\n## Hints (from the issue discussion)\n\n" + h;
  }
  return text + "\n";
}

std::string model_task_text(const BatchTask& t, bool with_hints) {
  return with_hints && !t.hints.empty() ? swe_bench_task_text(t.text, t.hints) : t.text;
}

Result<TaskFile> parse_tasks(std::string_view text) {
  TaskFile out;
  // A UTF-8 byte order mark (Windows editors write one) is not part of the
  // JSON: neither simdjson nor the JSONL reader below would take the first
  // task with it.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::map<std::string, std::string> seen;
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return out;
  if (text[first] == '[') {
    auto all = json::parse(text);
    if (!all.ok())
      return make_error("the tasks file starts with '[' but is not a valid JSON list: " +
                        all.error().message);
    size_t i = 0;
    for (const auto& item : all->items()) add_entry(out, seen, item, "item " + std::to_string(++i), "");
    return out;
  }
  // A whole-file object is either one task (a one-line JSONL file) or a map
  // keyed by id.
  if (auto all = json::parse(text); all.ok() && all->is_object() && !looks_like_task(*all)) {
    for (const auto& [key, item] : all->members()) add_entry(out, seen, item, "key \"" + key + "\"", key);
    return out;
  }
  size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    ++line_no;
    pos = nl + 1;
    if (blank(line)) continue;
    std::string where = "line " + std::to_string(line_no);
    auto v = json::parse(line);
    if (!v.ok()) {
      out.bad.push_back({where, "", "not valid JSON (" + v.error().message + ")"});
      continue;
    }
    add_entry(out, seen, *v, where, "");
  }
  return out;
}

Result<TaskFile> load_tasks(const std::string& path) {
  auto text = read_whole_file(path);
  if (!text) return make_error("cannot read the tasks file: " + text.error().message + "; check the path");
  auto r = parse_tasks(*text);
  if (!r.ok()) return make_error(path + ": " + r.error().message);
  return r;
}

}  // namespace ds::agent
