// map_file over open/fstat/mmap.
#include "repomap/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "repomap/cache.hpp"

namespace ds::repomap {

Result<MappedFile> map_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return make_error("no file at " + path, ErrorKind::CacheMissing);
    return make_error("cannot open " + path + ": " + std::strerror(errno), ErrorKind::CacheIo);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return make_error("empty file " + path, ErrorKind::CacheInvalid);
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED)
    return make_error("cannot map " + path + ": " + std::strerror(errno), ErrorKind::CacheIo);
  MappedFile m;
  m.backing = std::shared_ptr<const void>(p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
  m.data = static_cast<const char*>(p);
  m.size = size;
  return m;
}

}  // namespace ds::repomap
