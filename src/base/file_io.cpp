// read_whole_file and read_file_if_exists over open/fstat/read.
#include "base/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ds {
namespace {

// Reads `path`; *missing is set (and the error says so) when nothing is there.
Result<std::string> read_impl(const std::string& path, size_t max_bytes, bool* missing) {
  *missing = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *missing = errno == ENOENT || errno == ENOTDIR;
    return make_error("cannot read '" + path + "': " + std::strerror(errno));
  }
  auto fail = [&](const std::string& why) {
    ::close(fd);
    return make_error("cannot read '" + path + "': " + why);
  };
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("it is a folder, not a file");
  auto too_large = [&] { return fail("it is larger than " + std::to_string(max_bytes) + " bytes"); };
  if (static_cast<size_t>(st.st_size) > max_bytes) return too_large();
  // The size fstat reports is read in place; whatever follows (a file that
  // grows, /proc files and pipes that report 0) is appended in chunks.
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  if (done == static_cast<size_t>(st.st_size)) {
    char buf[65536];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(std::strerror(errno));
      if (static_cast<size_t>(n) > max_bytes - data.size()) return too_large();
      data.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return data;
}

}  // namespace

Result<std::string> read_whole_file(const std::string& path, size_t max_bytes) {
  bool missing = false;
  return read_impl(path, max_bytes, &missing);
}

Result<std::optional<std::string>> read_file_if_exists(const std::string& path, size_t max_bytes) {
  bool missing = false;
  auto data = read_impl(path, max_bytes, &missing);
  if (data) return std::optional<std::string>(std::move(*data));
  if (missing) return std::optional<std::string>();
  return data.error();
}

}  // namespace ds
