// The stdio transport: one child process, JSON-RPC 2.0 as one JSON object per
// line on its stdin and stdout (a socket pair), killed with its process group.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "mcp/transport.hpp"

extern char** environ;

namespace ds::mcp {

namespace {

constexpr size_t kMaxLine = 16u << 20;  // one JSON-RPC message

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

class StdioTransport : public Transport {
 public:
  explicit StdioTransport(ServerSpec spec) : spec_(std::move(spec)) {}
  ~StdioTransport() override { close(); }

  Status open(const std::string& cwd) override;
  Result<json::Value> exchange(const json::Value& request, int64_t id, const std::string& method,
                               int timeout_ms, int limit_ms) override;
  Status notify(const json::Value& message, int) override {
    if (!send(message)) return make_error("closed its input");
    return Ok{};
  }
  void close() override;

 private:
  bool send(const json::Value& message);

  ServerSpec spec_;
  pid_t pid_ = -1;
  int fd_ = -1;  // our end of the socket pair that is the child's stdin and stdout
  std::string buf_;
};

void StdioTransport::close() {
  if (fd_ >= 0) ::close(fd_), fd_ = -1;
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
}

Status StdioTransport::open(const std::string& cwd) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return make_error(std::string("socketpair: ") + std::strerror(errno));
  std::vector<std::string> argv_s;
  if (spec_.shell) {
    argv_s = {"/bin/sh", "-c", spec_.command};
  } else {
    argv_s.push_back(spec_.command);
    argv_s.insert(argv_s.end(), spec_.args.begin(), spec_.args.end());
  }
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e, k = kv.substr(0, kv.find('='));
    bool replaced = false;
    for (const auto& [n, v] : spec_.env) replaced = replaced || n == k;
    if (!replaced) env_s.push_back(kv);
  }
  for (const auto& [n, v] : spec_.env) env_s.push_back(n + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(sv[0]), ::close(sv[1]);
    return make_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(sv[1], 0);
    ::dup2(sv[1], 1);
    if (null >= 0) ::dup2(null, 2);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execvpe(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  fd_ = sv[0];
  pid_ = pid;
  return Ok{};
}

bool StdioTransport::send(const json::Value& message) {
  std::string line = json::dump(message) + "\n";
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::send(fd_, line.data() + off, line.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

Result<json::Value> StdioTransport::exchange(const json::Value& request, int64_t id,
                                             const std::string& method, int timeout_ms, int limit_ms) {
  if (fd_ < 0 || !send(request)) return make_error("exited (its input is closed)");
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    size_t nl;
    while ((nl = buf_.find('\n')) == std::string::npos) {
      if (buf_.size() > kMaxLine) return make_error("sent a line longer than 16 MB");
      int left = ms_left(deadline);
      if (left == 0) return make_error("did not answer " + method + " within " + seconds_text(limit_ms));
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, left);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) continue;
      char chunk[65536];
      ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        int status = 0;
        pid_t w = 0;  // the exit status, if it comes within half a second of EOF
        for (int i = 0; i < 50 && (w = ::waitpid(pid_, &status, WNOHANG)) == 0; ++i) ::usleep(10000);
        std::string how =
            w == pid_ && WIFEXITED(status)     ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")"
            : w == pid_ && WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ")"
                                               : "";
        if (w == pid_) pid_ = -1;
        return make_error("exited during " + method + how);
      }
      buf_.append(chunk, static_cast<size_t>(n));
    }
    std::string line = buf_.substr(0, nl);
    buf_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto v = json::parse(line);
    if (!v.ok() || !v->is_object() || (*v)["jsonrpc"].as_string() != "2.0")
      return make_error("sent something that is not JSON-RPC 2.0: " + shown(line));
    const json::Value& m = *v;
    if (m.has("method")) {
      if (m.has("id") && !send(answer_server_request(m))) return make_error("exited (its input is closed)");
      continue;  // notifications (progress, logging, list_changed) are ignored
    }
    if (!m["id"].is_int() || m["id"].as_int() != id) continue;  // a stale answer
    return m;
  }
}

}  // namespace

std::unique_ptr<Transport> make_stdio_transport(const ServerSpec& spec) {
  return std::make_unique<StdioTransport>(spec);
}

}  // namespace ds::mcp
