// JSONL appends (one write + fdatasync per line), tail repair, reading back
// the latest line per id, and rewriting without some ids (--redo).
#include "agent/batch/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/atomic_write.hpp"
#include "base/file_io.hpp"
#include "text/redact.hpp"

namespace ds::agent {
namespace {

Error io_error(const std::string& what, const std::string& path) {
  return make_error(what + " " + path + ": " + std::strerror(errno) +
                    "; check the folder exists and is writable");
}

// Cuts a last line that has no newline; returns the bytes removed.
Result<size_t> repair_tail(int fd, const std::string& path) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return io_error("cannot stat", path);
  if (st.st_size == 0) return size_t{0};
  off_t size = st.st_size, pos = size;
  char buf[4096];
  while (pos > 0) {
    off_t start = pos >= static_cast<off_t>(sizeof buf) ? pos - static_cast<off_t>(sizeof buf) : 0;
    ssize_t n = pread(fd, buf, static_cast<size_t>(pos - start), start);
    if (n <= 0) return io_error("cannot read", path);
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (buf[i] == '\n') {
        off_t keep = start + i + 1;
        if (keep == size) return size_t{0};
        if (ftruncate(fd, keep) != 0) return io_error("cannot cut the partial last line of", path);
        return static_cast<size_t>(size - keep);
      }
    }
    pos = start;
  }
  if (ftruncate(fd, 0) != 0) return io_error("cannot cut the partial last line of", path);
  return static_cast<size_t>(size);
}

}  // namespace

Result<std::unique_ptr<JsonlAppender>> JsonlAppender::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot open", path);
  auto dropped = repair_tail(fd, path);
  if (!dropped.ok()) {
    ::close(fd);
    return dropped.error();
  }
  return std::unique_ptr<JsonlAppender>(new JsonlAppender(path, fd, *dropped));
}

JsonlAppender::~JsonlAppender() {
  if (fd_ >= 0) ::close(fd_);
}

Status JsonlAppender::append(const json::Value& line) {
  // The key, exactly; not secret shapes: predictions carry patches that must
  // apply byte for byte, and test fixtures hold fake sk-... keys.
  std::string data = text::redact_json(json::dump(line), {}, text::RedactShapes::No);
  data += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  // One write() for the whole line: O_APPEND makes it land at the end as a
  // unit. A short write (disk full) is cut back so no half line stays.
  struct stat st {};
  off_t before = fstat(fd_, &st) == 0 ? st.st_size : -1;
  ssize_t n = ::write(fd_, data.data(), data.size());
  if (n != static_cast<ssize_t>(data.size())) {
    int saved = n < 0 ? errno : ENOSPC;
    if (n > 0 && before >= 0) {
      int cut = ftruncate(fd_, before);  // best effort: take the partial line back
      (void)cut;
    }
    errno = saved;
    return io_error("cannot append a line to", path_);
  }
  fdatasync(fd_);
  return Ok{};
}

std::string meta_path_for(const std::string& out_path) {
  const std::string ext = ".jsonl";
  if (out_path.size() > ext.size() && out_path.compare(out_path.size() - ext.size(), ext.size(), ext) == 0)
    return out_path.substr(0, out_path.size() - ext.size()) + ".meta.jsonl";
  return out_path + ".meta.jsonl";
}

json::Value prediction_line(const std::string& id, const std::string& model_name, const std::string& patch) {
  json::Value v = json::Value::object();
  v.set("instance_id", id).set("model_name_or_path", model_name).set("model_patch", patch);
  return v;
}

Result<std::map<std::string, json::Value>> read_latest_by_id(const std::string& path) {
  std::map<std::string, json::Value> out;
  auto read = read_file_if_exists(path);
  if (!read) return io_error("cannot read", path);
  if (!*read) return out;
  std::string text = std::move(**read);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // a partial last line is not a record
    auto v = json::parse(std::string_view(text).substr(pos, nl - pos));
    pos = nl + 1;
    if (!v.ok() || !v->is_object() || !(*v)["instance_id"].is_string()) continue;
    std::string id = (*v)["instance_id"].as_string();
    out[id] = std::move(*v);
  }
  return out;
}

Result<size_t> remove_ids(const std::string& path, const std::set<std::string>& ids) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return size_t{0};
  std::string kept, line;
  size_t removed = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no newline: a partial last line, dropped
    auto v = json::parse(line);
    if (v.ok() && v->is_object() && ids.count((*v)["instance_id"].as_string())) {
      ++removed;
      continue;
    }
    kept += line + '\n';
  }
  if (removed == 0) return removed;
  Status st = write_file_atomic(path, kept, new_file_mode(false));
  if (!st) return st.error();
  return removed;
}

}  // namespace ds::agent
