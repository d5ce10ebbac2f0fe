// reset_scratch_worktree: a scratch tree brought back to a commit's tree by
// comparing its files with the index saved next to it (lstat only), removing
// what does not belong and writing again what changed.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/atomic_write.hpp"
#include "git/handles.hpp"
#include "git/scratch.hpp"
#include "git/scratch_git.hpp"

namespace ds::git {

namespace {

namespace fs = std::filesystem;

// Moves `abs` (a file, folder or link, never followed) into the slot's
// trash folder next to it: a rename, cheap, where removing files whose
// blocks are allocated costs milliseconds each on some file systems
// (discard). purge_scratch_trash removes the trash later, off the attempt's
// path. Falls back to remove_all.
Status move_to_trash(const std::string& dir, const std::string& abs) {
  struct stat st {};
  if (::lstat(abs.c_str(), &st) != 0 && errno == ENOENT) return Ok{};
  const std::string trash = scratch_trash(dir);
  if (::mkdir(trash.c_str(), 0700) != 0 && errno != EEXIST)
    return make_error("cannot create " + trash + ": " + std::strerror(errno), ErrorKind::IoError);
  static std::atomic<unsigned long> counter{0};
  for (int tries = 0; tries < 100; ++tries) {
    std::string to = trash + "/" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    if (::rename(abs.c_str(), to.c_str()) == 0) return Ok{};
    if (errno == ENOENT) return Ok{};
    if (errno != EEXIST && errno != ENOTEMPTY) break;
  }
  std::error_code ec;
  fs::remove_all(abs, ec);
  if (ec) return make_error("cannot remove " + abs + ": " + ec.message(), ErrorKind::IoError);
  return Ok{};
}

void fill_stat(git_index_entry& e, const struct stat& st) {
  e.ctime.seconds = static_cast<int32_t>(st.st_ctim.tv_sec);
  e.ctime.nanoseconds = static_cast<uint32_t>(st.st_ctim.tv_nsec);
  e.mtime.seconds = static_cast<int32_t>(st.st_mtim.tv_sec);
  e.mtime.nanoseconds = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  e.dev = static_cast<uint32_t>(st.st_dev);
  e.ino = static_cast<uint32_t>(st.st_ino);
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.file_size = static_cast<uint32_t>(st.st_size);
}

// Whether the file's kind and exec bit are what the index mode says.
bool kind_matches(uint32_t mode, const struct stat& st) {
  if (mode == GIT_FILEMODE_LINK) return S_ISLNK(st.st_mode);
  if (!S_ISREG(st.st_mode)) return false;
  return (mode == GIT_FILEMODE_BLOB_EXECUTABLE) == ((st.st_mode & S_IXUSR) != 0);
}

bool same_stat(const git_index_entry& e, const struct stat& st) {
  git_index_entry now{};
  fill_stat(now, st);
  return kind_matches(e.mode, st) && now.ctime.seconds == e.ctime.seconds &&
         now.ctime.nanoseconds == e.ctime.nanoseconds && now.mtime.seconds == e.mtime.seconds &&
         now.mtime.nanoseconds == e.mtime.nanoseconds && now.dev == e.dev && now.ino == e.ino &&
         now.uid == e.uid && now.gid == e.gid && now.file_size == e.file_size;
}

// Written at or after the saved index (same clock tick): its stat data
// cannot tell a later change apart, so it is never trusted.
bool racy(const git_index_entry& e, const struct timespec& stamp) {
  if (e.mtime.seconds != stamp.tv_sec) return e.mtime.seconds > stamp.tv_sec;
  return e.mtime.nanoseconds >= static_cast<uint32_t>(stamp.tv_nsec);
}

struct Entry {
  std::string path;
  git_oid id;
  uint32_t mode = 0;
  bool seen = false, written = false;
  struct stat st {};
  git_index_entry rec{};  // the stat data recorded for it, none when new or changed
};

struct Tree {
  std::vector<Entry> entries;
  std::unordered_map<std::string, size_t> files;  // path -> entries index (no gitlinks)
  std::unordered_set<std::string> dirs;           // folders (and submodules' empty folders)
};

// Walks `root`/`rel` without following links: folders of the tree are
// entered, files of the tree recorded with their lstat data, anything else
// removed (std::filesystem::remove_all never follows a link).
Status walk(const std::string& root, const std::string& rel, Tree& tree, size_t& removed) {
  std::string abs = rel.empty() ? root : root + "/" + rel;
  int fd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && !rel.empty())
    return move_to_trash(root, abs);  // unreadable (chmod 000): its files written again
  if (fd < 0)
    return make_error("cannot read the folder " + abs + ": " + std::strerror(errno), ErrorKind::IoError);
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return make_error("cannot read the folder " + abs, ErrorKind::IoError);
  }
  std::vector<std::string> subdirs, gone;
  while (dirent* de = ::readdir(d)) {
    std::string name = de->d_name;
    if (name == "." || name == ".." || (rel.empty() && name == ".git")) continue;
    std::string path = rel.empty() ? name : rel + "/" + name;
    struct stat st {};
    if (::fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      gone.push_back(path);
      continue;
    }
    if (S_ISDIR(st.st_mode) && tree.dirs.count(path)) {
      // As export_tree makes folders (a command may have changed the mode).
      if ((st.st_mode & 07777) != (0755 & new_file_mode(true)))
        ::fchmodat(fd, de->d_name, 0755 & new_file_mode(true), 0);
      subdirs.push_back(path);
      continue;
    }
    auto it = tree.files.find(path);
    if (it != tree.files.end() && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) {
      tree.entries[it->second].seen = true;
      tree.entries[it->second].st = st;
      continue;
    }
    gone.push_back(path);
  }
  ::closedir(d);
  for (const auto& p : gone) {
    if (Status st = move_to_trash(root, root + "/" + p); !st.ok()) return st;
    ++removed;
  }
  for (const auto& p : subdirs)
    if (Status st = walk(root, p, tree, removed); !st.ok()) return st;
  return Ok{};
}

