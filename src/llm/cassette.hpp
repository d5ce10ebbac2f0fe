// Record and replay. A cassette is JSONL, one line per model request:
//   {"request": <request body>, "url": "...", "status": N, "headers": {...},
//    "response": "<raw body as received: the SSE text when streamed>",
//    "latency_ms": N}
// plus "error": "..." (and status 0) when no response arrived. Request
// headers are never stored, so Authorization / api-key never reach the file;
// the key is also scrubbed from everything written. Replay re-parses each
// stored response through the same wire decoder, in order, with no network.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llm/api_client.hpp"
#include "llm/types.hpp"

namespace ds::llm {

// Appends exchanges to a cassette file; each line goes out in one write() on
// an O_APPEND descriptor, so workers sharing a file do not interleave lines.
class CassetteWriter {
 public:
  CassetteWriter(std::string path, std::vector<std::string> secrets)
      : path_(std::move(path)), secrets_(std::move(secrets)) {}
  Status append(const Exchange& ex) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> secrets_;
};

// The JSONL line (without newline) for one exchange, secrets redacted and
// secret response headers (set-cookie, authorization, api-key) dropped.
std::string cassette_line(const Exchange& ex, const std::vector<std::string>& secrets);

// Wraps an ApiClient and records the final attempt of every request.
class RecordingClient final : public Client {
 public:
  RecordingClient(std::unique_ptr<ApiClient> inner, std::string path);
  Result<Turn> complete(const Request& req, const TextCallback& on_text) override;

 private:
  std::unique_ptr<ApiClient> inner_;
  CassetteWriter writer_;
};

struct CassetteEntry {
  json::Value request;
  std::string url;
  int status = 0;
  Headers headers;
  std::string response;
  std::string error;
};

// Reads a whole cassette; ErrorKind::Config when unreadable or a line is not an
// exchange (naming the line).
Result<std::vector<CassetteEntry>> load_cassette(const std::string& path);

// Serves a cassette's responses in order. Thread-safe.
class ReplayClient final : public Client {
 public:
  static Result<std::unique_ptr<ReplayClient>> open(const std::string& path);
  ReplayClient(std::string path, std::vector<CassetteEntry> entries)
      : path_(std::move(path)), entries_(std::move(entries)) {}

  // Checks `req` is well-formed, then answers with the next entry; past the
  // end, ErrorKind::ReplayExhausted.
  Result<Turn> complete(const Request& req, const TextCallback& on_text) override;
  size_t size() const { return entries_.size(); }
  size_t used() const;

 private:
  std::string path_;
  std::vector<CassetteEntry> entries_;
  mutable std::mutex mu_;
  size_t next_ = 0;
};

}  // namespace ds::llm
