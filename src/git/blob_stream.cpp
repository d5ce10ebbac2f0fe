// store_file (write stream, with a hash-first check and a stat cache for big
// files), blob_size, file_matches_blob, write_blob_atomic (read stream).
#include "git/blob_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include "base/atomic_write.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

constexpr size_t kPiece = 64 * 1024;
constexpr off_t kBig = off_t{1} << 20;  // smaller files cost less to read again than to remember
constexpr int64_t kRacyNs =
    2'000'000'000;            // a file written this shortly before it was read may change unseen
constexpr int kAttempts = 3;  // a file that keeps changing while it is read

using OdbPtr = Handle<git_odb, git_odb_free>;
using OdbStreamPtr = Handle<git_odb_stream, git_odb_stream_free>;

int64_t ns_of(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

int64_t now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return ns_of(t);
}

// What store_file last stored for a path: the file's identity and the blob.
// `settled`: last written more than kRacyNs before it was read, so a later
// write cannot leave the same times behind.
struct Stored {
  dev_t dev;
  ino_t ino;
  off_t size;
  int64_t mtime, ctime;
  git_oid id;
  bool settled;
};

bool same_file(const Stored& s, const struct stat& st) {
  return s.dev == st.st_dev && s.ino == st.st_ino && s.size == st.st_size && s.mtime == ns_of(st.st_mtim) &&
         s.ctime == ns_of(st.st_ctim);
}

// Process-wide: batch workers share it (keys carry the repository).
std::mutex stored_mutex;
std::map<std::string, Stored>& stored_files() {
  static std::map<std::string, Stored> files;
  return files;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text() { return std::strerror(errno); }

Result<OdbPtr> odb_of(Repository& repo) {
  git_odb* raw = nullptr;
  if (git_repository_odb(&raw, repo.raw()) != 0)
    return git_failure("cannot open the object database of " + repo.root());
  return OdbPtr(raw);
}

// O_NOFOLLOW: a link is stored as a link by the caller, never followed here.
// O_NONBLOCK: a fifo put in the file's place must not block the open.
int open_regular(const std::string& abs) {
  return ::open(abs.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
}

// The blob id of the open file's bytes, read through its own descriptor.
Result<git_oid> hash_fd(int fd, const std::string& abs) {
  git_oid id;
  std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (git_odb_hashfile(&id, self.c_str(), GIT_OBJECT_BLOB) != 0) return git_failure("cannot hash " + abs);
  return id;
}

ssize_t read_some(int fd, char* buf, size_t n) {
  while (true) {
    ssize_t got = ::read(fd, buf, n);
    if (got >= 0 || errno != EINTR) return got;
  }
}

// Streams the file's `size` bytes into a new blob; std::nullopt when the
// file turned out to have another size (it changed while being read).
Result<std::optional<git_oid>> write_stream(git_odb* odb, int fd, off_t size, const std::string& abs) {
  git_odb_stream* raw = nullptr;
  if (git_odb_open_wstream(&raw, odb, static_cast<git_object_size_t>(size), GIT_OBJECT_BLOB) != 0)
    return git_failure("cannot store " + abs + " in the object database");
  OdbStreamPtr stream(raw);
  std::vector<char> buf(kPiece);
  off_t done = 0;
  while (done < size) {
    ssize_t got = read_some(fd, buf.data(), buf.size());
    if (got < 0) return make_error("cannot read " + abs + ": " + errno_text(), ErrorKind::IoError);
    if (got == 0) return std::optional<git_oid>();           // shrank
    if (got > size - done) return std::optional<git_oid>();  // grew
    if (git_odb_stream_write(raw, buf.data(), static_cast<size_t>(got)) != 0)
      return git_failure("cannot store " + abs + " in the object database");
    done += got;
  }
  char extra;
  ssize_t more = read_some(fd, &extra, 1);
  if (more < 0) return make_error("cannot read " + abs + ": " + errno_text(), ErrorKind::IoError);
  if (more > 0) return std::optional<git_oid>();  // grew
  git_oid id;
  if (git_odb_stream_finalize_write(&id, raw) != 0)
    return git_failure("cannot store " + abs + " in the object database");
  return std::optional<git_oid>(id);
}

}  // namespace

Result<std::optional<git_oid>> store_file(Repository& repo, const std::string& abs) {
  auto odb = odb_of(repo);
  if (!odb) return odb.error();
  std::string key = repo.common_dir() + '\0' + abs;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Fd fd(open_regular(abs));
    if (fd.get() < 0) {
      if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) return std::optional<git_oid>();  // gone
      return make_error("cannot read " + abs + ": " + errno_text() + "; check its permissions",
                        ErrorKind::IoError);
    }
    struct stat st;
    if (::fstat(fd.get(), &st) != 0)
      return make_error("cannot inspect " + abs + ": " + errno_text(), ErrorKind::IoError);
    if (!S_ISREG(st.st_mode)) return std::optional<git_oid>();
    // A big file this process stored before: reused when settled; hashed
    // first when it looks the same but was written just before that read
    // (a checkpoint right after the command's snapshot), since hashing costs
    // less than compressing it again; written straight away otherwise (new
    // bytes, most likely).
    bool hash_first = false;
    if (st.st_size >= kBig) {
      std::lock_guard<std::mutex> lock(stored_mutex);
      auto it = stored_files().find(key);
      if (it != stored_files().end() && same_file(it->second, st) &&
          git_odb_exists(odb->get(), &it->second.id)) {
        if (it->second.settled) return std::optional<git_oid>(it->second.id);
        hash_first = true;
      }
    }
    int64_t read_at = now_ns();
    std::optional<git_oid> id;
    if (hash_first) {
      auto hashed = hash_fd(fd.get(), abs);
      if (!hashed) return hashed.error();
      if (git_odb_exists(odb->get(), &*hashed)) id = *hashed;
    }
    if (!id) {
      auto written = write_stream(odb->get(), fd.get(), st.st_size, abs);
      if (!written) return written.error();
      if (!*written) continue;  // it changed while being read: again, from its new size
      id = **written;
    }
    struct stat after;
    bool unchanged = ::fstat(fd.get(), &after) == 0 && after.st_size == st.st_size &&
                     ns_of(after.st_mtim) == ns_of(st.st_mtim) && ns_of(after.st_ctim) == ns_of(st.st_ctim);
    if (!unchanged) continue;
    if (st.st_size >= kBig) {
      bool settled = ns_of(st.st_mtim) < read_at - kRacyNs && ns_of(st.st_ctim) < read_at - kRacyNs;
      std::lock_guard<std::mutex> lock(stored_mutex);
      stored_files()[key] =
          Stored{st.st_dev, st.st_ino, st.st_size, ns_of(st.st_mtim), ns_of(st.st_ctim), *id, settled};
    }
    return id;
  }
  return make_error(abs +
                        " kept changing while diffsmith stored it in a checkpoint; stop what writes it and "
                        "try again",
                    ErrorKind::IoError);
}

