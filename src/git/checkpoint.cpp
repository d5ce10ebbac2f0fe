// checkpoint (work tree -> private in-memory index -> tree -> commit on a
// hidden ref) and list_refs (walking each ref's chain of checkpoints).
#include "git/checkpoint.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "base/atomic_write.hpp"
#include "git/blob_stream.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

constexpr const char* kTrailer = "Diffsmith-Checkpoint: ";
constexpr const char* kWorktreeTrailer = "Diffsmith-Worktree: ";

// The Diffsmith-Worktree trailer's value; "." (the main work tree) for
// checkpoints made before the trailer existed.
std::string worktree_of(const git_commit* c) {
  std::string message = git_commit_message(c);
  std::string key = std::string("\n") + kWorktreeTrailer;
  auto at = message.rfind(key);
  if (at == std::string::npos) return ".";
  at += key.size();
  return message.substr(at, message.find('\n', at) - at);
}

Status check_ref_name(const std::string& ref) {
  int valid = 0;
  git_reference_name_is_valid(&valid, ref.c_str());
  bool users = ref.rfind("refs/heads/", 0) == 0 || ref.rfind("refs/tags/", 0) == 0 ||
               ref.rfind("refs/remotes/", 0) == 0;
  if (!valid || ref.rfind("refs/", 0) != 0 || users)
    return make_error(
        "invalid checkpoint ref '" + ref + "'; use a hidden ref such as refs/diffsmith/<run-id>",
        ErrorKind::GitError);
  return Ok{};
}

// Adds root/path as it is on disk (bytes, executable bit, or link text) to
// `index`; files that vanished or are folders are skipped. File contents are
// streamed into the object database, never read whole (blob_stream.hpp).
Status add_from_disk(Repository& repo, git_index* index, const std::string& path) {
  std::string abs = repo.root() + "/" + path;
  struct stat st;
  if (!parents_are_real_dirs(repo.root(), path)) return Ok{};  // its folder became a link: gone
  if (::lstat(abs.c_str(), &st) != 0) return Ok{};             // deleted: omitted from the snapshot
  git_index_entry entry{};
  entry.path = path.c_str();
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> buf(static_cast<size_t>(st.st_size) + 1);
    ssize_t n = ::readlink(abs.c_str(), buf.data(), buf.size());
    if (n < 0) return make_error("cannot read the symbolic link " + abs, ErrorKind::IoError);
    if (git_blob_create_from_buffer(&entry.id, repo.raw(), buf.data(), static_cast<size_t>(n)) != 0)
      return git_failure("cannot store " + abs + " in the object database");
    entry.mode = GIT_FILEMODE_LINK;
  } else if (S_ISREG(st.st_mode)) {
    auto id = store_file(repo, abs);
    if (!id) return id.error();
    if (!*id) return Ok{};  // gone (or no longer a file) since the lstat
    entry.id = **id;
    entry.mode = (st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
  } else {
    return Ok{};  // a folder (or fifo, socket) where a file was: nothing to snapshot
  }
  if (git_index_add(index, &entry) != 0) return git_failure("cannot add " + path + " to the snapshot");
  return Ok{};
}

