// Hardening: the API key through the real binary. It must not appear in the
// --json events, the trajectory, a --record cassette, stderr, error texts the
// server echoes it in (not only 401s), or a core dump; and key-like
// environment variables reach the test command only when --pass-env names
// them.
#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::map<std::string, std::string> kBroken = {{"calc.py", "def add(a, b):\n    return a - b\n"}};
const char* kTest = "grep -q 'a + b' calc.py";

Value fix_turn() { return edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n")); }

// A server error whose message echoes the key, as some proxies do.
Value echoing_error(int status, const std::string& key) {
  Value err = Value::object()
                  .set("message", "upstream rejected the request sent with " + key + " (try again later)")
                  .set("type", "server_error")
                  .set("code", Value());
  return Value::object()
      .set("status", status)
      .set("headers", Value::object().set("retry-after-ms", "10"))
      .set("body", Value::object().set("error", err));
}

std::vector<std::string> core_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("core", 0) == 0) out.push_back(e.path().string());
  return out;
}

// Whether this machine writes core files into the working directory at all
// (core_pattern may pipe them elsewhere): a shell that aborts in a temp dir.
bool cores_land_in_cwd() {
  TempDir probe;
  ProcOptions o;
  o.cwd = probe.path;
  Child c({"/bin/sh", "-c", "ulimit -c unlimited 2>/dev/null; exec sleep 30"}, o);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  c.signal(SIGABRT);
  c.wait();
  return !core_files(probe.path).empty();
}

}  // namespace

