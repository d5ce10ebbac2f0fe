// PathCheck: lexical check (text::normalize_repo_*), then a walk of the work
// tree without following links (lstat per folder, cached per check), then
// what git says about the path (index: tracked, submodule; ignore rules).
// Reads open each component with O_NOFOLLOW, so what was checked is what is
// read even when the tree changes in between.
#include "git/path_check.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "git/handles.hpp"
#include "text/repo_paths.hpp"

namespace ds::git {
namespace {

Error refused(std::string message) { return make_error(std::move(message), ErrorKind::PathRefused); }

std::string real_path(const std::string& p) {
  std::unique_ptr<char, decltype(&::free)> r(::realpath(p.c_str(), nullptr), &::free);
  return r ? std::string(r.get()) : std::string();
}

// lstat: 0 when missing, else the st_mode.
mode_t lstat_mode(const std::string& abs) {
  struct stat st;
  if (::lstat(abs.c_str(), &st) != 0) return 0;
  return st.st_mode;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

const char* kSymlinkWhy =
    " is a symbolic link. git stores the link itself, not the file it points to, so diffsmith "
    "neither reads nor changes files through links";

}  // namespace

Result<PathCheck> PathCheck::open(Repository& repo) {
  ensure_libgit2();
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.raw()) != 0)
    return git_failure("cannot read the index of " + repo.root());
  if (git_index_read(raw, 0) != 0) {
    git_index_free(raw);
    return git_failure("cannot read the index of " + repo.root());
  }
  return PathCheck(repo, raw);
}

PathCheck::PathCheck(Repository& repo, git_index* index)
    : repo_(&repo), index_(index), root_(repo.root()), real_root_(real_path(repo.root())) {}

PathCheck::PathCheck(PathCheck&& other) noexcept
    : repo_(other.repo_),
      index_(other.index_),
      root_(std::move(other.root_)),
      real_root_(std::move(other.real_root_)),
      folders_(std::move(other.folders_)) {
  other.index_ = nullptr;
}

PathCheck::~PathCheck() {
  if (index_) git_index_free(index_);
}

// Where the link at `rel` leads, as advice: the repository path to use
// instead, or that it leads outside.
std::string PathCheck::link_hint(const std::string& rel) const {
  std::string real = real_path(root_ + "/" + rel);
  std::string inside = real_root_ + "/";
  if (!real.empty() && real.compare(0, inside.size(), inside) == 0) {
    std::string target = real.substr(inside.size());
    if (target.compare(0, 5, ".git/") != 0 && target != ".git")
      return ". It points to '" + target + "' in this repository: use that path instead";
  }
  return ". It points outside the work tree; work with the files of the repository itself";
}

// A folder on the way to a path (and the folder itself for folder()):
// a real folder, not a link, not a submodule, not a nested repository.
std::optional<Error> PathCheck::check_folder(const std::string& dir) {
  return check_folder_cached(dir).refused;
}

const PathCheck::FolderVerdict& PathCheck::check_folder_cached(const std::string& dir) {
  auto cached = folders_.find(dir);
  if (cached != folders_.end()) return cached->second;
  FolderVerdict v;
  std::string abs = root_ + "/" + dir;
  mode_t m = lstat_mode(abs);
  const git_index_entry* e = git_index_get_bypath(index_, dir.c_str(), 0);
  if (e && (e->mode & 0170000) == GIT_FILEMODE_COMMIT) {
    v.refused =
        refused("'" + dir +
                "' is a git submodule: its files belong to another repository and a change there would "
                "not show in this repository's diff. Work with the files of this repository only");
  } else if (S_ISLNK(m)) {
    v.refused = refused("'" + dir + "'" + kSymlinkWhy + link_hint(dir));
  } else if (m != 0 && !S_ISDIR(m)) {
    v.refused = refused("'" + dir + "' is a file, not a folder; check the path");
  } else if (m != 0 && lstat_mode(abs + "/.git") != 0) {
    v.refused = refused("'" + dir +
                        "' is a separate git repository nested in this one: a change there would not show in "
                        "this repository's diff. Work with the files of this repository only");
  }
  return folders_.emplace(dir, std::move(v)).first->second;
}

// The folders leading to rel[0, end): each must pass check_folder. Folders
// that do not exist yet (an edit may create them) are still looked up in
// the index: a submodule that is not checked out has no folder.
std::optional<Error> PathCheck::check_parents(const std::string& rel, size_t end, std::string_view shown) {
  for (size_t slash = rel.find('/'); slash != std::string::npos && slash < end;
       slash = rel.find('/', slash + 1)) {
    std::string dir = rel.substr(0, slash);
    const FolderVerdict& v = check_folder_cached(dir);
    if (v.refused) {
      if (dir == shown) return v.refused;
      return refused("refused '" + std::string(shown) + "': " + v.refused->message);
    }
  }
  return std::nullopt;
}

std::optional<Error> PathCheck::check_leaf(const std::string& rel, bool* exists) {
  mode_t m = lstat_mode(root_ + "/" + rel);
  *exists = m != 0;
  if (m == 0) return std::nullopt;
  if (S_ISLNK(m)) return refused("'" + rel + "'" + kSymlinkWhy + link_hint(rel));
  if (S_ISDIR(m)) {
    if (auto bad = check_folder(rel)) return bad;
    return refused("'" + rel + "' is a folder, not a file; name a file inside it");
  }
  if (!S_ISREG(m))
    return refused("'" + rel + "' is not a regular file; only regular files are read or edited");
  return std::nullopt;
}

