// CurlTransport: a libcurl multi loop that polls every 50 ms so that the idle
// timeout and cancellation take effect promptly, plus URL helpers.
#include "llm/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include "llm/types.hpp"
#include "text/duration.hpp"
#include "text/lines.hpp"

namespace ds::llm {
namespace {

using Clock = std::chrono::steady_clock;

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// State shared with the curl callbacks during one post().
struct Transfer {
  const BodyCallback* on_body = nullptr;
  int status = 0;
  Headers headers;
  Clock::time_point last_activity;
  bool stopped_by_receiver = false;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t on_header(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->last_activity = Clock::now();
  std::string_view line(buf, size * n);
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);  // then trim takes the \r
  line = text::trim(line);
  if (line.substr(0, 5) == "HTTP/") {
    // A new response (after a 100 Continue, say): start over.
    t->headers.clear();
    size_t sp = line.find(' ');
    t->status = sp == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(sp + 1, 3)).c_str());
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->headers[lower(text::trim(line.substr(0, colon)))] = std::string(text::trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t on_write(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  t->last_activity = Clock::now();
  if (t->on_body && *t->on_body && !(*t->on_body)(t->status, std::string_view(buf, size * n))) {
    t->stopped_by_receiver = true;
    return 0;  // makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  return size * n;
}

}  // namespace

struct CurlTransport::Handles {
  std::unique_ptr<CURL, EasyDeleter> easy;
  std::unique_ptr<CURLM, MultiDeleter> multi;
};

CurlTransport::CurlTransport() : h_(std::make_unique<Handles>()) {
  global_init();
  h_->easy.reset(curl_easy_init());
  h_->multi.reset(curl_multi_init());
}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::post(const HttpRequest& req, const BodyCallback& on_body) {
  HttpResponse resp;
  if (!h_->easy || !h_->multi) {
    resp.error = make_error("could not initialise libcurl (out of memory?)", ErrorKind::Network);
    return resp;
  }
  CURL* easy = h_->easy.get();
  CURLM* multi = h_->multi.get();
  curl_easy_reset(easy);

  Transfer t;
  t.on_body = &on_body;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* raw_list = nullptr;
  raw_list = curl_slist_append(raw_list, "Content-Type: application/json");
  raw_list = curl_slist_append(raw_list, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : req.headers) {
    raw_list = curl_slist_append(raw_list, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, SlistDeleter> header_list(raw_list);

  curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "diffsmith");
  // A local server is never reached through an http(s)_proxy from the
  // environment; other hosts follow the environment (no_proxy included).
  if (is_loopback_url(req.url)) curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");

  curl_multi_add_handle(multi, easy);
  t.last_activity = Clock::now();
  bool sent = false, cancelled = false, idle = false, late = false;
  std::string multi_error;
  while (true) {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) {
      multi_error = curl_multi_strerror(mc);
      break;
    }
    if (running == 0) break;
    if (req.cancel && req.cancel->load()) {
      cancelled = true;
      break;
    }
    if (req.deadline && Clock::now() >= *req.deadline) {
      late = true;
      break;
    }
    if (!sent) {
      // The idle clock starts once the connection is up and the request is
      // going out; until then the connect timeout governs.
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      if (pretransfer > 0) {
        sent = true;
        t.last_activity = Clock::now();
      }
    } else if (req.idle_timeout.count() > 0 && Clock::now() - t.last_activity > req.idle_timeout) {
      idle = true;
      break;
    }
    curl_multi_poll(multi, nullptr, 0, 50, nullptr);
  }

  CURLcode rc = CURLE_OK;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg == CURLMSG_DONE) rc = msg->data.result;
  }
  curl_multi_remove_handle(multi, easy);

  resp.status = t.status;
  resp.headers = std::move(t.headers);
  if (cancelled) {
    resp.error = make_error("request cancelled (interrupted)", ErrorKind::Interrupted);
  } else if (late) {
    resp.error = make_error("request stopped: the run's time limit was reached", ErrorKind::Interrupted);
  } else if (idle) {
    resp.error = make_error("no data for " + text::seconds_text(req.idle_timeout) +
                                " (idle timeout; raise --idle-timeout if the model is slow to answer)",
                            ErrorKind::Network);
  } else if (!multi_error.empty()) {
    resp.error = make_error("libcurl multi error: " + multi_error, ErrorKind::Network);
  } else if (t.stopped_by_receiver) {
    resp.error = make_error("stopped by receiver");
  } else if (rc != CURLE_OK) {
    std::string msg = curl_easy_strerror(rc);
    if (errbuf[0] != '\0') msg += std::string(" (") + errbuf + ")";
    bool connect_timeout = rc == CURLE_OPERATION_TIMEDOUT && !sent;
    if (connect_timeout) {
      msg += "; connect timeout " + text::seconds_text(req.connect_timeout) + " (raise --connect-timeout)";
    }
    // No connection at all (as opposed to one that broke): the caller gives
    // these only a couple of quick retries.
    bool no_connection = connect_timeout || rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                         rc == CURLE_COULDNT_RESOLVE_PROXY;
    resp.error = make_error(msg, no_connection ? ErrorKind::Connect : ErrorKind::Network);
  }
  return resp;
}

std::string redact_url(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, start)) + "***@" + std::string(url.substr(start + at + 1));
}

bool is_loopback_url(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string host;
  if (!authority.empty() && authority[0] == '[') {
    host = lower(authority.substr(1, authority.find(']') - 1));
  } else {
    host = lower(authority.substr(0, authority.find(':')));
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace ds::llm
