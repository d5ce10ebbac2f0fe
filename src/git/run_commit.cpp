// commit_run_changes / check_run_commit / undo_run_commit: the record file
// of a run's commit and taking that commit back off its branch.
#include "git/run_commit.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/atomic_write.hpp"
#include "git/checkpoint.hpp"
#include "git/diffsmith_dir.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

std::string short_id(const std::string& id) { return id.substr(0, 12); }
std::string branch_name(const std::string& ref) {
  return ref.rfind("refs/heads/", 0) == 0 ? ref.substr(11) : ref;
}

// <diffsmith dir>/commits/<run id>.
Result<std::string> record_path(Repository& repo, const std::string& run_id) {
  return diffsmith_file(repo, "commits", run_id);
}

}  // namespace

Status write_run_commit(Repository& repo, const std::string& run_id, const RunCommit& c) {
  auto path = record_path(repo, run_id);
  if (!path) return path.error();
  std::string text = "commit " + c.commit + "\nbranch " + c.branch + "\ncreated " +
                     (c.created_branch ? "1" : "0") + "\nprevious_tip " +
                     (c.previous_tip.empty() ? "-" : c.previous_tip) + "\nprevious_head " + c.previous_head +
                     "\nundone " + (c.undone ? "1" : "0") + "\n";
  return write_file_atomic(*path, text, 0644);
}

namespace {

// The branch's commit, "" when the branch does not exist.
Result<std::string> tip_of(Repository& repo, const std::string& ref) {
  git_oid id;
  int rc = git_reference_name_to_id(&id, repo.raw(), ref.c_str());
  if (rc == GIT_ENOTFOUND) return std::string();
  if (rc != 0) return git_failure("cannot read " + ref);
  return oid_hex(id);
}

Result<std::string> head_target(Repository& repo) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo.raw(), "HEAD") != 0) return git_failure("cannot read HEAD");
  ReferencePtr head(raw);
  if (git_reference_type(raw) == GIT_REFERENCE_SYMBOLIC)
    return std::string(git_reference_symbolic_target(raw));
  return oid_hex(*git_reference_target(raw));
}

// Deletes `ref` if it still points at `commit`.
Status delete_branch_at(Repository& repo, const std::string& ref, const std::string& commit) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo.raw(), ref.c_str()) != 0) return git_failure("cannot read " + ref);
  ReferencePtr owned(raw);
  const git_oid* at = git_reference_target(raw);
  if (!at || oid_hex(*at) != commit)
    return make_error(ref + " moved while undo was running; nothing was changed on it", ErrorKind::Stale);
  if (git_reference_delete(raw) != 0) return git_failure("cannot delete " + ref);
  return Ok{};
}

// The index entries of the commit's paths go back to `previous`'s tree,
// unless someone staged something else for the path since.
Status reset_index_paths(Repository& repo, const std::string& previous, const std::string& commit) {
  auto paths = changed_between(repo, previous, commit);
  if (!paths) return paths.error();
  auto before = find_tree(repo, previous);
  if (!before) return before.error();
  auto after = find_tree(repo, commit);
  if (!after) return after.error();
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.raw()) != 0) return git_failure("cannot open the index");
  IndexPtr index(raw);
  if (git_index_read(raw, 0) != 0) return git_failure("cannot read the index");
  auto entry_in = [](git_tree* tree, const std::string& path) -> git_tree_entry* {
    git_tree_entry* e = nullptr;
    if (!tree || git_tree_entry_bypath(&e, tree, path.c_str()) != 0) return nullptr;
    return e;
  };
  for (const auto& path : *paths) {
    git_tree_entry* was = entry_in(before->get(), path);
    git_tree_entry* is = entry_in(after->get(), path);
    const git_index_entry* staged = git_index_get_bypath(raw, path.c_str(), 0);
    bool as_committed = is ? staged && git_oid_equal(&staged->id, git_tree_entry_id(is)) : !staged;
    int rc = 0;
    if (as_committed && was) {
      git_index_entry e{};
      e.path = path.c_str();
      e.mode = git_tree_entry_filemode(was);
      git_oid_cpy(&e.id, git_tree_entry_id(was));
      rc = git_index_add(raw, &e);
    } else if (as_committed) {
      rc = git_index_remove_bypath(raw, path.c_str());
    }
    git_tree_entry_free(was);
    git_tree_entry_free(is);
    if (rc != 0) return git_failure("cannot reset '" + path + "' in the index");
  }
  if (git_index_write(raw) != 0) return index_failure(repo, "cannot write the index of " + repo.root());
  return Ok{};
}

}  // namespace

Result<std::optional<RunCommit>> read_run_commit(Repository& repo, const std::string& run_id) {
  auto path = record_path(repo, run_id);
  if (!path) return path.error();
  auto text = read_file_raw(*path);
  if (!text) return text.error();
  if (!*text) return std::optional<RunCommit>();
  RunCommit c;
  std::istringstream in(**text);
  std::string key, value;
  while (in >> key >> value) {
    if (key == "commit") c.commit = value;
    if (key == "branch") c.branch = value;
    if (key == "created") c.created_branch = value == "1";
    if (key == "previous_tip") c.previous_tip = value == "-" ? "" : value;
    if (key == "previous_head") c.previous_head = value;
    if (key == "undone") c.undone = value == "1";
  }
  if (c.commit.size() != 40 || c.branch.rfind("refs/heads/", 0) != 0 || c.previous_head.empty())
    return make_error(
        "the commit record " + *path + " is damaged; undo the commit by hand (git reset / git revert)",
        ErrorKind::IoError);
  return std::optional<RunCommit>(std::move(c));
}