// Writes the blob of `e` at root/e.path; its folders are real folders of the
// tree (walk removed anything else), missing ones made. A regular file of
// the tree found there (e.seen) with one link is written in place (no
// inode freed nor allocated); anything else goes to the trash first.
Status write_entry(git_odb* odb, const std::string& root, Entry& e) {
  std::string path = root + "/" + e.path;
  if (e.seen) {
    if (e.mode != GIT_FILEMODE_LINK && S_ISREG(e.st.st_mode) && e.st.st_nlink == 1) {
      int fd = ::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      struct stat st {};
      if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
          st.st_ino == e.st.st_ino && st.st_dev == e.st.st_dev) {
        git_odb_object* raw = nullptr;
        if (git_odb_read(&raw, odb, &e.id) != 0) {
          ::close(fd);
          return git_failure("cannot read the blob of " + e.path);
        }
        Handle<git_odb_object, git_odb_object_free> obj(raw);
        const char* data = static_cast<const char*>(git_odb_object_data(obj.get()));
        size_t size = git_odb_object_size(obj.get());
        bool ok =
            write_all_fd(fd, std::string_view(data, size)) &&
            ::ftruncate(fd, static_cast<off_t>(size)) == 0 &&
            ::fchmod(fd, (e.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644) & new_file_mode(true)) == 0 &&
            ::fstat(fd, &e.st) == 0;
        int saved = errno;
        if (::close(fd) != 0 && ok) ok = false, saved = errno;
        if (!ok) return make_error("cannot write " + path + ": " + std::strerror(saved), ErrorKind::IoError);
        return Ok{};
      }
      if (fd >= 0) ::close(fd);
    }
    if (Status st = move_to_trash(root, path); !st.ok()) return st;
  }
  if (Status st = make_parent_dirs(root, e.path); !st.ok()) return st;
  if (!parents_are_real_dirs(root, e.path))
    return make_error("a folder leading to " + e.path + " is not a real folder", ErrorKind::IoError);
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb, &e.id) != 0) return git_failure("cannot read the blob of " + e.path);
  Handle<git_odb_object, git_odb_object_free> obj(raw);
  const char* data = static_cast<const char*>(git_odb_object_data(obj.get()));
  size_t size = git_odb_object_size(obj.get());
  if (e.mode == GIT_FILEMODE_LINK) {
    if (::symlink(std::string(data, size).c_str(), path.c_str()) != 0)
      return make_error("cannot create the link " + path + ": " + std::strerror(errno), ErrorKind::IoError);
  } else {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    e.mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
    bool ok = fd >= 0 && write_all_fd(fd, std::string_view(data, size));
    int saved = errno;
    if (fd >= 0 && ::close(fd) != 0 && ok) ok = false, saved = errno;
    if (!ok) return make_error("cannot write " + path + ": " + std::strerror(saved), ErrorKind::IoError);
  }
  if (::lstat(path.c_str(), &e.st) != 0)
    return make_error("cannot stat " + path + ": " + std::strerror(errno), ErrorKind::IoError);
  return Ok{};
}

