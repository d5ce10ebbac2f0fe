// The stdio transport and the JSON-RPC exchanges of one MCP server.
#include "mcp/client.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace ds::mcp {

namespace {

constexpr size_t kMaxLine = 16u << 20;  // one JSON-RPC message
constexpr size_t kMaxText = 100000;     // a result's text sent to the model
constexpr const char* kProtocol = "2025-06-18";

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

std::string seconds_text(int ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) s += "." + std::to_string(ms % 1000 / 100);
  return s + " s";
}

}  // namespace

bool tool_allowed(const ServerSpec& spec, const std::string& tool) {
  for (const auto& p : spec.deny)
    if (::fnmatch(p.c_str(), tool.c_str(), 0) == 0) return false;
  if (spec.allow.empty()) return true;
  for (const auto& p : spec.allow)
    if (::fnmatch(p.c_str(), tool.c_str(), 0) == 0) return true;
  return false;
}

CallResult result_text(const json::Value& result) {
  CallResult out;
  out.is_error = result["isError"].is_bool() && result["isError"].as_bool();
  for (const auto& block : result["content"].items()) {
    std::string type = block["type"].as_string();
    std::string piece;
    if (type == "text") {
      piece = block["text"].as_string();
    } else if (type == "image" || type == "audio") {
      piece = "[" + type + " (" + block["mimeType"].as_string_or("unknown type") + ") not shown]";
    } else if (type == "resource") {
      piece = "[resource " + block["resource"]["uri"].as_string() + " not shown]";
    } else if (type == "resource_link") {
      piece = "[resource link " + block["uri"].as_string() +
              (block["name"].is_string() ? " (" + block["name"].as_string() + ")" : "") + "]";
    } else {
      piece = "[" + (type.empty() ? std::string("unknown") : type) + " content not shown]";
    }
    if (!out.text.empty()) out.text += "\n";
    out.text += piece;
  }
  if (out.text.empty() && result.has("structuredContent")) out.text = json::dump(result["structuredContent"]);
  if (out.text.size() > kMaxText) {
    out.text.resize(kMaxText);
    out.text += "\n[… output cut at " + std::to_string(kMaxText) + " bytes]";
  }
  return out;
}

Server::~Server() { stop(); }

void Server::stop() {
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

Error Server::withdraw(std::string why) {
  bool first = failure_.empty();
  if (first) failure_ = why;
  stop();
  if (first && on_withdrawn) on_withdrawn(why);
  return make_error("MCP server '" + spec_.name + "' " + why);
}

Status Server::start(const std::string& cwd) {
  if (!spec_.url.empty()) {
    failure_ = "uses a url (streamable HTTP), which diffsmith does not support yet";
    return make_error("MCP server '" + spec_.name + "' " + failure_);
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return make_error("MCP server '" + spec_.name + "': socketpair: " + std::strerror(errno));
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
    return make_error("MCP server '" + spec_.name + "': fork: " + std::strerror(errno));
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

  auto deadline = Clock::now() + std::chrono::milliseconds(spec_.start_timeout_ms);
  json::Value params = json::Value::object();
  params.set("protocolVersion", kProtocol)
      .set("capabilities", json::Value::object())
      .set("clientInfo", json::Value::object().set("name", "diffsmith").set("version", "0"));
  auto init = request("initialize", std::move(params), ms_left(deadline), spec_.start_timeout_ms);
  if (!init.ok()) {
    if (alive()) return withdraw("did not start: " + init.error().message);
    return init.error();
  }
  const json::Value& info = (*init)["serverInfo"];
  server_info_ =
      info["name"].as_string() + (info["version"].is_string() ? " " + info["version"].as_string() : "");
  if (!send(json::Value::object().set("jsonrpc", "2.0").set("method", "notifications/initialized")))
    return withdraw("closed its input after initialize");
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    json::Value p = json::Value::object();
    if (!cursor.empty()) p.set("cursor", cursor);
    auto list = request("tools/list", std::move(p), ms_left(deadline), spec_.start_timeout_ms);
    if (!list.ok()) {
      if (alive()) return withdraw("did not list its tools: " + list.error().message);
      return list.error();
    }
    for (const auto& t : (*list)["tools"].items()) {
      ToolInfo ti;
      ti.name = t["name"].as_string();
      ti.description = t["description"].as_string();
      ti.input_schema =
          t["inputSchema"].is_object() ? t["inputSchema"] : json::Value::object().set("type", "object");
      if (!ti.name.empty()) tools_.push_back(std::move(ti));
    }
    cursor = (*list)["nextCursor"].as_string();
    if (cursor.empty()) break;
  }
  return Ok{};
}

bool Server::send(const json::Value& message) {
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

// Sends one request and waits for its answer, answering the server's own
// requests (ping; anything else "method not found") and skipping
// notifications meanwhile. Only a JSON-RPC error leaves the server alive.
Result<json::Value> Server::request(const std::string& method, json::Value params, int timeout_ms,
                                    int limit_ms) {
  if (!alive()) return make_error("MCP server '" + spec_.name + "' is not running: " + failure_);
  int64_t id = next_id_++;
  json::Value msg = json::Value::object();
  msg.set("jsonrpc", "2.0").set("id", id).set("method", method).set("params", std::move(params));
  if (!send(msg)) return withdraw("exited (its input is closed)");
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    size_t nl;
    while ((nl = buf_.find('\n')) == std::string::npos) {
      if (buf_.size() > kMaxLine) return withdraw("sent a line longer than 16 MB");
      int left = ms_left(deadline);
      if (left == 0) return withdraw("did not answer " + method + " within " + seconds_text(limit_ms));
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
        return withdraw("exited during " + method + how);
      }
      buf_.append(chunk, static_cast<size_t>(n));
    }
    std::string line = buf_.substr(0, nl);
    buf_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto v = json::parse(line);
    if (!v.ok() || !v->is_object() || (*v)["jsonrpc"].as_string() != "2.0") {
      std::string shown = line.size() > 80 ? line.substr(0, 80) + "…" : line;
      return withdraw("sent something that is not JSON-RPC 2.0: " + shown);
    }
    const json::Value& m = *v;
    if (m.has("method")) {
      if (m.has("id")) {  // a request of the server's: we offer no capabilities
        json::Value reply = json::Value::object();
        reply.set("jsonrpc", "2.0").set("id", m["id"]);
        if (m["method"].as_string() == "ping")
          reply.set("result", json::Value::object());
        else
          reply.set("error", json::Value::object().set("code", -32601).set("message", "method not found"));
        if (!send(reply)) return withdraw("exited (its input is closed)");
      }
      continue;  // notifications (progress, logging, list_changed) are ignored
    }
    if (!m["id"].is_int() || m["id"].as_int() != id) continue;  // a stale answer
    if (m.has("error")) {
      const json::Value& e = m["error"];
      return make_error("MCP server '" + spec_.name + "' answered " + method + " with error " +
                        std::to_string(e["code"].as_int()) + ": " + e["message"].as_string());
    }
    return m["result"];
  }
}

Result<CallResult> Server::call(const std::string& tool, const json::Value& arguments) {
  json::Value params = json::Value::object();
  params.set("name", tool).set("arguments", arguments);
  auto r = request("tools/call", std::move(params), spec_.call_timeout_ms, spec_.call_timeout_ms);
  if (!r.ok()) return r.error();
  return result_text(*r);
}

}  // namespace ds::mcp
