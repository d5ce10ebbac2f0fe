// Raw reads, atomic writes and folder handling: every file diffsmith replaces.
#include "base/atomic_write.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "base/error_kind.hpp"
#include "base/file_io.hpp"

namespace ds {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// A unique temporary name next to `path` (mkstemp's pattern).
std::string temp_pattern(const std::string& path) {
  auto slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() > 200) name.resize(200);  // the temporary's name must fit NAME_MAX (255) too
  return parent_of(path) + "/." + name + ".diffsmith-XXXXXX";
}

// DIFFSMITH_TEST_KILL_AT_WRITE=N: the 1-based write_file_atomic call of this
// process that kills it halfway (0: never).
bool kill_at_this_write() {
  static const long kill_at = [] {
    const char* v = ::getenv("DIFFSMITH_TEST_KILL_AT_WRITE");
    return v ? std::atol(v) : 0L;
  }();
  static std::atomic<long> writes{0};
  return kill_at > 0 && ++writes == kill_at;
}

mode_t process_umask() {
  // Reading the umask without the racy umask(umask(0)) dance (Linux >= 4.7).
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

}  // namespace

Result<std::optional<std::string>> read_file_raw(const std::string& abs_path) {
  auto data = read_file_if_exists(abs_path);
  if (!data) return make_error(data.error().message + "; check its permissions", FileErrorKind::IoError);
  return data;
}

Status write_file_atomic(const std::string& abs_path, std::string_view data, mode_t mode) {
  bool given = false;
  return write_file_atomic_pieces(
      abs_path,
      [&]() -> Result<std::string_view> {
        if (given) return std::string_view();
        given = true;
        return data;
      },
      mode);
}

Status write_file_atomic_pieces(const std::string& abs_path, const Pieces& next, mode_t mode) {
  std::string tmp = temp_pattern(abs_path);
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0)
    return make_error("cannot create a temporary file next to " + abs_path + ": " + errno_text() +
                          "; check that the folder is writable",
                      FileErrorKind::IoError);
  auto discard = [&](Error e) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  };
  auto fail = [&](const std::string& what) {
    std::string msg = what + " " + abs_path + ": " + errno_text();
    return discard(make_error(msg + "; nothing was written there", FileErrorKind::IoError));
  };
  bool kill = kill_at_this_write();
  while (true) {
    auto piece = next();
    if (!piece) return discard(piece.error());
    if (kill) {  // half of the first piece (all of the data for a whole-string write), then die
      if (::write(fd, piece->data(), piece->size() / 2) < 0) {
      }
      ::raise(SIGKILL);
    }
    if (piece->empty()) break;
    if (!write_all_fd(fd, *piece)) return fail("cannot write");
  }
  if (::fchmod(fd, mode) != 0) return fail("cannot set the mode of");
  if (::close(fd) != 0) {
    std::string msg = "cannot write " + abs_path + ": " + errno_text();
    ::unlink(tmp.c_str());
    return make_error(msg, FileErrorKind::IoError);
  }
  if (::rename(tmp.c_str(), abs_path.c_str()) != 0) {
    std::string msg = "cannot replace " + abs_path + ": " + errno_text();
    ::unlink(tmp.c_str());
    return make_error(msg + "; check that it is not a folder and is writable", FileErrorKind::IoError);
  }
  return Ok{};
}

std::vector<std::string> leftover_temporaries(const std::string& abs_path) {
  std::vector<std::string> out;
  std::string dir = parent_of(abs_path);
  std::string pattern = temp_pattern(abs_path);
  std::string prefix = pattern.substr(dir.size() + 1, pattern.size() - dir.size() - 1 - 6);  // without XXXXXX
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (const dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() == prefix.size() + 6 && name.compare(0, prefix.size(), prefix) == 0)
      out.push_back(dir + "/" + name);
  }
  ::closedir(d);
  return out;
}

Status write_symlink_atomic(const std::string& abs_path, const std::string& target) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string tmp = parent_of(abs_path) + "/.diffsmith-link-" + std::to_string(::getpid()) + "-" +
                      std::to_string(attempt);
    if (::symlink(target.c_str(), tmp.c_str()) != 0) {
      if (errno == EEXIST) continue;
      return make_error("cannot create a symbolic link next to " + abs_path + ": " + errno_text(),
                        FileErrorKind::IoError);
    }
    if (::rename(tmp.c_str(), abs_path.c_str()) != 0) {
      std::string msg = "cannot replace " + abs_path + " with a symbolic link: " + errno_text();
      ::unlink(tmp.c_str());
      return make_error(msg, FileErrorKind::IoError);
    }
    return Ok{};
  }
  return make_error("cannot create a symbolic link next to " + abs_path + ": too many leftovers",
                    FileErrorKind::IoError);
}

Status make_parent_dirs(const std::string& root, const std::string& rel, std::vector<std::string>* created) {
  std::vector<std::string> made;
  auto fail = [&](Error e) {
    remove_created_dirs(made);
    return e;
  };
  std::string path = root;
  size_t start = 0;
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', start)) {
    path += "/" + rel.substr(start, slash - start);
    start = slash + 1;
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) continue;
      return fail(make_error(
          "cannot create " + root + "/" + rel + ": " + path + " is not a folder; move it away and retry",
          FileErrorKind::IoError));
    }
    if (::mkdir(path.c_str(), 0777) == 0) {
      made.push_back(path);
    } else if (errno != EEXIST) {
      std::string shown = path.size() > 200 ? path.substr(0, 200) + "..." : path;
      return fail(
          make_error("cannot create the folder " + shown + ": " + errno_text(), FileErrorKind::IoError));
    }
  }
  if (created) created->insert(created->end(), made.begin(), made.end());
  return Ok{};
}

void remove_created_dirs(const std::vector<std::string>& created) {
  for (auto it = created.rbegin(); it != created.rend(); ++it)
    if (::rmdir(it->c_str()) != 0) return;  // not empty: someone else uses it
}

bool parents_are_real_dirs(const std::string& root, const std::string& rel) {
  std::string path = root;
  size_t start = 0;
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', start)) {
    path += "/" + rel.substr(start, slash - start);
    start = slash + 1;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  }
  return true;
}

void remove_empty_parents(const std::string& root, const std::string& rel) {
  std::string dir = rel;
  for (auto slash = dir.rfind('/'); slash != std::string::npos; slash = dir.rfind('/')) {
    dir.resize(slash);
    if (::rmdir((root + "/" + dir).c_str()) != 0) return;  // not empty (or gone): stop
  }
}

bool write_all_fd(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

mode_t new_file_mode(bool executable) {
  static const mode_t mask = process_umask();
  return (executable ? 0777 : 0666) & ~mask;
}

}  // namespace ds
