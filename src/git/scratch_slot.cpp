// ScratchSlot: the first `<k>.lock` under the folder that flock grants.
#include "git/scratch_slot.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace ds::git {

Result<ScratchSlot> ScratchSlot::acquire(const std::string& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return make_error("cannot create " + folder + ": " + ec.message(), ErrorKind::IoError);
  for (int k = 1;; ++k) {
    std::string dir = folder + "/" + std::to_string(k);
    int fd = ::open((dir + ".lock").c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
      return make_error("cannot open " + dir + ".lock: " + std::strerror(errno), ErrorKind::IoError);
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return ScratchSlot(dir, fd);
    int err = errno;
    ::close(fd);
    if (err != EWOULDBLOCK)
      return make_error("cannot lock " + dir + ".lock: " + std::strerror(err), ErrorKind::IoError);
  }
}

ScratchSlot::~ScratchSlot() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace ds::git