Result<bool> has_filters(Repository& repo, const char* path) {
  git_filter_list* fl = nullptr;
  if (git_filter_list_load(&fl, repo.raw(), nullptr, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT) != 0)
    return git_failure(std::string("cannot load the git attributes for '") + path + "'");
  FilterListPtr owned(fl);
  return fl != nullptr;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

// Whether any path of this repository can have an eol/ident filter at all.
// Asking libgit2 per file costs two thirds of a checkpoint (attribute files
// are looked up in every folder), so it is only done when this says yes.
bool filters_possible(Repository& repo, git_index* index, const std::set<std::string>& untracked) {
  git_config* cfg_raw = nullptr;
  if (git_repository_config_snapshot(&cfg_raw, repo.raw()) != 0) return true;
  ConfigPtr cfg(cfg_raw);
  int autocrlf = 0;
  int rc = git_config_get_bool(&autocrlf, cfg_raw, "core.autocrlf");
  if ((rc == 0 && autocrlf) || (rc != 0 && rc != GIT_ENOTFOUND)) return true;  // true, or "input"
  git_buf attributes_file = GIT_BUF_INIT;
  rc = git_config_get_path(&attributes_file, cfg_raw, "core.attributesFile");
  git_buf_dispose(&attributes_file);
  if (rc != GIT_ENOTFOUND) return true;
  const char* xdg = ::getenv("XDG_CONFIG_HOME");
  const char* home = ::getenv("HOME");
  if (file_exists(xdg && *xdg ? std::string(xdg) + "/git/attributes" : "") ||
      file_exists(home ? std::string(home) + "/.config/git/attributes" : "") ||
      file_exists("/etc/gitattributes") || file_exists(repo.common_dir() + "/info/attributes"))
    return true;
  auto is_attributes = [](const std::string& path) {
    return path == ".gitattributes" ||
           (path.size() > 15 && path.compare(path.size() - 15, 15, "/.gitattributes") == 0);
  };
  for (size_t i = 0, n = git_index_entrycount(index); i < n; ++i)
    if (is_attributes(git_index_get_byindex(index, i)->path)) return true;
  for (const auto& path : untracked)
    if (is_attributes(path)) return true;
  return false;
}

// The tree of the work tree as it is on disk.
Result<git_oid> snapshot_tree(Repository& repo) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.raw()) != 0)
    return git_failure("cannot read the index of " + repo.root());
  IndexPtr real(raw);  // only read, never written
  if (git_index_read(raw, 0) != 0) return git_failure("cannot read the index of " + repo.root());

  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* list_raw = nullptr;
  if (git_status_list_new(&list_raw, repo.raw(), &opts) != 0)
    return git_failure("cannot compute the status of " + repo.root());
  StatusListPtr list(list_raw);
  std::set<std::string> changed, untracked;
  for (size_t i = 0, n = git_status_list_entrycount(list_raw); i < n; ++i) {
    const git_status_entry* e = git_status_byindex(list_raw, i);
    if (!e->index_to_workdir) continue;
    std::string path = e->index_to_workdir->new_file.path;
    if (e->status & GIT_STATUS_WT_NEW) {
      if (!path.empty() && path.back() != '/') untracked.insert(path);  // "dir/": a nested repository
    } else {
      changed.insert(path);
    }
  }

  bool check_filters = filters_possible(repo, raw, untracked);
  git_index* mem_raw = nullptr;
  if (git_index_new(&mem_raw) != 0) return git_failure("cannot create an in-memory index");
  IndexPtr mem(mem_raw);
  std::set<std::string> conflicted;
  for (size_t i = 0, n = git_index_entrycount(raw); i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(raw, i);
    int stage = GIT_INDEX_ENTRY_STAGE(e);
    if (e->mode == GIT_FILEMODE_COMMIT && stage == 0) {  // submodule: keep its recorded commit
      git_index_entry copy{};
      copy.path = e->path;
      copy.mode = e->mode;
      copy.id = e->id;
      if (git_index_add(mem_raw, &copy) != 0) return git_failure(std::string("cannot add ") + e->path);
      continue;
    }
    // A conflicted path has up to three stages: snapshot it once, from disk.
    if (stage != 0 && !conflicted.insert(e->path).second) continue;
    // Outside a sparse checkout's cone the index is the truth, not the disk.
    bool sparse = stage == 0 && (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE);
    bool from_disk = !sparse && (stage != 0 || changed.count(e->path));
    if (!from_disk && !sparse && check_filters) {
      auto filtered = has_filters(repo, e->path);
      if (!filtered) return filtered.error();
      from_disk = *filtered;  // the index holds the filtered bytes, we want the raw ones
    }
    if (from_disk) {
      Status st = add_from_disk(repo, mem_raw, e->path);
      if (!st) return st.error();
    } else {
      git_index_entry copy{};
      copy.path = e->path;
      copy.mode = e->mode;
      copy.id = e->id;
      if (git_index_add(mem_raw, &copy) != 0) return git_failure(std::string("cannot add ") + e->path);
    }
  }
  for (const auto& path : untracked) {
    Status st = add_from_disk(repo, mem_raw, path);
    if (!st) return st.error();
  }
  git_oid tree;
  if (git_index_write_tree_to(&tree, mem_raw, repo.raw()) != 0)
    return git_failure("cannot write the snapshot tree of " + repo.root());
  return tree;
}

