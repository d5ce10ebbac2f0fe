// End-to-end MCP over streamable HTTP: `diffsmith run` against the scripted
// mock model, with the test suite's MCP server (tests/mcp/mcp_server.py
// --http) on a loopback port: its tools offered and called (answers as JSON
// and as an event stream, the session id and protocol version sent back, a
// ping of the server's answered, bearer tokens), and url servers that refuse
// connections, answer HTTP 500 or junk, never answer or hang in a call left
// out or withdrawn within their time limits while the run goes on.
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTask = "fix a.txt";
const char* kTest = "grep -q fixed a.txt";

std::string server_script() { return std::string(DIFFSMITH_SOURCE_DIR) + "/tests/mcp/mcp_server.py"; }

// mcp_server.py --http MODE on a free loopback port, stopped (its stdin
// closed, then killed) when destroyed.
class HttpMcp {
 public:
  HttpMcp(const std::string& mode, const std::string& log, const std::string& token = "") {
    std::vector<std::string> args = {"python3", server_script(), "--http", "--mode", mode};
    if (!log.empty()) args.insert(args.end(), {"--log", log});
    if (!token.empty()) args.insert(args.end(), {"--token", token});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int in[2], out[2];
    REQUIRE(pipe2(in, O_CLOEXEC) == 0);
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      dup2(in[0], 0);
      dup2(out[1], 1);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    std::string line;
    char buf[256];
    ssize_t n;
    while (line.find('\n') == std::string::npos && (n = read(out[0], buf, sizeof buf)) > 0)
      line.append(buf, static_cast<size_t>(n));
    close(out[0]);
    INFO("mcp_server.py --http printed: " << line);
    REQUIRE(line.rfind("PORT ", 0) == 0);
    url_ = "http://127.0.0.1:" + std::to_string(std::atoi(line.c_str() + 5)) + "/mcp";
  }
  ~HttpMcp() {
    close(stdin_);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) usleep(20000);
    if (kill(pid_, SIGKILL) == 0) waitpid(pid_, &status, 0);
  }
  HttpMcp(const HttpMcp&) = delete;
  HttpMcp& operator=(const HttpMcp&) = delete;
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::string url_;
};

// A loopback port bound by this process: refusing connections (`listening`
// false) or accepting them into the backlog and never answering.
class LocalPort {
 public:
  explicit LocalPort(bool listening) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    if (listening) REQUIRE(listen(fd_, 16) == 0);
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/mcp";
  }
  ~LocalPort() { close(fd_); }
  LocalPort(const LocalPort&) = delete;
  LocalPort& operator=(const LocalPort&) = delete;
  const std::string& url() const { return url_; }

 private:
  int fd_ = -1;
  std::string url_;
};

std::string url_config(const std::string& name, const std::string& url, const std::string& extra = "") {
  return "[mcp.servers." + name + "]\nurl = \"" + url + "\"\n" + extra;
}

Value call(const std::string& id, const std::string& name, Value args) {
  return tool_call(name, std::move(args)).set("id", id);
}

bool has_notice(const std::vector<Value>& events, const std::string& text) {
  for (const auto& e : events)
    if (e["type"].as_string() == "notice" && contains(e["message"].as_string(), text)) return true;
  return false;
}

bool offered(const Value& request, const std::string& name) {
  auto names = tool_names(request);
  return std::find(names.begin(), names.end(), name) != names.end();
}

ProcResult run_with_config(const TempRepo& repo, const MockServer& mock, const std::string& config,
                           std::vector<std::string> extra = {}, ProcOptions opts = {}) {
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", config);
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  extra.push_back("--json");
  extra.push_back("--no-sandbox-tests");
  return run_agent(repo, mock, kTask, kTest, extra, opts);
}

