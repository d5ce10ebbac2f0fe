// The streamable HTTP transport (MCP 2025-03-26 and 2025-06-18): every
// JSON-RPC message is a POST to the server's url; the answer is one JSON
// response or an event stream whose events carry JSON-RPC messages until the
// response with the request's id. The Mcp-Session-Id from initialize and the
// negotiated MCP-Protocol-Version go on every later request.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "mcp/transport.hpp"

namespace ds::mcp {

namespace {

constexpr size_t kMaxBody = 16u << 20;  // one answer, all of its events included

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool is_loopback(const std::string& url) {
  size_t scheme = url.find("://");
  std::string host = url.substr(scheme == std::string::npos ? 0 : scheme + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (size_t at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  if (!host.empty() && host[0] == '[')
    host = host.substr(1, host.find(']') - 1);
  else
    host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

class HttpTransport;

// One POST and what came back; the SSE parser runs as the body arrives.
struct Post {
  HttpTransport* self = nullptr;
  int64_t id = -1;  // the response we wait for; -1: a notification or a reply
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now();
  std::string content_type, session_id, body, event_data, error;
  bool sse = false, header_done = false;
  std::optional<json::Value> response;
};

class HttpTransport : public Transport {
 public:
  explicit HttpTransport(ServerSpec spec) : spec_(std::move(spec)) {}
  ~HttpTransport() override { close(); }

  Status open(const std::string&) override {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (spec_.url.rfind("http://", 0) != 0 && spec_.url.rfind("https://", 0) != 0)
      return make_error("url must start with http:// or https://, got '" + spec_.url + "'");
    if (!spec_.bearer_env.empty()) {
      const char* token = std::getenv(spec_.bearer_env.c_str());
      if (!token || !*token)
        return make_error("needs a token in $" + spec_.bearer_env + ", which is not set");
      bearer_ = token;
    }
    open_ = true;
    return Ok{};
  }

  Result<json::Value> exchange(const json::Value& request, int64_t id, const std::string& method,
                               int timeout_ms, int limit_ms) override {
    Post p;
    p.id = id;
    p.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    long status = 0;
    if (auto st = post(json::dump(request), p, timeout_ms, method, limit_ms, status); !st.ok())
      return st.error();
    if (p.sse && !p.response && p.error.empty()) {  // a last event without its blank line
      std::string rest = p.body + "\n\n";
      p.body.clear();
      on_body(rest.data(), 1, rest.size(), &p);
    }
    if (p.response) return *p.response;
    if (!p.error.empty()) return make_error(p.error);
    if (status == 202) return make_error("accepted " + method + " without answering it");
    if (!p.sse) {  // one JSON-RPC response (or a batch holding it)
      auto v = json::parse(p.body);
      if (!v.ok()) return make_error("sent something that is not JSON-RPC 2.0: " + shown(trim(p.body)));
      std::vector<json::Value> messages;
      if (v->is_array())
        for (const auto& m : v->items()) messages.push_back(m);
      else
        messages.push_back(*v);
      for (const auto& m : messages) {
        if (!m.is_object() || m["jsonrpc"].as_string() != "2.0")
          return make_error("sent something that is not JSON-RPC 2.0: " + shown(trim(p.body)));
        if (!m.has("method") && m["id"].is_int() && m["id"].as_int() == id) return m;
      }
      return make_error("answered " + method + " without its response");
    }
    return make_error("ended its event stream without answering " + method);
  }

  Status notify(const json::Value& message, int timeout_ms) override {
    Post p;
    long status = 0;
    std::string method = message["method"].as_string();
    return post(json::dump(message), p, timeout_ms, method, timeout_ms, status);
  }

  void initialized(const std::string& protocol_version) override { protocol_ = protocol_version; }

  void close() override {
    if (open_ && !session_.empty() && !broken_) {  // ends the session; the answer does not matter
      Easy easy(curl_easy_init());
      if (easy) {
        Slist headers = header_list(false);
        common_options(easy.get(), headers.get(), 1000);
        curl_easy_setopt(easy.get(), CURLOPT_CUSTOMREQUEST, "DELETE");
        curl_easy_setopt(easy.get(), CURLOPT_NOBODY, 1L);
        curl_easy_perform(easy.get());
      }
    }
    open_ = false;
  }

  // An event's data: a message of the server's, maybe our response.
  void on_message(Post& p, const std::string& data) {
    if (p.response || !p.error.empty() || trim(data).empty()) return;
    auto v = json::parse(data);
    if (!v.ok() || !v->is_object() || (*v)["jsonrpc"].as_string() != "2.0") {
      p.error = "sent something that is not JSON-RPC 2.0: " + shown(trim(data));
      return;
    }
    const json::Value& m = *v;
    if (m.has("method")) {
      if (m.has("id")) {  // answered at once, on a POST of its own
        Post reply;
        long status = 0;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(p.deadline -
                                                                          std::chrono::steady_clock::now());
        int ms = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(2000, left.count())));
        (void)post(json::dump(answer_server_request(m)), reply, ms, "a reply", ms, status);
      }
      return;
    }
    if (m["id"].is_int() && m["id"].as_int() == p.id) p.response = m;
  }

 private:
  Slist header_list(bool with_body) const {
    curl_slist* l = nullptr;
    if (with_body) {
      l = curl_slist_append(l, "Content-Type: application/json");
      l = curl_slist_append(l, "Accept: application/json, text/event-stream");
    }
    if (!session_.empty()) l = curl_slist_append(l, ("Mcp-Session-Id: " + session_).c_str());
    if (!protocol_.empty()) l = curl_slist_append(l, ("MCP-Protocol-Version: " + protocol_).c_str());
    if (!bearer_.empty()) l = curl_slist_append(l, ("Authorization: Bearer " + bearer_).c_str());
    return Slist(l);
  }

  void common_options(CURL* easy, curl_slist* headers, int timeout_ms) const {
    curl_easy_setopt(easy, CURLOPT_URL, spec_.url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms > 0 ? timeout_ms : 1));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "diffsmith");
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    if (is_loopback(spec_.url)) curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
  }

