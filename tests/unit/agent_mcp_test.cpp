// End-to-end MCP: `diffsmith run` against the scripted mock model, with the
// test suite's own MCP server (tests/mcp/mcp_server.py) over stdio: its
// tools offered (namespaced, sorted, allow/deny), called and answered; a
// server that crashes, hangs or sends junk withdrawn within its time limits;
// a repository's config naming a server refused.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTask = "fix a.txt";
const char* kTest = "grep -q fixed a.txt";

std::string server_script() { return std::string(DIFFSMITH_SOURCE_DIR) + "/tests/mcp/mcp_server.py"; }

// A user config naming the test server NAME in MODE, plus `extra` lines.
std::string server_config(const std::string& name, const std::string& mode, const std::string& extra = "") {
  return "[mcp.servers." + name + "]\ncommand = \"python3\"\nargs = [\"" + server_script() +
         "\", \"--mode\", \"" + mode + "\"]\n" + extra;
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
                           std::vector<std::string> extra = {}) {
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", config);
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  extra.push_back("--json");
  extra.push_back("--no-sandbox-tests");
  return run_agent(repo, mock, kTask, kTest, extra, opts);
}

}  // namespace

TEST_CASE("mcp e2e: a server's tools are offered as NAME__tool, sorted, denied ones left out, and answered") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir logs;
  std::string log = logs.path + "/mcp.jsonl";
  auto mock = start_mock(script({turn({call("c1", "t__echo", Value::object().set("text", "hi")),
                                       call("c2", "t__picture", Value::object())}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  std::string config = "[mcp.servers.t]\ncommand = \"python3\"\nargs = [\"" + server_script() +
                       "\", \"--log\", \"" + log + "\"]\ndeny = [\"sec*\"]\n";
  ProcResult r = run_with_config(repo, *mock, config);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  std::vector<std::string> names = tool_names(reqs[0]);
  std::vector<std::string> mcp;
  for (const auto& n : names)
    if (n.rfind("t__", 0) == 0) mcp.push_back(n);
  CHECK(mcp == std::vector<std::string>{"t__add", "t__echo", "t__picture"});
  CHECK(names.back() == "t__picture");  // after the built-in tools
  // Byte-stable: the same tool list in every request (the prompt cache).
  CHECK(ds::json::dump(reqs[0]["body"]["tools"]) == ds::json::dump(reqs[1]["body"]["tools"]));
  CHECK(tool_reply(reqs[1], "c1") == "echo: hi");
  std::string picture = tool_reply(reqs[1], "c2");
  CHECK(contains(picture, "[image (image/png) not shown]"));
  CHECK(contains(picture, "a caption"));
  CHECK_FALSE(contains(picture, "iVBOR"));
  // --json shows the call as a tool call; the server saw the handshake.
  bool seen = false;
  for (const auto& e : json_lines(r.out))
    seen = seen || (e["type"].as_string() == "tool_call" && e["name"].as_string() == "t__echo");
  CHECK(seen);
  std::string received = read_file(log);
  CHECK(contains(received, "\"method\": \"initialize\""));
  CHECK(contains(received, "\"method\": \"notifications/initialized\""));
  CHECK(contains(received, "\"name\": \"echo\""));
}

TEST_CASE("mcp e2e: --mcp NAME=CMD starts a server, allow lists only the named tools") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({turn({call("c1", "m__add", Value::object().set("a", 2).set("b", 40))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, "[mcp.servers.m]\nallow = [\"add\"]\n",
                                 {"--mcp", "m=python3 '" + server_script() + "'"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offered(reqs[0], "m__add"));
  CHECK_FALSE(offered(reqs[0], "m__echo"));
  CHECK(tool_reply(reqs[1], "c1") == "42");
}

TEST_CASE("mcp e2e: a server that crashes in a call is reported and its tools withdrawn") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({turn({call("c1", "t__echo", Value::object().set("text", "hi"))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, server_config("t", "crash-call"));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(offered(reqs[0], "t__echo"));
  CHECK_FALSE(offered(reqs[1], "t__echo"));
  std::string reply = tool_reply(reqs[1], "c1");
  CHECK(contains(reply, "exited during tools/call (exit 3)"));
  CHECK(contains(reply, "withdrawn"));
  CHECK(has_notice(json_lines(r.out), "MCP server 't' exited during tools/call"));
}

TEST_CASE("mcp e2e: a server that hangs in a call is killed at call_timeout and withdrawn") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({turn({call("c1", "t__echo", Value::object().set("text", "hi"))}),
                                 edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, server_config("t", "hang-call", "call_timeout = 1\n"));
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.seconds < 10);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(contains(tool_reply(reqs[1], "c1"), "did not answer tools/call within 1 s"));
  CHECK_FALSE(offered(reqs[1], "t__echo"));
  CHECK(has_notice(json_lines(r.out), "its tools are withdrawn"));
}

TEST_CASE(
    "mcp e2e: servers that hang at start-up or send junk are left out with a warning, the run goes on") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock,
                                 server_config("h", "hang-start", "start_timeout = 1\n") +
                                     server_config("j", "junk") + server_config("ok", "ok"));
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.seconds < 10);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK(offered(reqs[0], "ok__echo"));
  CHECK_FALSE(offered(reqs[0], "h__echo"));
  CHECK_FALSE(offered(reqs[0], "j__echo"));
  auto events = json_lines(r.out);
  CHECK(has_notice(events, "MCP server 'h' did not answer initialize within 1 s"));
  CHECK(has_notice(events, "MCP server 'j' sent something that is not JSON-RPC 2.0: this is not json"));
}

TEST_CASE("mcp e2e: a repository's .diffsmith.toml naming a server or a hook is refused") {
  TempDir marks;
  std::string mark = marks.path + "/ran";
  TempRepo repo(
      {{"a.txt", "hello\nbroken\n"},
       {".diffsmith.toml", server_config("evil", "ok") + "[hooks]\nrun_end = \"touch '" + mark + "'\"\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_config(repo, *mock, "");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.err, "ignoring 'mcp.servers.evil.command'"));
  CHECK(contains(r.err, "ignoring 'hooks.run_end'"));
  CHECK(contains(r.err, "may not name MCP servers or hooks"));
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK_FALSE(offered(reqs[0], "evil__echo"));
  CHECK_FALSE(fs::exists(mark));
}

TEST_CASE("mcp e2e: doctor lists each server and its tools, and the hooks") {
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", server_config("t", "ok", "deny = [\"secret\"]\n") +
                                                      server_config("j", "junk") +
                                                      "[hooks]\nafter_edit = \"black -q .\"\n");
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  opts.cwd = xdg.path;  // not a repository: doctor would try its test command
  ProcResult r = run_diffsmith({"doctor"}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(contains(r.out, "diffsmith doctor: MCP servers\n"));
  CHECK(contains(
      r.out,
      "(test-mcp 1.0)\n    t__add\n    t__echo\n    t__picture\n    t__secret (hidden by allow/deny)\n"));
  CHECK(contains(r.out, "error: MCP server 'j' sent something that is not JSON-RPC 2.0"));
  CHECK(contains(r.out, "diffsmith doctor: hooks\n  after_edit: black -q .\n"));
}
