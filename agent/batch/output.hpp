// The files `diffsmith batch` writes: predictions (preds.jsonl, the format
// the SWE-bench harness reads) and their side file (preds.meta.jsonl), each
// line appended whole in one write and flushed to disk, so a crash or Ctrl-C
// never leaves half a line; and reading them back for resume and the report.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/result.hpp"
#include "json/value.hpp"

namespace ds::agent {

// Appends JSON lines to a file, from any thread. Each line is one write() on
// an O_APPEND descriptor followed by fdatasync.
class JsonlAppender {
 public:
  // Creates the file if needed. A trailing partial line (a crash of some
  // other writer) is cut off first; dropped_bytes() says how much.
  static Result<std::unique_ptr<JsonlAppender>> open(const std::string& path);
  ~JsonlAppender();
  JsonlAppender(const JsonlAppender&) = delete;
  JsonlAppender& operator=(const JsonlAppender&) = delete;

  Status append(const json::Value& line);
  const std::string& path() const { return path_; }
  size_t dropped_bytes() const { return dropped_; }

 private:
  JsonlAppender(std::string path, int fd, size_t dropped)
      : path_(std::move(path)), fd_(fd), dropped_(dropped) {}
  std::string path_;
  int fd_ = -1;
  size_t dropped_ = 0;
  std::mutex mu_;
};

// preds.jsonl → preds.meta.jsonl; any other name gets ".meta.jsonl" appended.
std::string meta_path_for(const std::string& out_path);

// {"instance_id", "model_name_or_path", "model_patch"}.
json::Value prediction_line(const std::string& id, const std::string& model_name, const std::string& patch);

// Every complete line of a JSONL file that parses to an object with a string
// "instance_id", the last one per id (later lines win). A missing file is
// empty; lines that do not parse are skipped.
Result<std::map<std::string, json::Value>> read_latest_by_id(const std::string& path);

// Rewrites `path` (temp file + rename) without the lines whose instance_id is
// in `ids`; returns how many lines were removed. A missing file is fine.
Result<size_t> remove_ids(const std::string& path, const std::set<std::string>& ids);

}  // namespace ds::agent
