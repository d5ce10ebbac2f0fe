// base_layer: the paths where the work tree may differ from the commit's
// tree are those where the tree differs from the index plus those where the
// index differs from the work tree (untracked and ignored paths included);
// every other path is equal in all three. Two diffs libgit2 computes from
// the trees, the index and lstat data, with no file read unless its stat
// data does not match its index entry. Each such path then: in the tree, its
// blob is written to the layer (a false alarm costs one write, never
// exactness); not in the tree, it is removed over the work tree.
#include "git/export_overlay.hpp"

#include <fcntl.h>
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "base/atomic_write.hpp"
#include "git/handles.hpp"

namespace ds::git {

namespace {

namespace fs = std::filesystem;

// One blob of the tree written to the layer ("" or what failed).
std::string write_blob(git_repository* repo, const git_tree_entry* e, const std::string& dest) {
  std::error_code ec;
  fs::create_directories(fs::path(dest).parent_path(), ec);
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, git_tree_entry_id(e)) != 0) return "cannot read the blob of " + dest;
  BlobPtr blob(raw);
  const char* data = static_cast<const char*>(git_blob_rawcontent(raw));
  size_t size = static_cast<size_t>(git_blob_rawsize(raw));
  git_filemode_t mode = git_tree_entry_filemode(e);
  if (mode == GIT_FILEMODE_LINK) {
    if (::symlink(std::string(data, size).c_str(), dest.c_str()) != 0)
      return "cannot create the link " + dest + ": " + std::strerror(errno);
    return "";
  }
  int fd = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
  bool ok = fd >= 0 && write_all_fd(fd, std::string_view(data, size));
  int saved = errno;
  if (fd >= 0 && ::close(fd) != 0 && ok) ok = false, saved = errno;
  if (!ok) return "cannot write " + dest + ": " + std::strerror(saved);
  return "";
}

bool under_or_at(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/');
}

// Filters between the disk and the blobs would make "equal" mean "equal
// after filtering": checkpoints store the raw bytes. Any attributes file or
// core.autocrlf, and we do not try.
std::string filters_possible(Repository& repo, git_tree* tree, git_index* index) {
  git_config* cfg_raw = nullptr;
  if (git_repository_config_snapshot(&cfg_raw, repo.raw()) == 0) {
    ConfigPtr cfg(cfg_raw);
    int on = 0;
    const char* value = nullptr;
    if (git_config_get_bool(&on, cfg_raw, "core.autocrlf") == 0 && on) return "core.autocrlf is set";
    if (git_config_get_string(&value, cfg_raw, "core.autocrlf") == 0 && std::string(value) == "input")
      return "core.autocrlf is set";
    if (git_config_get_string(&value, cfg_raw, "core.attributesFile") == 0 && value && *value)
      return "core.attributesFile is set";
  }
  struct stat st;
  if (::lstat((repo.common_dir() + "/info/attributes").c_str(), &st) == 0) return "info/attributes exists";
  if (::lstat((repo.root() + "/.gitattributes").c_str(), &st) == 0) return "the work tree has .gitattributes";
  if (tree && git_tree_entry_byname(tree, ".gitattributes")) return "the tree has .gitattributes";
  for (size_t i = 0, n = git_index_entrycount(index); i < n; ++i) {
    std::string_view p = git_index_get_byindex(index, i)->path;
    if (p == ".gitattributes" || p.ends_with("/.gitattributes")) return "the index has " + std::string(p);
  }
  return "";
}

}  // namespace