std::vector<Value> log_lines(const std::string& path) {
  std::vector<Value> out;
  for (const auto& l : json_lines(read_file(path))) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE(
    "mcp http e2e: a url server's tools are offered and answered, JSON and event stream, in one session") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir logs;
  std::string log = logs.path + "/mcp.jsonl";
  HttpMcp server("ok", log);
  auto mock = start_mock(script({turn({call("c1", "h__echo", Value::object().set("text", "hi")),
                                       call("c2", "h__add", Value::object().set("a", 2).set("b", 40))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, url_config("h", server.url(), "deny = [\"secret\"]\n"));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  // The server keeps each event stream open for 30 s after the response: the
  // client stops reading at its response.
  CHECK(r.seconds < 15);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offered(reqs[0], "h__echo"));
  CHECK(offered(reqs[0], "h__add"));
  CHECK(offered(reqs[0], "h__picture"));
  CHECK_FALSE(offered(reqs[0], "h__secret"));
  CHECK(tool_reply(reqs[1], "c1") == "echo: hi");
  CHECK(tool_reply(reqs[1], "c2") == "42");
  CHECK(offered(reqs[1], "h__echo"));  // still alive after the calls

  auto entries = log_lines(log);
  REQUIRE(entries.size() >= 5);
  CHECK(entries[0]["message"]["method"].as_string() == "initialize");
  CHECK(entries[0]["session"].is_null());
  CHECK(entries[0]["protocol"].is_null());
  std::string session;
  int calls = 0, pings = 0, deletes = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Value& e = entries[i];
    if (e.has("DELETE")) {
      ++deletes;
      continue;
    }
    CHECK(e["accept"].as_string() == "application/json, text/event-stream");
    if (i == 0) continue;
    if (session.empty()) session = e["session"].as_string();
    CHECK(e["session"].as_string() == session);  // the id initialize returned, on every later POST
    CHECK(e["protocol"].as_string() == "2025-06-18");
    calls += e["message"]["method"].as_string() == "tools/call";
    pings += e["message"]["id"].as_string() == "srv-1" && e["message"].has("result");
  }
  CHECK(contains(session, "sess-"));
  CHECK(entries[1]["message"]["method"].as_string() == "notifications/initialized");
  CHECK(calls == 2);
  CHECK(pings == 2);  // the server's ping inside each event stream was answered
  CHECK(deletes == 1);
}

TEST_CASE("mcp http e2e: --mcp NAME=URL, and bearer_env sends the token (a wrong one is refused)") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  HttpMcp good("ok", "", "s3cret");
  HttpMcp bad("ok", "", "other");
  auto mock = start_mock(script({turn({call("c1", "m__add", Value::object().set("a", 1).set("b", 2))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions opts;
  opts.env["MCP_TOKEN"] = "s3cret";
  ProcResult r = run_with_config(repo, *mock,
                                 "[mcp.servers.m]\nbearer_env = \"MCP_TOKEN\"\n" +
                                     url_config("b", bad.url(), "bearer_env = \"MCP_TOKEN\"\n") +
                                     url_config("u", good.url(), "bearer_env = \"UNSET_TOKEN_VAR\"\n"),
                                 {"--mcp", "m=" + good.url()}, opts);
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offered(reqs[0], "m__add"));
  CHECK(tool_reply(reqs[1], "c1") == "3");
  CHECK_FALSE(offered(reqs[0], "b__add"));
  CHECK_FALSE(offered(reqs[0], "u__add"));
  auto events = json_lines(r.out);
  CHECK(has_notice(events, "MCP server 'b' answered initialize with HTTP 401"));
  CHECK(has_notice(events, "MCP server 'u' needs a token in $UNSET_TOKEN_VAR, which is not set"));
}

TEST_CASE("mcp http e2e: url servers that refuse, answer HTTP 500 or junk, or never answer are left out") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  HttpMcp e500("http500", "");
  HttpMcp junk("junk", "");
  HttpMcp ok("ok", "");
  LocalPort refused(false), silent(true);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(
      repo, *mock,
      url_config("r", refused.url()) + url_config("e", e500.url()) + url_config("j", junk.url()) +
          url_config("s", silent.url(), "start_timeout = 1\n") + url_config("ok", ok.url()));
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.seconds < 10);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK(offered(reqs[0], "ok__echo"));
  for (const char* dead : {"r__echo", "e__echo", "j__echo", "s__echo"}) CHECK_FALSE(offered(reqs[0], dead));
  auto events = json_lines(r.out);
  CHECK(has_notice(events, "MCP server 'r' could not be reached at " + refused.url()));
  CHECK(has_notice(events, "MCP server 'e' answered initialize with HTTP 500: internal error"));
  CHECK(has_notice(events, "MCP server 'j' sent something that is not JSON-RPC 2.0: <html>this is not json"));
  CHECK(has_notice(events, "MCP server 's' did not answer initialize within 1 s"));
}

TEST_CASE("mcp http e2e: a url server that hangs in a call is cut at call_timeout and withdrawn") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  HttpMcp server("hang-call", "");
  auto mock = start_mock(script({turn({call("c1", "h__echo", Value::object().set("text", "hi"))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, url_config("h", server.url(), "call_timeout = 1\n"));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.seconds < 10);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offered(reqs[0], "h__echo"));
  CHECK_FALSE(offered(reqs[1], "h__echo"));
  std::string reply = tool_reply(reqs[1], "c1");
  CHECK(contains(reply, "did not answer tools/call within 1 s"));
  CHECK(contains(reply, "withdrawn"));
  CHECK(has_notice(json_lines(r.out), "MCP server 'h' did not answer tools/call within 1 s"));
}

TEST_CASE("mcp http e2e: doctor lists url servers and their tools, and names bad url settings") {
  HttpMcp server("ok", "");
  LocalPort refused(false);
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml",
             url_config("h", server.url(), "deny = [\"secret\"]\n") + url_config("r", refused.url()));
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  opts.cwd = xdg.path;
  ProcResult r = run_diffsmith({"doctor"}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(contains(r.out, "  h: " + server.url() +
                            " (test-mcp-http 2.0)\n    h__add\n    h__echo\n    h__picture\n    h__secret "
                            "(hidden by allow/deny)\n"));
  CHECK(contains(r.out, "  r: " + refused.url() + "\n    error: MCP server 'r' could not be reached"));

  write_file(xdg.path + "/diffsmith/config.toml", url_config("x", "ftp://example/mcp"));
  r = run_diffsmith({"doctor"}, opts);
  CHECK(contains(r.out,
                 "error: mcp.servers.x.url must be an http:// or https:// url, got 'ftp://example/mcp'"));
  write_file(xdg.path + "/diffsmith/config.toml", url_config("x", server.url(), "command = \"python3\"\n"));
  r = run_diffsmith({"doctor"}, opts);
  CHECK(contains(r.out, "error: MCP server 'x' has both a command and a url"));
}

TEST_CASE("mcp http e2e: a repository's .diffsmith.toml naming a url server is refused, never contacted") {
  TempDir logs;
  std::string log = logs.path + "/mcp.jsonl";
  HttpMcp server("ok", log);
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {".diffsmith.toml", url_config("evil", server.url())}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, "");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "ignoring 'mcp.servers.evil.url'"));
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK_FALSE(offered(reqs[0], "evil__echo"));
  CHECK(read_file(log).empty());
}