TEST_CASE("harden: the API key appears in no event, trajectory, cassette or echoed error") {
  const std::string key = "sk-harden-KEYKEY-0123456789abcdef";
  TempRepo repo(kBroken);
  TempDir scratch;
  // A 500 and a 502 whose messages carry the key are retried, then the fix.
  auto mock = start_mock(script({echoing_error(500, key), echoing_error(502, key), fix_turn()}), {key});
  ProcOptions opts;
  opts.env["OPENAI_API_KEY"] = key;
  std::string cassette = scratch.path + "/cassette.jsonl";
  ProcResult r = run_agent(repo, *mock, "fix add", kTest, {"--json", "--record", cassette}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  for (const auto& q : reqs) CHECK(q["auth_ok"].as_bool(false));  // the key was really sent

  auto events = json_lines(r.out);
  bool saw_retry_notice = false;
  for (const auto& e : events)
    if (e["type"].as_string() == "notice" && contains(e["message"].as_string(), "upstream rejected"))
      saw_retry_notice = true;
  CHECK(saw_retry_notice);  // the echoed message did reach the events, redacted
  CHECK_FALSE(contains(r.out, "KEYKEY"));
  CHECK_FALSE(contains(r.err, "KEYKEY"));
  std::string traj = repo.trajectories();
  REQUIRE_FALSE(traj.empty());
  CHECK_FALSE(contains(traj, "KEYKEY"));
  std::string tape = read_file(cassette);
  REQUIRE_FALSE(tape.empty());
  CHECK_FALSE(contains(tape, "KEYKEY"));
}

TEST_CASE("harden: an error that ends the run does not show the key it echoes") {
  const std::string key = "sk-harden-FATAL-99999999";
  TempRepo repo(kBroken);
  Value bad = echoing_error(400, key);
  auto mock = start_mock(script({bad}));
  ProcOptions opts;
  opts.env["OPENAI_API_KEY"] = key;
  ProcResult r = run_agent(repo, *mock, "fix add", kTest, {"--json"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 3);
  auto events = json_lines(r.out);
  REQUIRE_FALSE(events.empty());
  CHECK(contains(events.back()["reason"].as_string(), "upstream rejected"));
  CHECK_FALSE(contains(r.out, "FATAL-9999"));
  CHECK_FALSE(contains(r.err, "FATAL-9999"));
  CHECK_FALSE(contains(repo.trajectories(), "FATAL-9999"));
}

TEST_CASE("harden: key-like variables reach the test command only through --pass-env") {
  TempRepo repo(kBroken);
  auto mock = start_mock(script({fix_turn()}));
  ProcOptions opts;
  opts.env = {{"OPENAI_API_KEY", "sk-val-openai"},
              {"ANTHROPIC_API_KEY", "val-anthropic"},
              {"GITHUB_TOKEN", "val-github"},
              {"AWS_SECRET_ACCESS_KEY", "val-aws"},
              {"DB_PASSWORD", "val-db"},
              {"STRIPE_KEY", "val-stripe"},
              {"MY_SERVICE_API_KEY_V2", "val-service"},
              {"NPM_TOKEN", "val-npm"},
              {"HARMLESS_SETTING", "val-harmless"}};
  // In the work tree: the sandbox the tests run in has a private /tmp.
  std::string env_file = repo.path("env.txt");
  std::string test_cmd = std::string("env > env.txt; ") + kTest;
  ProcResult r = run_agent(repo, *mock, "fix add", test_cmd, {"--pass-env", "NPM_TOKEN"}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::string env = read_file(env_file);
  REQUIRE(contains(env, "PATH="));
  CHECK(contains(env, "HARMLESS_SETTING=val-harmless"));
  CHECK(contains(env, "NPM_TOKEN=val-npm"));  // named by --pass-env
  for (const char* secret :
       {"sk-val-openai", "val-anthropic", "val-github", "val-aws", "val-db", "val-stripe", "val-service"}) {
    INFO(secret);
    CHECK_FALSE(contains(env, secret));
  }
  // Nor did any of them reach the model through the test output.
  CHECK_FALSE(contains(mock->request_log(), "val-"));
}

TEST_CASE("harden: a diffsmith run that crashes leaves no core file holding the key") {
  if (!cores_land_in_cwd()) {
    WARN(
        "this machine writes no core files to the working directory (see /proc/sys/kernel/core_pattern); "
        "the core-dump check cannot run here");
    return;
  }

  const std::string key = "sk-harden-CORE-5555";
  TempRepo repo(kBroken);
  // The model stalls, so diffsmith is mid-request (key in its headers) when it dies.
  auto mock = start_mock(script({Value::object().set("text", "thinking").set("delay", 20)}));
  ProcOptions o;
  o.cwd = repo.root();
  o.env["OPENAI_API_KEY"] = key;
  std::string cmd = std::string("ulimit -c unlimited; exec '") + DIFFSMITH_BINARY +
                    "' run 'fix add' -t false --base-url " + mock->base_url();
  Child c({"/bin/sh", "-c", cmd}, o);
  for (int i = 0; i < 200 && mock->requests().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  REQUIRE(mock->requests().size() == 1);
  c.signal(SIGABRT);
  ProcResult r = c.wait();
  CHECK(r.exit_code == 128 + SIGABRT);
  auto cores = core_files(repo.root());
  CHECK(cores.empty());
  for (const auto& f : cores) CHECK_FALSE(contains(read_file(f), "CORE-5555"));
}

TEST_CASE("harden: the key and secret shapes in model text, tool arguments and test output are redacted") {
  const std::string key = "sk-harden-RAWKEY-0123456789abcdef";
  const std::string gh = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
  const std::string bearer = "Bearer eyJhbGciOiJIUzI1NiJ9.BEARERSECRET";
  const std::string url = "https://deploy:URLPASSWORD@git.example.com/repo.git";
  // The repository holds the key (a committed .env), the test prints it and
  // secret shapes; the model repeats the key and reads the file.
  TempRepo repo(
      {{"calc.py", "def add(a, b):\n    return a - b\n"}, {".env", "OPENAI_API_KEY=" + key + "\n"}});
  TempDir scratch;
  std::string test_cmd = std::string("cat .env; echo 'Authorization: ") + bearer + "'; echo " + gh +
                         "; echo " + url + "; " + kTest;
  Value reading = turn({tool_call("read_file", Value::object().set("path", ".env"))},
                       "The key in .env is " + key + "\nand the remote is " + url + "\n");
  Value fix = edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n"));
  std::string cassette = scratch.path + "/cassette.jsonl";
  for (bool json : {true, false}) {
    INFO("--json " << json);
    repo.git({"checkout", "-q", "--", "calc.py"});
    auto mock = start_mock(script({reading, fix}));
    ProcOptions opts;
    opts.env["OPENAI_API_KEY"] = key;
    std::vector<std::string> extra = {"--record", cassette};
    if (json) extra.push_back("--json");
    ProcResult r = run_agent(repo, *mock, "fix add", test_cmd, extra, opts);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    // The model did see the test output and the file (nothing is hidden from it).
    CHECK(contains(mock->request_log(), "URLPASSWORD"));
    std::string traj = repo.trajectories();
    REQUIRE_FALSE(traj.empty());
    std::string tape = read_file(cassette);
    for (const std::string* sink : {&r.out, &r.err, &traj, &tape}) {
      CHECK_FALSE(contains(*sink, "RAWKEY"));
      CHECK_FALSE(contains(*sink, "BEARERSECRET"));
      CHECK_FALSE(contains(*sink, gh));
      CHECK_FALSE(contains(*sink, "URLPASSWORD"));
    }
    CHECK(contains(traj, "[redacted]"));
    // What is redacted stays valid JSON line by line.
    for (const std::string* sink : {&traj, &tape}) CHECK(json_lines(*sink).size() > 0);
    if (json) {
      CHECK(json_lines(r.out).size() > 3);
    } else {
      CHECK(contains(r.err, "The key in .env is [redacted]"));
    }
  }
}

TEST_CASE("harden: doctor does not print credentials in the base URL") {
  auto mock = start_mock(R"([{"text": "ok"}])");
  std::string url = mock->base_url();
  std::string with_creds = "http://admin:DOCTORPW1234@" + url.substr(std::string("http://").size());
  ProcOptions opts;
  // --no-test: doctor would try the test command it detects here (this project's own ctest).
  ProcResult r = run_diffsmith({"doctor", "--no-test", "--base-url", with_creds}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(contains(r.out, "base-url"));
  CHECK_FALSE(contains(r.out, "DOCTORPW1234"));
  CHECK_FALSE(contains(r.err, "DOCTORPW1234"));
}

TEST_CASE("harden: a diffsmith batch that crashes leaves no core file holding the key") {
  if (!cores_land_in_cwd()) {
    WARN("this machine writes no core files to the working directory; the core-dump check cannot run here");
    return;
  }
  const std::string key = "sk-harden-BATCHCORE-6666";
  TempRepo repo(kBroken);
  TempDir work;
  std::string marker = work.path + "/test-started";
  write_file(work.path + "/tasks.jsonl",
             ds::json::dump(Value::object()
                                .set("id", "t1")
                                .set("repo", repo.root())
                                .set("task", "fix add")
                                .set("test_cmd", "touch '" + marker + "'; sleep 30")) +
                 "\n");
  auto mock = start_mock(script({fix_turn()}));
  ProcOptions o;
  o.cwd = work.path;
  o.env["OPENAI_API_KEY"] = key;
  std::string cmd = std::string("ulimit -c unlimited; exec '") + DIFFSMITH_BINARY +
                    "' batch tasks.jsonl --out preds.jsonl --no-sandbox-tests --base-url " + mock->base_url();
  Child c({"/bin/sh", "-c", cmd}, o);
  for (int i = 0; i < 400 && !fs::exists(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  REQUIRE(fs::exists(marker));  // mid-task: the key is in the process
  c.signal(SIGABRT);
  ProcResult r = c.wait();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 128 + SIGABRT);
  auto cores = core_files(work.path);
  CHECK(cores.empty());
  for (const auto& f : cores) CHECK_FALSE(contains(read_file(f), "BATCHCORE-6666"));
}