std::string strip_trailer(std::string message) {
  auto at = message.rfind(std::string("\n\n") + kTrailer);
  if (at != std::string::npos) message.resize(at);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return message;
}

bool is_checkpoint_of(const git_commit* c, const std::string& ref) {
  std::string message = git_commit_message(c);
  return message.find(std::string("\n\n") + kTrailer + ref + "\n") != std::string::npos;
}

CheckpointInfo info_of(const git_commit* c) {
  return {oid_hex(*git_commit_id(c)), static_cast<int64_t>(git_commit_time(c)),
          strip_trailer(git_commit_message(c))};
}

}  // namespace

Result<std::string> checkpoint(Repository& repo, const std::string& ref, const std::string& message) {
  ensure_libgit2();
  Status valid = check_ref_name(ref);
  if (!valid) return valid.error();
  auto tree_id = snapshot_tree(repo);
  if (!tree_id) return tree_id.error();
  git_tree* tree_raw = nullptr;
  if (git_tree_lookup(&tree_raw, repo.raw(), &*tree_id) != 0)
    return git_failure("cannot read the snapshot tree");
  TreePtr tree(tree_raw);

  CommitPtr parent;
  git_oid parent_id;
  int rc = git_reference_name_to_id(&parent_id, repo.raw(), ref.c_str());
  if (rc == GIT_ENOTFOUND) rc = git_reference_name_to_id(&parent_id, repo.raw(), "HEAD");
  if (rc == 0) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo.raw(), &parent_id) != 0)
      return git_failure("cannot read the parent commit");
    parent.reset(c);
  } else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
    return git_failure("cannot resolve " + ref + " or HEAD in " + repo.root());
  }

  auto sig = default_signature(repo);
  if (!sig) return sig.error();
  std::string text = message;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  text += std::string("\n\n") + kTrailer + ref + "\n" + kWorktreeTrailer + repo.worktree_id() + "\n";
  const git_commit* parents[] = {parent.get()};
  git_oid commit_id;
  if (git_commit_create(&commit_id, repo.raw(), nullptr, sig->get(), sig->get(), nullptr, text.c_str(),
                        tree.get(), parent ? 1 : 0, parents) != 0)
    return git_failure("cannot create the checkpoint commit for " + ref);
  git_reference* out = nullptr;
  if (git_reference_create(&out, repo.raw(), ref.c_str(), &commit_id, 1, "diffsmith checkpoint") != 0)
    return git_failure("cannot update " + ref);
  ReferencePtr owned(out);
  repo.set_journal_ref(ref);  // later writes through `repo` belong to this run
  return oid_hex(commit_id);
}

Result<std::vector<RunRef>> list_refs(Repository& repo, const std::string& prefix) {
  ensure_libgit2();
  git_reference_iterator* it_raw = nullptr;
  std::string glob = prefix + "*";
  if (git_reference_iterator_glob_new(&it_raw, repo.raw(), glob.c_str()) != 0)
    return git_failure("cannot list the refs under " + prefix);
  RefIteratorPtr it(it_raw);
  std::vector<RunRef> refs;
  git_reference* ref_raw = nullptr;
  while (git_reference_next(&ref_raw, it.get()) == 0) {
    ReferencePtr ref(ref_raw);
    RunRef run;
    run.name = git_reference_name(ref_raw);
    const git_oid* target = git_reference_target(ref_raw);
    if (!target) continue;  // symbolic: not ours
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo.raw(), target) != 0) continue;
    CommitPtr cur(c);
    run.tip = info_of(c);
    run.first = run.tip;
    run.worktree = worktree_of(c);
    while (is_checkpoint_of(cur.get(), run.name)) {
      run.first = info_of(cur.get());
      ++run.checkpoints;
      git_commit* parent = nullptr;
      if (git_commit_parentcount(cur.get()) == 0 || git_commit_parent(&parent, cur.get(), 0) != 0) {
        cur.reset();
        break;
      }
      cur.reset(parent);
    }
    run.base = cur ? oid_hex(*git_commit_id(cur.get())) : "";
    refs.push_back(std::move(run));
  }
  std::stable_sort(refs.begin(), refs.end(),
                   [](const RunRef& a, const RunRef& b) { return a.tip.time > b.tip.time; });
  return refs;
}

}  // namespace ds::git