Result<BaseLayer> base_layer(Repository& repo, const std::string& commit, const std::string& layer_dir,
                             const std::vector<std::string>& keep) {
  ensure_libgit2();
  auto tree = find_tree(repo, commit);
  if (!tree.ok()) return tree.error();
  git_tree* t = tree->get();
  if (t && git_tree_entry_byname(t, ".gitmodules"))
    return make_error("the tree has submodules", ErrorKind::PathRefused);
  git_index* index_raw = nullptr;
  if (git_repository_index(&index_raw, repo.raw()) != 0) return git_failure("cannot open the index");
  IndexPtr index(index_raw);
  if (git_index_read(index_raw, 0) != 0) return git_failure("cannot read the index");
  if (std::string why = filters_possible(repo, t, index_raw); !why.empty())
    return make_error(why, ErrorKind::PathRefused);

  std::set<std::string> paths, ignored_dirs;
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_index(&raw, repo.raw(), t, index_raw, &opts) != 0)
    return git_failure("cannot compare the tree with the index");
  DiffPtr to_index(raw);
  opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
               GIT_DIFF_INCLUDE_IGNORED;
  if (git_diff_index_to_workdir(&raw, repo.raw(), index_raw, &opts) != 0)
    return git_failure("cannot compare the index with the work tree");
  DiffPtr to_workdir(raw);
  for (git_diff* d : {to_index.get(), to_workdir.get()}) {
    for (size_t i = 0, n = git_diff_num_deltas(d); i < n; ++i) {
      const git_diff_delta* delta = git_diff_get_delta(d, i);
      for (const char* p : {delta->old_file.path, delta->new_file.path}) {
        if (!p || !*p) continue;
        std::string path = p;
        if (path.ends_with("/")) {  // a folder not recursed into
          path.pop_back();
          if (delta->status == GIT_DELTA_IGNORED) ignored_dirs.insert(path);
        }
        paths.insert(path);
      }
    }
  }

  BaseLayer out;
  std::error_code ec;
  fs::create_directories(layer_dir, ec);
  if (ec) return make_error("cannot create " + layer_dir + ": " + ec.message(), ErrorKind::IoError);
  std::vector<std::string> written;  // sorted: `paths` is
  for (const auto& path : paths) {
    git_tree_entry* e = nullptr;
    if (t && git_tree_entry_bypath(&e, t, path.c_str()) == 0) {
      Handle<git_tree_entry, git_tree_entry_free> entry(e);
      git_filemode_t mode = git_tree_entry_filemode(e);
      if (mode == GIT_FILEMODE_TREE) {
        if (ignored_dirs.count(path))
          return make_error("the ignored folder " + path + " holds files of the tree",
                            ErrorKind::PathRefused);
        continue;  // its files that differ are listed on their own
      }
      if (mode == GIT_FILEMODE_COMMIT) return make_error("the tree has submodules", ErrorKind::PathRefused);
      if (std::string failed = write_blob(repo.raw(), e, layer_dir + "/" + path); !failed.empty())
        return make_error(failed, ErrorKind::IoError);
      written.push_back(path);
      ++out.written;
      continue;
    }
    bool kept = false;
    for (const auto& k : keep) {
      if (!under_or_at(k, path)) continue;
      if (k != path && ignored_dirs.count(path))
        return make_error("the ignored folder " + path + " holds " + k, ErrorKind::PathRefused);
      kept = true;
    }
    if (kept) continue;
    // Under a file of the tree (a folder in the work tree, a file in the
    // tree): the layer's file hides it already.
    bool hidden = false;
    for (size_t cut = path.find('/'); cut != std::string::npos && !hidden; cut = path.find('/', cut + 1))
      hidden = std::binary_search(written.begin(), written.end(), path.substr(0, cut));
    if (hidden) continue;
    // The outermost folder the tree does not have goes as a whole (no empty
    // folder left), unless it holds a path of `keep`.
    std::string top = path;
    for (size_t cut = path.find('/'); cut != std::string::npos; cut = path.find('/', cut + 1)) {
      std::string dir = path.substr(0, cut);
      git_tree_entry* d = nullptr;
      if (t && git_tree_entry_bypath(&d, t, dir.c_str()) == 0) {
        git_tree_entry_free(d);
        continue;
      }
      if (std::none_of(keep.begin(), keep.end(), [&](const std::string& k) { return under_or_at(k, dir); })) {
        top = dir;
        break;
      }
    }
    if (out.remove.empty() || out.remove.back() != top) out.remove.push_back(top);
  }
  out.remove.push_back(".git");
  return out;
}

}  // namespace ds::git