CommitCheck check_run_commit(Repository& repo, const RunCommit& c) {
  ensure_libgit2();
  if (c.undone) return {};
  std::string name = branch_name(c.branch), id = short_id(c.commit);
  auto tip = tip_of(repo, c.branch);
  if (!tip) return {CommitState::Moved, tip.error().message};
  // The commit never reached the branch (killed before), or undo moved it
  // back and was killed before marking the record.
  if (c.created_branch ? tip->empty() : *tip == c.previous_tip) return {};
  if (tip->empty())
    return {CommitState::Moved, "branch " + name + " (where the run committed " + id + ") no longer exists"};
  if (*tip != c.commit) {
    git_oid at, mine;
    git_oid_fromstr(&at, tip->c_str());
    git_oid_fromstr(&mine, c.commit.c_str());
    size_t ahead = 0, behind = 0;
    bool on_top = git_graph_descendant_of(repo.raw(), &at, &mine) == 1 &&
                  git_graph_ahead_behind(&ahead, &behind, repo.raw(), &at, &mine) == 0;
    std::string how = on_top ? std::to_string(ahead) + " commit(s) were made on top of the run's commit " + id
                             : "branch " + name + " was reset or rewritten since the run committed " + id +
                                   " (it is at " + short_id(*tip) + " now)";
    std::string fix =
        "To take the run's change out by hand: `git revert " + id + "` (a new commit that reverses it)";
    if (on_top && !c.previous_tip.empty())
      fix += ", or `git rebase --onto " + id + "~1 " + id + "` (drops it from " + name + ")";
    return {CommitState::Moved, (on_top ? "on branch " + name + ", " : "") + how + ". " + fix + "."};
  }
  auto head = head_target(repo);
  if (!head) return {CommitState::Moved, head.error().message};
  if (*head != c.branch)
    return {CommitState::Moved, "HEAD is no longer on branch " + name + ", where the run committed " + id +
                                    ". Switch back (`git switch " + name + "`) and undo again"};
  if (c.created_branch && c.previous_head.rfind("refs/", 0) == 0) {
    auto before = tip_of(repo, c.previous_head);
    if (!before) return {CommitState::Moved, before.error().message};
    if (*before != c.previous_tip)
      return {CommitState::Moved, "branch " + branch_name(c.previous_head) +
                                      ", where the run started, moved since; switching back to it would not "
                                      "restore the run's start. By hand: `git switch " +
                                      branch_name(c.previous_head) + " && git branch -D " + name + "`"};
  }
  return {CommitState::OnBranch, ""};
}

Result<std::string> undo_run_commit(Repository& repo, const std::string& run_id, RunCommit& c) {
  ensure_libgit2();
  std::string name = branch_name(c.branch), id = short_id(c.commit), said;
  if (c.created_branch) {
    int rc;
    if (c.previous_head.rfind("refs/", 0) == 0) {
      rc = git_repository_set_head(repo.raw(), c.previous_head.c_str());
    } else {
      git_oid at;
      rc = git_oid_fromstr(&at, c.previous_head.c_str());
      if (rc == 0) rc = git_repository_set_head_detached(repo.raw(), &at);
    }
    if (rc != 0) return git_failure("cannot switch HEAD back to " + branch_name(c.previous_head));
    if (Status st = delete_branch_at(repo, c.branch, c.commit); !st.ok()) return st.error();
    said = "deleted branch " + name + " (made by the run, at " + id + ") and switched back to " +
           (c.previous_head.rfind("refs/", 0) == 0 ? branch_name(c.previous_head)
                                                   : "the detached " + short_id(c.previous_head));
  } else if (c.previous_tip.empty()) {
    if (Status st = delete_branch_at(repo, c.branch, c.commit); !st.ok()) return st.error();
    said = "removed the run's commit " + id + ", the only commit on " + name;
  } else {
    git_oid to, from;
    git_oid_fromstr(&to, c.previous_tip.c_str());
    git_oid_fromstr(&from, c.commit.c_str());
    git_reference* ref = nullptr;
    std::string log = "diffsmith undo: back to before run " + run_id;
    if (git_reference_create_matching(&ref, repo.raw(), c.branch.c_str(), &to, 1, &from, log.c_str()) != 0)
      return git_failure("cannot move " + name + " back to " + short_id(c.previous_tip), ErrorKind::Stale);
    ReferencePtr owned(ref);
    said = "moved branch " + name + " back from the run's commit " + id + " to " + short_id(c.previous_tip);
  }
  if (Status st = reset_index_paths(repo, c.previous_tip, c.commit); !st.ok()) return st.error();
  c.undone = true;
  if (Status st = write_run_commit(repo, run_id, c); !st.ok()) return st.error();
  return said;
}

}  // namespace ds::git
