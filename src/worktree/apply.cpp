// apply_changes: check every path and its current bytes, journal the writes,
// replace each file atomically (temp file + rename), verify, roll back on
// any failure.
#include "worktree/apply.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <set>

#include "base/atomic_write.hpp"
#include "diff/unified_diff.hpp"
#include "text/repo_paths.hpp"
#include "worktree/journal.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles
namespace {

struct Planned {
  std::string rel;
  std::string abs;
  const edit::FileChange* change = nullptr;
  std::optional<mode_t> old_mode;     // permission bits of the file before
  std::vector<std::string> new_dirs;  // folders made for a new file
  bool touched = false;               // a write was attempted: roll back on failure
};

// Puts every touched file back to its `before` state (which step 1 saw on
// disk) and removes the folders made for new files; returns what failed.
std::string roll_back(const std::string& root, const std::vector<Planned>& planned) {
  std::string problems;
  for (auto it = planned.rbegin(); it != planned.rend(); ++it) {
    if (!it->touched) continue;
    const auto& before = it->change->before;
    auto disk = read_file_raw(it->abs);
    if (!(disk && *disk == before)) {
      if (before) {
        Status st = make_parent_dirs(root, it->rel);
        if (st) st = write_file_atomic(it->abs, *before, it->old_mode.value_or(new_file_mode(false)));
        if (!st) problems += "; restoring '" + it->rel + "' failed: " + st.error().message;
      } else {
        ::unlink(it->abs.c_str());
      }
    }
    remove_created_dirs(it->new_dirs);
  }
  return problems;
}

Status write_one(const std::string& root, Planned& p) {
  if (!p.change->after) {
    if (::unlink(p.abs.c_str()) != 0)
      return make_error("cannot delete '" + p.rel + "'; check the folder's permissions", ErrorKind::IoError);
    remove_empty_parents(root, p.rel);
    return Ok{};
  }
  Status st = make_parent_dirs(root, p.rel, &p.new_dirs);
  if (!st) return st;
  return write_file_atomic(p.abs, *p.change->after, p.old_mode.value_or(new_file_mode(false)));
}

// Where the bytes on disk first differ from the expected ones, for messages.
std::string describe_mismatch(const std::optional<std::string>& disk,
                              const std::optional<std::string>& expected) {
  if (!expected) return "it should have been deleted but still exists";
  if (!disk) return "it should exist but is missing";
  size_t i = 0;
  while (i < disk->size() && i < expected->size() && (*disk)[i] == (*expected)[i]) ++i;
  return "it holds " + std::to_string(disk->size()) + " bytes instead of the " +
         std::to_string(expected->size()) + " expected, first differing at byte " + std::to_string(i);
}

}  // namespace

Result<std::string> patch_for(const std::vector<edit::FileChange>& changes) {
  std::vector<edit::FileChange> clean;
  for (const auto& c : changes) {
    auto rel = text::normalize_repo_path(c.path);
    if (!rel) return make_error(rel.error().message, ErrorKind::PathRefused);
    clean.push_back({*rel, c.before, c.after});
  }
  return diff::unified_diff(clean);
}

namespace {

// Every path safe and named once, every file still as the planner saw it.
// Changes that change nothing are dropped.
Result<std::vector<Planned>> plan_writes(const std::string& root,
                                         const std::vector<edit::FileChange>& changes) {
  std::vector<Planned> planned;
  std::set<std::string> seen;
  for (const auto& change : changes) {
    auto rel = text::normalize_repo_path(change.path);
    if (!rel) return make_error(rel.error().message, ErrorKind::PathRefused);
    if (!seen.insert(*rel).second)
      return make_error("'" + *rel + "' appears twice in one set of changes; merge them into one change",
                        ErrorKind::PathRefused);
    auto current = text::read_repo_file(root, *rel);
    if (!current) return make_error(current.error().message, ErrorKind::PathRefused);
    if (change.before == change.after) continue;  // nothing to do
    if (change.before && !*current)
      return make_error("'" + *rel + "' no longer exists on disk; read it again and redo the edit",
                        ErrorKind::Stale);
    if (change.before && **current != *change.before)
      return make_error("'" + *rel + "' changed on disk since it was read; read it again and redo the edit",
                        ErrorKind::Stale);
    if (!change.before && *current)
      return make_error("cannot create '" + *rel +
                            "': a file (untracked or ignored) already exists there; read it and edit it "
                            "instead",
                        ErrorKind::Stale);

    Planned p{*rel, root + "/" + *rel, &change, std::nullopt, {}, false};
    struct stat st;
    if (change.before && ::stat(p.abs.c_str(), &st) == 0) p.old_mode = st.st_mode & 07777;
    planned.push_back(std::move(p));
  }
  return planned;
}

// Says what is about to be written before writing it, so `diffsmith undo`
// finds these files even if the process dies while writing.
Status journal_planned(git::Repository& repo, const std::vector<Planned>& planned) {
  std::vector<JournalEntry> journal;
  for (const auto& p : planned)
    journal.push_back({p.rel, p.change->after ? blob_id_of(*p.change->after) : std::string()});
  return journal_writes(repo, journal);
}

// Each file replaced atomically, as raw bytes. No index, no index.lock: a
// conflicted index (merge, rebase) or a stale lock left by a killed git does
// not stop edits to the work tree, and a kill at any moment leaves every file
// whole (old or new). libgit2's git_apply is not used here: it writes files in
// place (truncate, then write) and always takes .git/index.lock, even for
// GIT_APPLY_LOCATION_WORKDIR. A failure rolls every file back.
Status write_planned(const std::string& root, std::vector<Planned>& planned) {
  for (auto& p : planned) {
    p.touched = true;
    Status st = write_one(root, p);
    if (!st)
      return make_error(st.error().message + "; all changes were rolled back" + roll_back(root, planned),
                        st.error().kind);
  }
  return Ok{};
}

// The bytes on disk are exactly the planned ones, or everything is rolled back.
Status verify_planned(const std::string& root, std::vector<Planned>& planned) {
  for (const auto& p : planned) {
    auto disk = read_file_raw(p.abs);
    if (disk && *disk == p.change->after) continue;
    std::string why = disk ? describe_mismatch(*disk, p.change->after) : disk.error().message;
    return make_error("after applying the changes, '" + p.rel + "' is wrong: " + why +
                          "; all changes were rolled back (something else wrote to it at the same time?)" +
                          roll_back(root, planned),
                      ErrorKind::VerifyFailed);
  }
  return Ok{};
}

}  // namespace

Status apply_changes(git::Repository& repo, const std::vector<edit::FileChange>& changes) {
  ensure_libgit2();
  const std::string& root = repo.root();
  auto planned = plan_writes(root, changes);
  if (!planned) return planned.error();
  if (planned->empty()) return Ok{};
  if (Status st = journal_planned(repo, *planned); !st) return st;
  if (Status st = write_planned(root, *planned); !st) return st;
  return verify_planned(root, *planned);
}

}  // namespace ds::worktree
