// apply_changes: check every path and its current bytes, apply one patch
// through libgit2 (direct atomic writes only for attribute-filtered files),
// restore permission bits libgit2 drops, verify, roll back on any failure.
#include "git/apply.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <set>

#include "edit/paths.hpp"
#include "edit/unified_diff.hpp"
#include "git/file_io.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

struct Planned {
  std::string rel;
  std::string abs;
  const edit::FileChange* change = nullptr;
  std::optional<mode_t> old_mode;  // permission bits of the file before
  bool direct = false;             // written by us, not by libgit2
  bool touched = false;            // a write was attempted: roll back on failure
};

// True when git attributes or config make libgit2 convert this path's bytes
// between the work tree and the object database (either direction).
Result<bool> has_filters(Repository& repo, const std::string& rel) {
  for (git_filter_mode_t mode : {GIT_FILTER_TO_WORKTREE, GIT_FILTER_TO_ODB}) {
    git_filter_list* fl = nullptr;
    if (git_filter_list_load(&fl, repo.raw(), nullptr, rel.c_str(), mode, GIT_FILTER_DEFAULT) != 0)
      return git_failure("cannot load the git attributes for '" + rel + "'");
    FilterListPtr owned(fl);
    if (fl) return true;
  }
  return false;
}

std::string names(const std::vector<Planned*>& files) {
  std::string out;
  for (const Planned* p : files) out += (out.empty() ? "'" : ", '") + p->rel + "'";
  return out;
}

// Puts every touched file back to its `before` state (which step 1 saw on
// disk); returns what failed.
std::string roll_back(const std::string& root, const std::vector<Planned>& planned) {
  std::string problems;
  for (auto it = planned.rbegin(); it != planned.rend(); ++it) {
    if (!it->touched) continue;
    const auto& before = it->change->before;
    auto disk = read_file_raw(it->abs);
    if (disk && *disk == before) continue;  // never written, or already back
    if (before) {
      Status st = make_parent_dirs(root, it->rel);
      if (st) st = write_file_atomic(it->abs, *before, it->old_mode.value_or(new_file_mode(false)));
      if (!st) problems += "; restoring '" + it->rel + "' failed: " + st.error().message;
    } else if (::unlink(it->abs.c_str()) == 0) {
      remove_empty_parents(root, it->rel);
    }
  }
  return problems;
}

Status write_directly(const std::string& root, const Planned& p) {
  if (!p.change->after) {
    if (::unlink(p.abs.c_str()) != 0)
      return make_error("cannot delete '" + p.rel + "'; check the folder's permissions", kIoError);
    remove_empty_parents(root, p.rel);
    return Ok{};
  }
  Status st = make_parent_dirs(root, p.rel);
  if (!st) return st;
  return write_file_atomic(p.abs, *p.change->after, p.old_mode.value_or(new_file_mode(false)));
}

Status apply_with_libgit2(Repository& repo, const std::vector<Planned*>& files) {
  std::vector<edit::FileChange> changes;
  for (const Planned* p : files) changes.push_back({p->rel, p->change->before, p->change->after});
  std::string patch = edit::unified_diff(changes);
  git_diff* diff = nullptr;
  if (git_diff_from_buffer(&diff, patch.data(), patch.size()) != 0)
    return git_failure("libgit2 cannot parse the patch built for " + names(files) +
                           " (a bug in diffsmith's diff writer); nothing was changed",
                       kApplyFailed);
  DiffPtr owned(diff);
  if (git_apply(repo.raw(), diff, GIT_APPLY_LOCATION_WORKDIR, nullptr) != 0)
    return git_failure("libgit2 did not apply the patch for " + names(files) +
                           "; no file was changed (any partial write was rolled back)",
                       kApplyFailed);
  return Ok{};
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
    auto rel = edit::normalize_repo_path(c.path);
    if (!rel) return make_error(rel.error().message, kPathRefused);
    clean.push_back({*rel, c.before, c.after});
  }
  return edit::unified_diff(clean);
}

Status apply_changes(Repository& repo, const std::vector<edit::FileChange>& changes) {
  ensure_libgit2();
  const std::string& root = repo.root();
  std::vector<Planned> planned;
  std::set<std::string> seen;

  // 1. Every path safe, every file still as the planner saw it.
  for (const auto& change : changes) {
    auto rel = edit::normalize_repo_path(change.path);
    if (!rel) return make_error(rel.error().message, kPathRefused);
    if (!seen.insert(*rel).second)
      return make_error("'" + *rel + "' appears twice in one set of changes; merge them into one change",
                        kPathRefused);
    auto current = edit::read_repo_file(root, *rel);
    if (!current) return make_error(current.error().message, kPathRefused);
    if (change.before == change.after) continue;  // nothing to do
    if (change.before && !*current)
      return make_error("'" + *rel + "' no longer exists on disk; read it again and redo the edit", kStale);
    if (change.before && **current != *change.before)
      return make_error("'" + *rel + "' changed on disk since it was read; read it again and redo the edit",
                        kStale);
    if (!change.before && *current)
      return make_error("cannot create '" + *rel +
                            "': a file (untracked or ignored) already exists there; read it and edit it "
                            "instead",
                        kStale);

    Planned p{*rel, root + "/" + *rel, &change, std::nullopt, false};
    struct stat st;
    if (change.before && ::stat(p.abs.c_str(), &st) == 0) p.old_mode = st.st_mode & 07777;
    auto filtered = has_filters(repo, *rel);
    if (!filtered) return filtered.error();
    p.direct = *filtered;
    planned.push_back(std::move(p));
  }
  if (planned.empty()) return Ok{};

  // 2. One libgit2 apply for all plain files. It is all or nothing when a
  //    hunk does not apply, but not when a write fails halfway (files are
  //    written in place, one after the other): then we restore them.
  std::vector<Planned*> via_git;
  for (auto& p : planned)
    if (!p.direct) via_git.push_back(&p);
  if (!via_git.empty()) {
    Status st = apply_with_libgit2(repo, via_git);
    if (!st) {
      for (Planned* p : via_git) p->touched = true;
      return make_error(st.error().message + roll_back(root, planned), st.error().kind);
    }
  }

  // 3. Filtered files, written as bytes; any failure undoes everything.
  for (auto& p : planned) p.touched = true;  // from here on every file may have changed
  for (const auto& p : planned) {
    if (!p.direct) continue;
    Status st = write_directly(root, p);
    if (!st)
      return make_error(st.error().message + "; all changes were rolled back" + roll_back(root, planned),
                        st.error().kind);
  }

  // 4. libgit2 writes files with 0644/0755 from the patch header, which has
  //    no modes: put each modified file's permission bits back.
  for (const auto& p : planned) {
    struct stat st;
    if (p.old_mode && p.change->after && ::stat(p.abs.c_str(), &st) == 0 &&
        (st.st_mode & 07777) != *p.old_mode)
      ::chmod(p.abs.c_str(), *p.old_mode);
  }

  // 5. The bytes on disk are exactly the planned ones, or nothing changed.
  for (const auto& p : planned) {
    auto disk = read_file_raw(p.abs);
    if (disk && *disk == p.change->after) continue;
    std::string why = disk ? describe_mismatch(*disk, p.change->after) : disk.error().message;
    return make_error("after applying the changes, '" + p.rel + "' is wrong: " + why +
                          "; all changes were rolled back (a bug in diffsmith's patch writer or in "
                          "libgit2; please report it)" +
                          roll_back(root, planned),
                      kVerifyFailed);
  }
  return Ok{};
}

}  // namespace ds::git
