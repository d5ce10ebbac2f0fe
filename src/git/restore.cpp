// restore_worktree: compare two commits' trees with the work tree and make
// the work tree equal to the second one (deletions first, then writes).
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "base/atomic_write.hpp"
#include "git/blob_stream.hpp"
#include "git/checkpoint.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

struct Blob {
  git_oid id;
  git_filemode_t mode;
};
using TreeFiles = std::map<std::string, Blob>;

int collect(const char* dir, const git_tree_entry* entry, void* payload) {
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode == GIT_FILEMODE_TREE) return 0;
  auto* files = static_cast<TreeFiles*>(payload);
  (*files)[std::string(dir) + git_tree_entry_name(entry)] = {*git_tree_entry_id(entry), mode};
  return 0;
}

Result<TreeFiles> files_of(Repository& repo, const std::string& commit) {
  auto tree = find_tree(repo, commit);
  if (!tree) return tree.error();
  TreeFiles files;
  if (*tree && git_tree_walk(tree->get(), GIT_TREEWALK_PRE, collect, &files) != 0)
    return git_failure("cannot read the tree of " + commit);
  return files;
}

// Permission bits for a file that is (or becomes) executable or not, keeping
// the other bits of the file already there.
mode_t adjusted_mode(const struct stat* existing, bool executable) {
  if (!existing) return new_file_mode(executable);
  mode_t perms = existing->st_mode & 07777;
  return executable ? perms | ((perms & 0444) >> 2) : perms & ~mode_t(0111);
}

Status restore_one(Repository& repo, const std::string& path, const Blob& want) {
  std::string abs = repo.root() + "/" + path;
  // First: every parent is a real folder (never a symbolic link to follow).
  Status dirs = make_parent_dirs(repo.root(), path);
  if (!dirs) return dirs;
  struct stat st;
  bool exists = ::lstat(abs.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode) && ::rmdir(abs.c_str()) != 0)
    return make_error("a folder is in the way of " + path + "; move it away and run undo again",
                      ErrorKind::IoError);
  if (exists && S_ISDIR(st.st_mode)) exists = false;

  if (want.mode == GIT_FILEMODE_LINK) {
    auto bytes = blob_bytes(repo, want.id);  // the link text: small
    if (!bytes) return bytes.error();
    if (exists && S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = ::readlink(abs.c_str(), target.data(), target.size());
      if (n >= 0 && std::string_view(target.data(), static_cast<size_t>(n)) == *bytes) return Ok{};
    }
    return write_symlink_atomic(abs, *bytes);
  }

  // Files are compared by size and hash and written from a stream: a file
  // of any size costs a fixed amount of memory (blob_stream.hpp).
  bool executable = want.mode == GIT_FILEMODE_BLOB_EXECUTABLE;
  bool regular = exists && S_ISREG(st.st_mode);
  mode_t mode = adjusted_mode(regular ? &st : nullptr, executable);
  if (regular) {
    auto same = file_matches_blob(repo, abs, want.id);
    if (!same) return same.error();
    if (*same) {
      if ((st.st_mode & 07777) != mode && ::chmod(abs.c_str(), mode) != 0)
        return make_error("cannot change the mode of " + abs, ErrorKind::IoError);
      return Ok{};
    }
  }
  return write_blob_atomic(repo, want.id, abs, mode);
}

}  // namespace

Status restore_worktree(Repository& repo, const std::string& from_commit, const std::string& to_commit) {
  return restore_paths(repo, from_commit, to_commit, nullptr);
}

Result<std::vector<std::string>> changed_between(Repository& repo, const std::string& a_commit,
                                                 const std::string& b_commit) {
  ensure_libgit2();
  auto a = files_of(repo, a_commit);
  if (!a) return a.error();
  auto b = files_of(repo, b_commit);
  if (!b) return b.error();
  std::vector<std::string> out;
  for (const auto& [path, blob] : *a) {
    auto it = b->find(path);
    if (it == b->end() || !git_oid_equal(&it->second.id, &blob.id) || it->second.mode != blob.mode)
      out.push_back(path);
  }
  for (const auto& [path, blob] : *b)
    if (!a->count(path)) out.push_back(path);
  return out;
}

Status restore_paths(Repository& repo, const std::string& from_commit, const std::string& to_commit,
                     const std::vector<std::string>* only) {
  ensure_libgit2();
  auto from = files_of(repo, from_commit);
  if (!from) return from.error();
  auto to = files_of(repo, to_commit);
  if (!to) return to.error();
  if (only) {  // keep just the named paths in both trees
    std::map<std::string, bool> keep;
    for (const auto& p : *only) keep[p] = true;
    std::erase_if(*from, [&](const auto& kv) { return !keep.count(kv.first); });
    std::erase_if(*to, [&](const auto& kv) { return !keep.count(kv.first); });
  }

  // Files outside a sparse checkout's cone are not on disk by design: one
  // that neither commit changes stays absent.
  git_index* index_raw = nullptr;
  IndexPtr index;
  if (git_repository_index(&index_raw, repo.raw()) == 0) {
    index.reset(index_raw);
    git_index_read(index_raw, 0);
  }
  auto sparse_and_unchanged = [&](const std::string& path, const Blob& want) {
    auto it = from->find(path);
    return index && it != from->end() && git_oid_equal(&it->second.id, &want.id) &&
           it->second.mode == want.mode && is_skip_worktree(index.get(), path.c_str());
  };

  std::string failures;
  for (const auto& [path, blob] : *from) {
    if (to->count(path) || blob.mode == GIT_FILEMODE_COMMIT) continue;
    std::string abs = repo.root() + "/" + path;
    struct stat st;
    if (!parents_are_real_dirs(repo.root(), path)) continue;  // gone, or behind a symbolic link
    if (::lstat(abs.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
    if (::unlink(abs.c_str()) != 0) {
      failures += "\n  cannot delete " + path;
      continue;
    }
    remove_empty_parents(repo.root(), path);
  }
  for (const auto& [path, blob] : *to) {
    if (blob.mode == GIT_FILEMODE_COMMIT) continue;  // submodules are not restored
    if (sparse_and_unchanged(path, blob)) continue;
    Status st = restore_one(repo, path, blob);
    if (!st) failures += "\n  " + st.error().message;
  }
  if (!failures.empty())
    return make_error("restoring " + repo.root() + " to " + to_commit + " left some files unrestored:" +
                          failures + "\nfix those and run the restore again; the other files were restored",
                      ErrorKind::IoError);
  return Ok{};
}

}  // namespace ds::git
