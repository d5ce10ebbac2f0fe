// list_runs: hidden refs + trajectory files, summarised from run_started,
// model_turn and run_finished events.
#include "agent/cli/run_history.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "agent/sinks/edit_stream.hpp"
#include "agent/trajectory.hpp"
#include "text/terminal.hpp"
#include "worktree/lock.hpp"
#include "worktree/undo.hpp"

namespace ds::agent {
namespace {

namespace fs = std::filesystem;

// The task: run_started's "task" when the run wrote one, else the "# Task"
// section of the first user message (agent/context.cpp writes it).
std::string task_of(const Trajectory& t) {
  if (const json::Value* s = t.find_event("run_started"); s && s->has("task"))
    return (*s)["task"].as_string();
  for (const auto& m : t.messages) {
    if (m.role != llm::Role::User) continue;
    const std::string marker = "# Task\n\n";
    size_t at = m.content.find(marker);
    if (at == std::string::npos) return {};
    at += marker.size();
    size_t end = m.content.find("\n\n# ", at);
    return m.content.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return {};
}

size_t files_in_diff(const std::string& diff) {
  size_t n = 0;
  for (size_t at = 0; (at = diff.find("diff --git ", at)) != std::string::npos; ++at)
    if (at == 0 || diff[at - 1] == '\n') ++n;
  return n;
}

// Fills r from the trajectory; true when the run finished (run_finished).
bool summarise(RunInfo& r, const Trajectory& t) {
  r.task = task_of(t);
  if (const json::Value* s = t.find_event("run_started")) r.model = (*s)["model"].as_string();
  if (const json::Value* f = t.last_event("run_finished")) {
    r.status = (*f)["status"].as_string();
    r.reason = (*f)["reason"].as_string();
    r.turns = (*f)["turns"].as_int();
    r.summary = summary_text((*f)["summary"].as_string(), r.turns);
    if ((*f)["cost_usd"].is_number()) r.cost_usd = (*f)["cost_usd"].as_double();
    r.files_changed = files_in_diff((*f)["diff"].as_string());
    return true;
  }
  // Killed: what the events say so far.
  double cost = 0;
  bool priced = true;
  for (const auto& e : t.events) {
    if (e["type"].as_string() != "model_turn") continue;
    r.turns = std::max(r.turns, e["turn"].as_int());
    if (e["cost_usd"].is_number())
      cost += e["cost_usd"].as_double();
    else
      priced = false;
  }
  if (priced) r.cost_usd = cost;
  return false;
}

}  // namespace

std::string summary_text(const std::string& summary, int64_t turns) {
  std::string prose = EditStream::prose_of(summary);
  size_t begin = prose.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return turns > 0 ? "no summary: the model did not call finish" : "";
  size_t end = prose.find_last_not_of(" \t\r\n");
  return prose.substr(begin, end + 1 - begin);
}

std::string format_local_time(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string first_line(const std::string& text, size_t width) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > width) {
    size_t cut = width - 1;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut) + "…";
  }
  return text::terminal_safe(line);  // a task text (an issue's) may hold escapes
}

Status mark_undone(git::Repository& repo, const std::string& run_id, bool undone) {
  auto path = git::diffsmith_file(repo, "undone", run_id);
  if (!path) return path.error();
  std::error_code ec;
  if (!undone) {
    fs::remove(*path, ec);
    if (ec) return make_error("cannot remove " + *path + ": " + ec.message());
    return Ok{};
  }
  std::ofstream out(*path, std::ios::trunc);
  out << run_id << "\n";
  if (!out) return make_error("cannot write " + *path);
  return Ok{};
}

std::string run_id_of(const git::RunRef& ref) { return ref.name.substr(kRunRefPrefix.size()); }

Result<std::vector<git::RunRef>> run_refs(git::Repository& repo) {
  auto refs = git::list_refs(repo, std::string(kRunRefPrefix));
  if (!refs) return refs.error();
  std::erase_if(*refs, [&](const git::RunRef& r) {
    return r.worktree != repo.worktree_id() || run_id_of(r).rfind("undo-", 0) == 0;
  });
  return refs;
}

int64_t written_at_ns(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

Result<std::vector<RunInfo>> list_runs(git::Repository& repo) {
  std::map<std::string, RunInfo> runs;
  auto refs = run_refs(repo);
  if (!refs) return refs.error();
  for (auto& ref : *refs) {
    std::string id = run_id_of(ref);
    RunInfo& r = runs[id];
    r.id = id;
    r.started = ref.first.time;
    r.ref = std::move(ref);
  }
  // diffsmith_dir is this work tree's own: its trajectories are its runs.
  auto dir = git::diffsmith_dir(repo);
  if (!dir) return dir.error();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(*dir + "/runs", ec)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::string id = entry.path().stem().string();
    RunInfo& r = runs[id];
    r.id = id;
    r.trajectory = entry.path().string();
    r.written_ns = written_at_ns(r.trajectory);
    if (!r.ref) r.started = r.written_ns / 1000000000;
  }
  for (const auto& entry : fs::directory_iterator(*dir + "/undone", ec))
    if (auto it = runs.find(entry.path().filename().string()); it != runs.end()) it->second.undone = true;
  std::vector<RunInfo> out;
  for (auto& [id, r] : runs) {
    r.status = "unfinished";
    bool finished = false;
    if (!r.trajectory.empty()) {
      auto t = read_trajectory(r.trajectory);
      if (t)
        finished = summarise(r, *t);
      else
        r.status = "unreadable";  // `show` says why
    }
    // Without a final diff, the checkpoints say what changed (this walks
    // both trees: only for the few runs that did not finish).
    if (!finished && r.ref) {
      auto changed = git::changed_between(repo, r.ref->first.commit, r.ref->tip.commit);
      if (!changed) return changed.error();
      r.files_changed = changed->size();
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const RunInfo& a, const RunInfo& b) {
    return std::tie(a.started, a.written_ns, a.id) > std::tie(b.started, b.written_ns, b.id);
  });
  return out;
}

Result<std::optional<InterruptedRun>> interrupted_run(git::Repository& repo,
                                                      const std::vector<std::string>& dirty) {
  auto runs = list_runs(repo);
  if (!runs) return runs.error();
  if (runs->empty() || runs->front().status != "unfinished" || !runs->front().ref)
    return std::optional<InterruptedRun>();
  InterruptedRun found{runs->front(), {}};
  auto wrote = worktree::run_paths(repo, *found.run.ref);  // sorted
  if (!wrote) return wrote.error();
  for (const auto& p : dirty)
    if (std::binary_search(wrote->begin(), wrote->end(), p)) found.paths.push_back(p);
  if (found.paths.empty()) return std::optional<InterruptedRun>();
  return std::optional<InterruptedRun>(std::move(found));
}

}  // namespace ds::agent
