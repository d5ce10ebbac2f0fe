// RepoLock. The lock file holds "<pid> <start time>\n";
// the start time (from /proc/<pid>/stat) tells a live owner from an
// unrelated process that later got the same pid. Checking and replacing a
// stale lock happens under flock(2) on a guard file, so two runs that find
// the same stale lock cannot both take it.
#include "worktree/lock.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/atomic_write.hpp"
#include "base/file_io.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles
namespace {

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or ""
// when the process does not exist.
std::string start_time(pid_t pid) {
  auto text = read_whole_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return "";
  const std::string& stat = *text;
  auto close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
  }
  return field;
}

bool owner_alive(const std::string& content, pid_t* pid_out) {
  std::istringstream in(content);
  long pid = 0;
  std::string started;
  if (!(in >> pid) || pid <= 0) return false;  // garbage: nobody can own it
  in >> started;
  *pid_out = static_cast<pid_t>(pid);
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  if (!started.empty()) {
    std::string now = start_time(static_cast<pid_t>(pid));
    if (!now.empty() && now != started) return false;  // the pid was reused
  }
  return true;
}

class Guard {
 public:
  explicit Guard(const std::string& path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~Guard() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
  }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace

Result<RepoLock> RepoLock::acquire(git::Repository& repo) {
  auto dir = diffsmith_dir(repo);
  if (!dir) return dir.error();
  std::string path = *dir + "/lock";
  Guard guard(path + ".guard");
  if (!guard.ok())
    return make_error(
        "cannot open " + path + ".guard: " + std::strerror(errno) + "; check that .git is writable",
        ErrorKind::IoError);
  std::string content = std::to_string(::getpid()) + " " + start_time(::getpid()) + "\n";
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) {
      bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
      ::close(fd);
      if (!written) {
        ::unlink(path.c_str());
        return make_error("cannot write the lock file " + path + "; check free space", ErrorKind::IoError);
      }
      return RepoLock(path, content);
    }
    if (errno != EEXIST)
      return make_error("cannot create the lock file " + path + ": " + std::strerror(errno),
                        ErrorKind::IoError);
    auto existing = read_file_raw(path);
    pid_t pid = 0;
    if (existing && *existing && owner_alive(**existing, &pid))
      return make_error("another diffsmith run (pid " + std::to_string(pid) +
                            ") is working in this work tree (" + repo.root() +
                            "); wait for it to finish, or stop it",
                        ErrorKind::Locked);
    ::unlink(path.c_str());  // stale: its owner is gone
  }
  return make_error("cannot take the lock " + path + "; remove it if no diffsmith run is active",
                    ErrorKind::Locked);
}

RepoLock::RepoLock(RepoLock&& other) noexcept
    : path_(std::move(other.path_)), content_(std::move(other.content_)) {
  other.path_.clear();
}

RepoLock& RepoLock::operator=(RepoLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    content_ = std::move(other.content_);
    other.path_.clear();
  }
  return *this;
}

void RepoLock::release() {
  if (path_.empty()) return;
  auto current = read_file_raw(path_);
  if (current && *current && **current == content_) ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace ds::worktree