bool later(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

// Waits until the file system's clock has passed `newest` (a tick is a few
// ms), so the index saved next is later than every file it describes and
// none of them is racily clean the next time.
void wait_past(const struct timespec& newest, const std::string& probe) {
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  for (int i = 0; i < 200; ++i) {
    struct stat st {};
    if (::futimens(fd, nullptr) != 0 || ::fstat(fd, &st) != 0 || later(st.st_mtim, newest)) break;
    ::usleep(1000);
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

// `.git` of a slot kept, but only what a new scratch repository has (the
// layout below, files with one link, folders real): anything else (objects
// and refs of the last use, logs, a planted hook or packed-refs, links) goes
// to the trash, and every file is written with known content.
const std::unordered_set<std::string> kGitDirs = {
    ".git",      ".git/objects",    ".git/objects/info", ".git/objects/pack",
    ".git/refs", ".git/refs/heads", ".git/refs/tags"};
const char* const kGitFiles[] = {".git/HEAD", ".git/config", ".git/objects/info/alternates", ".git/index"};

Status clean_git(const std::string& dir, const std::string& rel) {
  std::string abs = dir + "/" + rel;
  int fd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return move_to_trash(dir, abs);
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return make_error("cannot read the folder " + abs, ErrorKind::IoError);
  }
  std::vector<std::string> subdirs, gone;
  while (dirent* de = ::readdir(d)) {
    std::string name = de->d_name;
    if (name == "." || name == "..") continue;
    std::string path = rel + "/" + name;
    struct stat st {};
    bool known_file = false;
    for (const char* f : kGitFiles) known_file = known_file || path == f;
    if (::fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      gone.push_back(path);
    else if (S_ISDIR(st.st_mode) && kGitDirs.count(path))
      subdirs.push_back(path);
    else if (!(known_file && S_ISREG(st.st_mode) && st.st_nlink == 1))
      gone.push_back(path);
  }
  ::closedir(d);
  for (const auto& p : gone)
    if (Status st = move_to_trash(dir, dir + "/" + p); !st.ok()) return st;
  for (const auto& p : subdirs)
    if (Status st = clean_git(dir, p); !st.ok()) return st;
  return Ok{};
}

// Writes `data` to the file `abs` in place (created if missing), never
// through a link; a file with more than one link goes to the trash first.
Status write_known(const std::string& dir, const std::string& abs, const std::string& data) {
  for (int tries = 0; tries < 2; ++tries) {
    int fd = ::open(abs.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1) {
      bool ok = write_all_fd(fd, data) && ::ftruncate(fd, static_cast<off_t>(data.size())) == 0;
      int saved = errno;
      if (::close(fd) != 0 && ok) ok = false, saved = errno;
      if (!ok) return make_error("cannot write " + abs + ": " + std::strerror(saved), ErrorKind::IoError);
      return Ok{};
    }
    if (fd >= 0) ::close(fd);
    if (Status st = move_to_trash(dir, abs); !st.ok()) return st;
  }
  return make_error("cannot write " + abs, ErrorKind::IoError);
}

// The slot's `.git` made a new scratch repository's again, or false when it
// is not a real folder (then made anew by the caller).
Result<bool> reuse_git(Repository& repo, const std::string& commit, const std::string& dir,
                       const std::string& saved) {
  struct stat st {};
  if (::lstat((dir + "/.git").c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  if (Status s = clean_git(dir, ".git"); !s.ok()) return s.error();
  for (const auto& d : {".git/objects", ".git/objects/info", ".git/objects/pack", ".git/refs",
                        ".git/refs/heads", ".git/refs/tags"})
    if (::mkdir((dir + "/" + d).c_str(), 0755) != 0 && errno != EEXIST)
      return make_error("cannot create " + dir + "/" + d + ": " + std::strerror(errno), ErrorKind::IoError);
  auto index = read_file_raw(saved);
  if (!index.ok()) return index.error();
  if (!*index) return make_error("the saved index of " + dir + " is gone", ErrorKind::IoError);
  const std::pair<const char*, std::string> files[] = {
      {".git/HEAD", commit + "\n"},
      {".git/config",
       "[core]\n\tbare = false\n\trepositoryformatversion = 0\n\tfilemode = true\n\tlogallrefupdates = "
       "true\n"},
      {".git/objects/info/alternates", repo.common_dir() + "/objects\n"},
      {".git/index", **index}};
  for (const auto& [rel, data] : files)
    if (Status s = write_known(dir, dir + "/" + rel, data); !s.ok()) return s.error();
  return true;
}

Status copy_index(const std::string& saved, const std::string& dir) {
  std::error_code ec;
  fs::copy_file(saved, dir + "/.git/index", fs::copy_options::overwrite_existing, ec);
  if (ec) return make_error("cannot write the index of " + dir + ": " + ec.message(), ErrorKind::IoError);
  return Ok{};
}

// After scratch_worktree: the index with every file's stat data, saved.
Status save_index(Repository& scratch, const std::string& dir) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, scratch.raw()) != 0) return git_failure("cannot open the index of " + dir);
  IndexPtr idx(raw);
  std::vector<git_index_entry> entries;
  size_t n = git_index_entrycount(idx.get());
  entries.reserve(n);
  for (size_t i = 0; i < n; ++i) entries.push_back(*git_index_get_byindex(idx.get(), i));
  std::vector<std::string> paths;
  paths.reserve(n);
  for (auto& e : entries) paths.emplace_back(e.path);
  struct timespec newest {};
  for (size_t i = 0; i < n; ++i) {
    git_index_entry e = entries[i];
    e.path = paths[i].c_str();
    if (e.mode == GIT_FILEMODE_COMMIT) continue;
    struct stat st {};
    if (::lstat((dir + "/" + paths[i]).c_str(), &st) != 0) continue;  // stays unmatched: written next time
    fill_stat(e, st);
    if (later(st.st_mtim, newest)) newest = st.st_mtim;
    if (git_index_add(idx.get(), &e) != 0) return git_failure("cannot update the index of " + dir);
  }
  wait_past(newest, scratch_saved_index(dir) + ".tick");
  if (git_index_write(idx.get()) != 0) return git_failure("cannot write the index of " + dir);
  std::error_code ec;
  fs::copy_file(dir + "/.git/index", scratch_saved_index(dir), fs::copy_options::overwrite_existing, ec);
  if (ec) return make_error("cannot save the index of " + dir + ": " + ec.message(), ErrorKind::IoError);
  return Ok{};
}

Result<Repository> rebuild(Repository& repo, const std::string& commit, const std::string& dir,
                           ScratchResetStats& stats) {
  stats.rebuilt = true;
  std::error_code ec;
  fs::remove(scratch_saved_index(dir), ec);
  if (Status st = move_to_trash(dir, dir); !st.ok()) return st.error();
  auto scratch = scratch_worktree(repo, commit, dir);
  if (!scratch.ok()) return scratch.error();
  if (Status st = save_index(*scratch, dir); !st.ok()) return st.error();
  return scratch;
}

Result<Repository> reset(Repository& repo, const std::string& commit, const std::string& dir,
                         ScratchResetStats& stats) {
  const std::string saved = scratch_saved_index(dir);
  struct stat ist {};
  if (::lstat(saved.c_str(), &ist) != 0 || !S_ISREG(ist.st_mode)) return rebuild(repo, commit, dir, stats);
  const struct timespec stamp = ist.st_mtim;
  git_index* raw = nullptr;
  if (git_index_open(&raw, saved.c_str()) != 0) return rebuild(repo, commit, dir, stats);
  IndexPtr idx(raw);
  // git_index_read_tree keeps the stat data of an entry whose path, mode and
  // blob are unchanged (what the last reset or export recorded); the other
  // entries come with none.
  auto tree = find_tree(repo, commit);
  if (!tree.ok()) return tree.error();
  if (tree->get() ? git_index_read_tree(idx.get(), tree->get()) != 0 : git_index_clear(idx.get()) != 0)
    return git_failure("cannot read the tree of " + commit);
  Tree t;
  size_t n = git_index_entrycount(idx.get());
  t.entries.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(idx.get(), i);
    Entry& x = t.entries[i];
    x.path = e->path, x.id = e->id, x.mode = e->mode;
    x.rec = *e;
    x.rec.path = nullptr;
    if (x.mode == GIT_FILEMODE_COMMIT)
      t.dirs.insert(x.path);
    else
      t.files.emplace(x.path, i);
    for (size_t s = x.path.rfind('/'); s != std::string::npos && s > 0; s = x.path.rfind('/', s - 1)) {
      if (!t.dirs.insert(x.path.substr(0, s)).second) break;
    }
  }
  struct stat dst {};
  if (::lstat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode)) return rebuild(repo, commit, dir, stats);
  if (Status st = walk(dir, "", t, stats.removed); !st.ok()) return st.error();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo.raw()) != 0)
    return git_failure("cannot open the objects of " + repo.root());
  Handle<git_odb, git_odb_free> odb_handle(odb);
  for (Entry& x : t.entries) {
    std::string abs = dir + "/" + x.path;
    if (x.mode == GIT_FILEMODE_COMMIT) {  // a submodule: an empty folder
      if (Status st = make_parent_dirs(dir, x.path); !st.ok()) return st.error();
      if (::mkdir(abs.c_str(), 0755) != 0 && errno != EEXIST)
        return make_error("cannot create " + abs + ": " + std::strerror(errno), ErrorKind::IoError);
      continue;
    }
    bool recorded = x.rec.mtime.seconds != 0 || x.rec.ino != 0;
    bool keep = x.seen && recorded && !racy(x.rec, stamp) && same_stat(x.rec, x.st);
    if (keep) continue;
    if (Status st = write_entry(odb, dir, x); !st.ok()) return st.error();
    x.seen = x.written = true;
    ++stats.rewritten;
  }
  struct timespec newest {};
  for (size_t i = 0; i < n; ++i) {
    const Entry& x = t.entries[i];
    if (!x.written) continue;  // the others' stat data is in the index already
    git_index_entry e = *git_index_get_byindex(idx.get(), i);
    fill_stat(e, x.st);
    if (later(x.st.st_mtim, newest)) newest = x.st.st_mtim;
    if (git_index_add(idx.get(), &e) != 0) return git_failure("cannot update the saved index of " + dir);
  }
  if (stats.rewritten > 0) wait_past(newest, saved + ".tick");
  // Then `.git`, whatever it is now (a link to another repository is moved
  // away, never followed): config, HEAD, refs, objects of the last use go.
  if (git_index_write(idx.get()) != 0) return git_failure("cannot write the saved index of " + dir);
  auto reused = reuse_git(repo, commit, dir, saved);
  if (!reused.ok()) return reused.error();
  if (!*reused) {  // `.git` was a link or a file: a new one
    if (Status st = move_to_trash(dir, dir + "/.git"); !st.ok()) return st.error();
    auto scratch = init_scratch_git(repo, commit, dir);
    if (!scratch.ok()) return scratch.error();
    if (Status st = copy_index(saved, dir); !st.ok()) return st.error();
  }
  return Repository::open(dir);  // its index read afresh
}

}  // namespace

std::string scratch_saved_index(const std::string& dir) { return dir + ".index"; }

std::string scratch_trash(const std::string& dir) { return dir + ".trash"; }

void purge_scratch_trash(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(scratch_trash(dir), ec);
}

Result<Repository> reset_scratch_worktree(Repository& repo, const std::string& commit, const std::string& dir,
                                          ScratchResetStats& stats) {
  ensure_libgit2();
  stats = {};
  return reset(repo, commit, dir, stats);
}

Result<Repository> reset_scratch_worktree(Repository& repo, const std::string& commit,
                                          const std::string& dir) {
  ScratchResetStats stats;
  return reset_scratch_worktree(repo, commit, dir, stats);
}

}  // namespace ds::git
