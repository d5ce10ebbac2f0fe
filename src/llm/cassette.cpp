// Cassette writing (RecordingClient) and reading (ReplayClient).
#include "llm/cassette.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "llm/errors.hpp"
#include "text/redact.hpp"

namespace ds::llm {
namespace {

bool secret_header(const std::string& name) {
  return name == "set-cookie" || name == "authorization" || name == "api-key" || name == "cookie" ||
         name == "proxy-authorization";
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

}  // namespace

std::string cassette_line(const Exchange& ex, const std::vector<std::string>& secrets) {
  json::Value headers = json::Value::object();
  for (const auto& [name, value] : ex.headers) {
    if (!secret_header(name)) headers.set(name, value);
  }
  json::Value line = json::Value::object();
  line.set("request", ex.request);
  line.set("url", redact_url(ex.url));
  line.set("status", ex.status);
  line.set("headers", std::move(headers));
  line.set("response", ex.response);
  line.set("latency_ms", static_cast<long long>(ex.latency.count()));
  if (ex.status == 0) line.set("error", ex.error);
  return text::redact_json(json::dump(line), secrets);
}

Status CassetteWriter::append(const Exchange& ex) const {
  std::string line = cassette_line(ex, secrets_) + "\n";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error("cannot open cassette " + path_ + " for appending: " + std::strerror(errno) +
                          "; check the --record path",
                      ErrorKind::Config);
  }
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return make_error("cannot write cassette " + path_ + ": " + why, ErrorKind::Config);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return Ok{};
}

RecordingClient::RecordingClient(std::unique_ptr<ApiClient> inner, std::string path)
    : inner_(std::move(inner)), writer_(std::move(path), inner_->options().secrets) {}

Result<Turn> RecordingClient::complete(const Request& req, const TextCallback& on_text) {
  Result<Turn> turn = inner_->complete(req, on_text);
  const std::optional<Exchange>& ex = inner_->last_exchange();
  // An interruption is the user's doing, not the server's: nothing to replay.
  if (ex && !ex->interrupted) {
    if (Status st = writer_.append(*ex); !st.ok()) return st.error();
  }
  return turn;
}

Result<std::vector<CassetteEntry>> load_cassette(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error("cannot read replay cassette " + path + ": " + std::strerror(errno) +
                          "; record one with --record FILE",
                      ErrorKind::Config);
  }
  std::vector<CassetteEntry> entries;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto v = json::parse(line);
    if (!v.ok() || !(*v)["response"].is_string() || !(*v)["status"].is_int()) {
      return make_error("replay cassette " + path + " line " + std::to_string(line_no) +
                            " is not a recorded exchange (" +
                            (v.ok() ? std::string("needs \"status\" and \"response\"") : v.error().message) +
                            "); re-record it with --record",
                        ErrorKind::Config);
    }
    CassetteEntry e;
    e.request = (*v)["request"];
    e.url = (*v)["url"].as_string();
    e.status = static_cast<int>((*v)["status"].as_int());
    for (const auto& [name, value] : (*v)["headers"].members()) e.headers[name] = value.as_string();
    e.response = (*v)["response"].as_string();
    e.error = (*v)["error"].as_string();
    entries.push_back(std::move(e));
  }
  return entries;
}

Result<std::unique_ptr<ReplayClient>> ReplayClient::open(const std::string& path) {
  auto entries = load_cassette(path);
  if (!entries.ok()) return entries.error();
  return std::make_unique<ReplayClient>(path, std::move(*entries));
}

size_t ReplayClient::used() const {
  std::lock_guard<std::mutex> lock(mu_);
  return next_;
}

Result<Turn> ReplayClient::complete(const Request& req, const TextCallback& on_text) {
  auto start = std::chrono::steady_clock::now();
  if (Status st = validate_request(req); !st.ok()) {
    return make_error("replay: " + st.error().message, st.error().kind);
  }
  size_t index = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (next_ >= entries_.size()) {
      return make_error("replay cassette " + path_ + " has " + std::to_string(entries_.size()) +
                            " responses; request " + std::to_string(entries_.size() + 1) +
                            " has none. Record a longer session with --record, or run without --replay",
                        ErrorKind::ReplayExhausted);
    }
    index = next_++;
  }
  const CassetteEntry& e = entries_[index];
  const std::string where = "replay cassette " + path_ + " entry " + std::to_string(index + 1);
  const WireApi wire = e.url.find("/responses") != std::string::npos ? WireApi::Responses : WireApi::Chat;
  Result<Turn> turn = Error{};
  if (e.status == 0) {
    turn = make_error("no response was recorded: " + e.error, ErrorKind::Network);
  } else if (!is_2xx(e.status)) {
    turn = http_status_error(e.status, e.response);
  } else if (e.request["stream"].as_bool(false) && !looks_like_json_body(e.response)) {
    turn = decode_stream(wire, e.response, on_text);
  } else {
    turn = parse_response_body(wire, e.response);
    if (turn.ok() && on_text && !turn->text.empty()) on_text(turn->text);
  }
  if (!turn.ok()) {
    Error err = describe_failure(turn.error(), e.url, e.status, e.headers, 1, std::chrono::milliseconds(0),
                                 "OPENAI_API_KEY", {});
    return make_error(where + ": " + err.message, err.kind);
  }
  turn->request_id = request_id_of(e.headers);
  turn->rate_limits = rate_limits_of(e.headers);
  turn->attempts = 1;
  turn->latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return turn;
}

}  // namespace ds::llm