// Tracked paths show in the diff; untracked ones unless git ignores them.
std::optional<Error> PathCheck::check_tracking(const std::string& rel, bool exists, bool is_dir) {
  size_t at = 0;
  if (!is_dir && git_index_find(&at, index_, rel.c_str()) == 0) {
    const git_index_entry* e = git_index_get_byindex(index_, at);
    if (e && (e->mode & 0170000) == GIT_FILEMODE_LINK && !exists)
      return refused("'" + rel + "' is a symbolic link in git (missing from the work tree)");
    return std::nullopt;
  }
  int ignored = 0;
  std::string probe = is_dir ? rel + "/" : rel;
  if (git_ignore_path_is_ignored(&ignored, repo_->raw(), probe.c_str()) != 0) return std::nullopt;
  if (ignored)
    return refused(
        "'" + rel + "' is ignored by git (.gitignore or .git/info/exclude), so a change there " +
        "would not show in the diff. Work with tracked files, or with the sources such a file is " +
        "generated from");
  return std::nullopt;
}

Result<std::string> PathCheck::file(std::string_view path, PathUse use) {
  auto clean = text::normalize_repo_path(path);
  if (!clean) return refused(clean.error().message);
  const std::string& rel = *clean;
  if (use == PathUse::Edit && rel.size() == kRepoConfigFile.size() &&
      ::strncasecmp(rel.c_str(), kRepoConfigFile.data(), rel.size()) == 0) {
    return refused("'" + rel +
                   "' is diffsmith's own configuration for this repository (the test command, the edit "
                   "format, the budgets of this run); like files under .git/ it is not yours to change. "
                   "Leave it as it is and change the code instead");
  }
  if (auto bad = check_parents(rel, rel.size(), rel)) return *bad;
  bool exists = false;
  if (auto bad = check_leaf(rel, &exists)) return *bad;
  if (auto bad = check_tracking(rel, exists, false)) return *bad;
  // Outside a sparse checkout's set git keeps the file in the index only: it
  // is missing from the disk, so an empty SEARCH would "create" it over the
  // tracked content (and the diff would show a new file).
  if (use == PathUse::Edit && is_skip_worktree(index_, rel.c_str())) {
    std::string dir = rel.find('/') == std::string::npos ? rel : rel.substr(0, rel.rfind('/'));
    return refused(
        "'" + rel + "' is a tracked file outside this sparse checkout (git sparse-checkout): it is not " +
        (exists ? "checked out" : "on disk") +
        ", so a file written there would replace the tracked one, which the user chose not to check out. "
        "Leave it alone and work with the files that are checked out; if the change needs it, "
        "say that the user must first run `git sparse-checkout add " +
        dir + "`");
  }
  return rel;
}

Result<std::string> PathCheck::folder(std::string_view path) {
  auto clean = text::normalize_repo_dir(path);
  if (!clean) return refused(clean.error().message);
  const std::string& rel = *clean;
  if (rel.empty()) return rel;
  if (auto bad = check_parents(rel + "/", rel.size() + 1, rel)) return *bad;
  if (lstat_mode(root_ + "/" + rel) == 0)
    return refused("there is no folder '" + rel + "' in the repository; check the path");
  if (auto bad = check_tracking(rel, true, true)) return *bad;
  return rel;
}

Result<std::optional<std::string>> PathCheck::read(const std::string& rel, size_t max_bytes) {
  Fd dir(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0)
    return make_error("cannot open the work tree " + root_ + ": " + std::strerror(errno), ErrorKind::IoError);
  size_t start = 0;
  while (true) {
    size_t slash = rel.find('/', start);
    std::string part = rel.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) break;
    int fd = ::openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return std::optional<std::string>();
    if (fd < 0)
      return refused("'" + rel.substr(0, slash) + "' is not a folder of the work tree (or is a link)");
    dir.reset(fd);
    start = slash + 1;
  }
  std::string leaf = rel.substr(start);
  // O_NONBLOCK: a FIFO put there after the check must not hang the read.
  Fd file(::openat(dir.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0 && errno == ENOENT) return std::optional<std::string>();
  if (file.get() < 0 && errno == ELOOP) return refused("'" + rel + "'" + kSymlinkWhy);
  if (file.get() < 0)
    return make_error("cannot read '" + rel + "': " + std::strerror(errno), ErrorKind::IoError);
  struct stat st;
  if (::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return refused("'" + rel + "' is not a regular file; only regular files are read or edited");
  if (static_cast<size_t>(st.st_size) > max_bytes)
    return refused("'" + rel + "' is " + std::to_string(st.st_size) + " bytes, more than the " +
                   std::to_string(max_bytes) + " bytes diffsmith reads");
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got <= max_bytes) {
    if (got == data.size()) data.resize(std::min(max_bytes + 1, data.size() * 2 + 4096));
    ssize_t n = ::read(file.get(), data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot read '" + rel + "': " + std::strerror(errno), ErrorKind::IoError);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > max_bytes)
    return refused("'" + rel + "' grew past the " + std::to_string(max_bytes) + " bytes diffsmith reads");
  data.resize(got);
  return std::optional<std::string>(std::move(data));
}

}  // namespace ds::git
