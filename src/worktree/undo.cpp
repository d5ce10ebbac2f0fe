// run_paths / plan_undo / remove_killed_write_leftovers: checkpoints plus
// the write journal, compared by blob id.
#include "worktree/undo.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "base/atomic_write.hpp"
#include "git/blob.hpp"
#include "worktree/journal.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles

Result<std::vector<std::string>> run_paths(git::Repository& repo, const RunRef& run) {
  auto changed = changed_between(repo, run.first.commit, run.tip.commit);
  if (!changed) return changed.error();
  auto journal = read_journal(repo, run.name);
  if (!journal) return journal.error();
  std::set<std::string> paths(changed->begin(), changed->end());
  for (const auto& e : *journal) paths.insert(e.path);
  return std::vector<std::string>(paths.begin(), paths.end());
}

Result<UndoPlan> plan_undo(git::Repository& repo, const RunRef& run, const std::string& now_commit) {
  auto paths = run_paths(repo, run);
  if (!paths) return paths.error();
  auto journal = read_journal(repo, run.name);
  if (!journal) return journal.error();
  // Per path, every content the run wrote (std::nullopt: it deleted the file).
  std::map<std::string, std::set<std::optional<std::string>>> written;
  for (const auto& e : *journal)
    written[e.path].insert(e.blob.empty() ? std::nullopt : std::optional<std::string>(e.blob));

  UndoPlan plan;
  for (const auto& path : *paths) {
    auto start = blob_id_at_commit(repo, run.first.commit, path);
    if (!start) return start.error();
    auto now = blob_id_at_commit(repo, now_commit, path);
    if (!now) return now.error();
    if (*now == *start) continue;  // already as the run found it
    plan.restore.push_back(path);
    auto tip = blob_id_at_commit(repo, run.tip.commit, path);
    if (!tip) return tip.error();
    auto it = written.find(path);
    bool runs = *now == *tip || (it != written.end() && it->second.count(*now));
    if (!runs) plan.changed_since.push_back(path);
  }
  return plan;
}

std::vector<std::string> remove_killed_write_leftovers(git::Repository& repo, const RunRef& run) {
  std::vector<std::string> removed;
  auto journal = read_journal(repo, run.name);
  if (!journal) return removed;
  std::set<std::string> paths;
  for (const auto& e : *journal) paths.insert(e.path);
  for (const auto& path : paths) {
    for (const auto& tmp : leftover_temporaries(repo.root() + "/" + path)) {
      if (::unlink(tmp.c_str()) == 0) removed.push_back(tmp.substr(repo.root().size() + 1));
    }
    // A new file's folders, made just before the kill, are empty now.
    if (!removed.empty() && ::access((repo.root() + "/" + path).c_str(), F_OK) != 0)
      remove_empty_parents(repo.root(), path);
  }
  return removed;
}

}  // namespace ds::worktree