  static size_t on_header(char* buf, size_t size, size_t n, void* user) {
    auto* p = static_cast<Post*>(user);
    std::string line(buf, size * n);
    size_t colon = line.find(':');
    if (line.rfind("HTTP/", 0) == 0) p->content_type.clear(), p->session_id.clear();
    if (colon != std::string::npos) {
      std::string key = lower(trim(line.substr(0, colon))), value = trim(line.substr(colon + 1));
      if (key == "content-type") p->content_type = lower(value);
      if (key == "mcp-session-id") p->session_id = value;
    }
    return size * n;
  }

  static size_t on_body(char* buf, size_t size, size_t n, void* user) {
    auto* p = static_cast<Post*>(user);
    if (!p->header_done) {
      p->header_done = true;
      p->sse = p->content_type.rfind("text/event-stream", 0) == 0;
    }
    if (p->body.size() + size * n > kMaxBody) {
      p->error = "sent an answer longer than 16 MB";
      return 0;
    }
    p->body.append(buf, size * n);
    if (!p->sse) return size * n;
    size_t nl;  // whole lines: "data: ..." accumulates, a blank line ends the event
    while ((nl = p->body.find('\n')) != std::string::npos) {
      std::string line = p->body.substr(0, nl);
      p->body.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        p->self->on_message(*p, p->event_data);
        p->event_data.clear();
      } else if (line.rfind("data:", 0) == 0) {
        std::string d = line.substr(5);
        if (!d.empty() && d[0] == ' ') d.erase(0, 1);
        if (!p->event_data.empty()) p->event_data += "\n";
        p->event_data += d;
      }
      if (p->response || !p->error.empty()) return 0;  // done: stop reading the stream
    }
    return size * n;
  }

  // POSTs one message. An Error: the transfer failed (time-out, refused,
  // an HTTP error status); what came back is in `p` and `status`.
  Status post(const std::string& body, Post& p, int timeout_ms, const std::string& method, int limit_ms,
              long& status) {
    p.self = this;
    Easy easy(curl_easy_init());
    if (!easy) return make_error("curl_easy_init failed");
    Slist headers = header_list(true);
    char errbuf[CURL_ERROR_SIZE] = "";
    common_options(easy.get(), headers.get(), timeout_ms);
    curl_easy_setopt(easy.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(easy.get(), CURLOPT_HEADERFUNCTION, &HttpTransport::on_header);
    curl_easy_setopt(easy.get(), CURLOPT_HEADERDATA, &p);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &HttpTransport::on_body);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &p);
    curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(easy.get());
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_WRITE_ERROR && (p.response || !p.error.empty())) rc = CURLE_OK;  // we stopped reading
    if (rc != CURLE_OK) {
      broken_ = true;
      if (rc == CURLE_OPERATION_TIMEDOUT)
        return make_error("did not answer " + method + " within " + seconds_text(limit_ms));
      std::string why = *errbuf ? errbuf : curl_easy_strerror(rc);
      return make_error("could not be reached at " + spec_.url + " (" + why + ")");
    }
    if (status < 200 || status > 299) {
      broken_ = true;
      std::string text = trim(p.body);
      return make_error("answered " + method + " with HTTP " + std::to_string(status) +
                        (text.empty() ? "" : ": " + shown(text)));
    }
    if (!p.error.empty()) broken_ = true;
    if (session_.empty() && !p.session_id.empty()) session_ = p.session_id;
    return Ok{};
  }

  ServerSpec spec_;
  std::string bearer_, session_, protocol_;
  bool open_ = false, broken_ = false;
};

}  // namespace

std::unique_ptr<Transport> make_http_transport(const ServerSpec& spec) {
  return std::make_unique<HttpTransport>(spec);
}

}  // namespace ds::mcp