Result<uint64_t> blob_size(Repository& repo, const git_oid& id) {
  auto odb = odb_of(repo);
  if (!odb) return odb.error();
  size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&len, &type, odb->get(), &id) != 0)
    return git_failure("cannot read the header of object " + oid_hex(id));
  return static_cast<uint64_t>(len);
}

Result<std::string> blob_bytes(Repository& repo, const git_oid& id) {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo.raw(), &id) != 0) return git_failure("cannot read blob " + oid_hex(id));
  BlobPtr blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                     static_cast<size_t>(git_blob_rawsize(raw)));
}

Result<std::string> blob_head(Repository& repo, const git_oid& id, size_t n) {
  auto odb = odb_of(repo);
  if (!odb) return odb.error();
  git_odb_stream* raw = nullptr;
  size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_open_rstream(&raw, &len, &type, odb->get(), &id) != 0) {
    git_error_clear();
    return std::string();
  }
  OdbStreamPtr stream(raw);
  std::string head(std::min(n, len), '\0');
  size_t done = 0;
  while (done < head.size()) {
    int got = git_odb_stream_read(raw, head.data() + done, head.size() - done);
    if (got <= 0) return git_failure("cannot read blob " + oid_hex(id) + " (it ends early)");
    done += static_cast<size_t>(got);
  }
  return head;
}

Result<bool> file_matches_blob(Repository& repo, const std::string& abs, const git_oid& id) {
  auto size = blob_size(repo, id);
  if (!size) return size.error();
  Fd fd(open_regular(abs));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) return false;
    return make_error("cannot read " + abs + ": " + errno_text() + "; check its permissions",
                      ErrorKind::IoError);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (static_cast<uint64_t>(st.st_size) != *size) return false;
  auto hashed = hash_fd(fd.get(), abs);
  if (!hashed) return hashed.error();
  return git_oid_equal(&*hashed, &id) != 0;
}

Status write_blob_atomic(Repository& repo, const git_oid& id, const std::string& abs, mode_t mode) {
  auto odb = odb_of(repo);
  if (!odb) return odb.error();
  git_odb_stream* raw = nullptr;
  size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_open_rstream(&raw, &len, &type, odb->get(), &id) != 0) {
    // Packed objects have no read stream in libgit2 1.5: read it whole.
    git_error_clear();
    git_blob* blob_raw = nullptr;
    if (git_blob_lookup(&blob_raw, repo.raw(), &id) != 0)
      return git_failure("cannot read blob " + oid_hex(id));
    BlobPtr blob(blob_raw);
    return write_file_atomic(abs,
                             std::string_view(static_cast<const char*>(git_blob_rawcontent(blob_raw)),
                                              static_cast<size_t>(git_blob_rawsize(blob_raw))),
                             mode);
  }
  OdbStreamPtr stream(raw);
  std::vector<char> buf(kPiece);
  size_t left = len;
  return write_file_atomic_pieces(
      abs,
      [&]() -> Result<std::string_view> {
        if (left == 0) return std::string_view();
        int got = git_odb_stream_read(raw, buf.data(), std::min(buf.size(), left));
        if (got <= 0) return git_failure("cannot read blob " + oid_hex(id) + " (it ends early)");
        left -= static_cast<size_t>(got);
        return std::string_view(buf.data(), static_cast<size_t>(got));
      },
      mode);
}

}  // namespace ds::git
