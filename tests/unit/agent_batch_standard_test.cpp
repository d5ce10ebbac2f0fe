// Standard mode of `diffsmith batch` through the real binary, against the
// scripted mock on loopback, with real repositories: a SWE-bench instance
// whose hints_text, test_patch, FAIL_TO_PASS and PASS_TO_PASS carry marker
// strings. By default none of them reaches a request, the work tree, the
// test command or the trajectory; the placeholders that would carry them are
// refused (exit 2); a task is solved only when the model's own reproduction
// failed on the base and passes at the end (set_reproduction), else it ends
// unverified; --oracle-tests --hints bring the old behaviour back, labelled in
// the meta line, the trajectory and the report.
#include <catch2/catch.hpp>
#include <filesystem>
#include <vector>

#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using namespace ds::agent::batch_testing;

namespace {

const std::vector<std::string> kMarkers = {"HINT-MARKER-7731", "TESTPATCH-MARKER-4410", "F2P-MARKER-9931",
                                           "P2P-MARKER-5512"};

// The base has tests/README and tests/test_ok.sh; test_patch adds a test
// (its name and text carry a marker) and changes tests/README.
struct Instance {
  std::string root = make_temp_dir();
  std::string src, mirrors, base, test_patch, tasks, out, work;

  Instance() {
    src = root + "/gadgets-src";
    BatchFixture::git_init(src);
    write_file(src + "/lib.txt", "name=gadgets\nvalue=1\n");
    write_file(src + "/tests/README", "tests live here\n");
    write_file(src + "/tests/test_ok.sh", "grep -q name=gadgets lib.txt\n");
    write_file(src + "/AGENTS.md", "AGENTS-RULE-3318: keep lib.txt sorted\n");  // read from each checkout
    base = BatchFixture::commit(src, "gadgets");
    shell(src,
          "printf '# TESTPATCH-MARKER-4410\\ngrep -q value=2 lib.txt\\n' > "
          "tests/test_TESTPATCH-MARKER-4410.sh && "
          "printf 'tests live here\\nTESTPATCH-MARKER-4410\\n' > tests/README && git add -A && "
          "git diff --cached > ../test.patch && git reset -q --hard");
    test_patch = read_file(root + "/test.patch");
    REQUIRE(has(test_patch, "TESTPATCH-MARKER-4410"));
    mirrors = root + "/mirrors";
    shell(root, "mkdir -p mirrors && git clone -q --mirror gadgets-src mirrors/acme__gadgets.git");
    tasks = root + "/tasks.jsonl";
    write_file(tasks, json::dump(instance("acme__gadgets-1", "TASK-STD")) + "\n");
    out = root + "/out/preds.jsonl";
    work = root + "/work";
  }
  ~Instance() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  json::Value instance(const std::string& id, const std::string& marker) const {
    json::Value v = json::Value::object();
    v.set("instance_id", id).set("repo", "acme/gadgets").set("base_commit", base).set("version", "1.0");
    v.set("problem_statement", marker + ": the value in lib.txt should be 2, not 1.");
    v.set("hints_text", "HINT-MARKER-7731: look at the value line.");
    v.set("test_patch", test_patch);
    v.set("FAIL_TO_PASS", "[\"tests/test_TESTPATCH-MARKER-4410.sh::F2P-MARKER-9931\"]");
    v.set("PASS_TO_PASS", json::Value::array().push("tests/test_ok.sh::P2P-MARKER-5512"));
    return v;
  }

  // `diffsmith batch TASKS --out … <args>` as a user runs it; output is stdout and stderr.
  std::string batch(const ds::test::MockServer& mock, const std::vector<std::string>& args, int* code) const {
    std::string cmd = "XDG_CONFIG_HOME='" + root + "/xdg' '" + DIFFSMITH_BINARY + "' batch '" + tasks + "'";
    for (const std::string& a :
         std::vector<std::string>{"--out", out, "--work-dir", work, "--repos-dir", mirrors, "--base-url"})
      cmd += " " + exec::shell_quote(a);
    cmd += " " + exec::shell_quote(mock.base_url()) + " --max-turns 4 --max-retries 0";
    for (const auto& a : args) cmd += " " + exec::shell_quote(a);
    std::string output = shell(root, cmd, true, code);
    UNSCOPED_INFO("diffsmith batch:\n" << output);
    return output;
  }
};

// The model proves its fix: it writes repro.sh (which checks value=2), names it
// with set_reproduction (it must fail on the base), then fixes lib.txt.
json::Value create_reply(const std::string& match, const std::string& path, const std::string& content) {
  return text_reply(match, "A reproduction first.\n\n" + path + "\n```\n<<<<<<< SEARCH\n=======\n" + content +
                               "\n>>>>>>> REPLACE\n```\n");
}
json::Value repro_call(const std::string& match, const std::string& command, const std::string& file) {
  json::Value args =
      json::Value::object().set("command", command).set("files", json::Value::array().push(file));
  json::Value call = json::Value::object().set("name", "set_reproduction").set("arguments", args);
  return json::Value::object()
      .set("match", match)
      .set("tool_calls", json::Value::array().push(call))
      .set("usage", json::Value::object().set("prompt_tokens", 1000).set("completion_tokens", 20));
}
json::Value& push_proved_fix(json::Value& script, const std::string& match) {
  return script.push(create_reply(match, "repro.sh", "grep -q value=2 lib.txt"))
      .push(repro_call(match, "sh repro.sh", "repro.sh"))
      .push(edit_reply(match, "lib.txt", "value=1", "value=2"));
}

std::string leaked(const std::string& text) {
  for (const auto& m : kMarkers)
    if (has(text, m)) return m;
  return "";
}

json::Value meta_of(const std::string& out, const std::string& id) {
  for (const auto& m : read_jsonl(meta_path_for(out)))
    if (m["instance_id"].as_string() == id) return m["diffsmith"];
  FAIL("no meta line for " << id);
  return {};
}

// Counts the files under tests/ of a checkout: 2 at the base, 3 with test_patch.
size_t test_files_in(const std::string& checkout) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(checkout + "/tests")) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "batch standard mode: no hint, test_patch or test id reaches the model, the tree or the test command") {
  Instance f;
  json::Value script = json::Value::array();
  auto mock = start_mock(json::dump(push_proved_fix(script, "TASK-STD")));
  // The user's -t template, with the placeholders standard mode allows; it
  // fails if test_patch's file is in the tree. The repo map is on: a test
  // file in the tree would be listed in it.
  const std::string test =
      "test \"$(ls tests | wc -l)\" -eq 2 && grep -q value=2 lib.txt && test {repo} = acme/gadgets";
  int code = -1;
  std::string output =
      f.batch(*mock, {"-t", test, "--keep-worktrees", "--report", f.root + "/report.html"}, &code);
  CHECK(code == 0);
  CHECK(has(output, "solved 1/1"));
  CHECK(has(output, "standard mode: 1 task(s) carry test_patch"));
  CHECK_FALSE(has(output, "ORACLE"));

  auto requests = mock->requests();
  REQUIRE_FALSE(requests.empty());
  for (const auto& r : requests) {
    std::string body = json::dump(r["body"]);
    CHECK(has(body, "TASK-STD"));
    CHECK(leaked(body) == "");
    CHECK_FALSE(has(body, "## Hints"));
    const auto& messages = r["body"]["messages"].items();
    REQUIRE(messages.size() >= 2);
    CHECK(has(messages[0]["content"].as_string(), "Hidden tests will judge your change"));
    CHECK(has(messages[1]["content"].as_string(), "AGENTS-RULE-3318"));  // the checkout's AGENTS.md
  }
  CHECK(requests.size() == 3);  // reproduction, its check on the base, the fix
  // The work tree never had test_patch: the test command's check passed, and the kept checkout is the base's.
  std::string checkout = f.work + "/worktrees/acme__gadgets-1";
  CHECK(test_files_in(checkout) == 2);
  CHECK(read_file(checkout + "/tests/README") == "tests live here\n");
  CHECK(leaked(shell(checkout, "git status --porcelain --untracked-files=all; git diff HEAD")) == "");

  // The trajectory (every message, tool result and test run) holds none of it either.
  std::string traj_text = read_file(f.work + "/trajs/acme__gadgets-1.jsonl");
  CHECK(leaked(traj_text) == "");
  auto traj = read_jsonl(f.work + "/trajs/acme__gadgets-1.jsonl");
  const json::Value& first = traj.front()["event"];
  CHECK(first["type"].as_string() == "batch_task");
  CHECK(first["oracle_tests"].is_bool());
  CHECK_FALSE(first["oracle_tests"].as_bool());
  CHECK_FALSE(first["hints"].as_bool());
  CHECK(first["test_files"].items().empty());
  CHECK(
      first["test_cmd"].as_string() ==
      "test \"$(ls tests | wc -l)\" -eq 2 && grep -q value=2 lib.txt && test 'acme/gadgets' = acme/gadgets");

  json::Value meta = meta_of(f.out, "acme__gadgets-1");
  CHECK(meta["status"].as_string() == "solved");
  CHECK(meta["oracle_tests"].is_bool());
  CHECK_FALSE(meta["oracle_tests"].as_bool());
  CHECK_FALSE(meta["hints"].as_bool());
  auto preds = read_jsonl(f.out);
  REQUIRE(preds.size() == 1);
  CHECK(has(preds[0]["model_patch"].as_string(), "+value=2"));
  CHECK_FALSE(has(preds[0]["model_patch"].as_string(), "repro.sh"));  // the proof is not the change
  std::string report = read_file(f.root + "/report.html");
  CHECK(has(report, "standard mode: the model saw the problem statement"));
  CHECK_FALSE(has(report, "ORACLE"));
}

TEST_CASE("batch standard mode: each placeholder that carries the hidden tests is refused with exit 2") {
  Instance f;
  auto mock = start_mock("[]");
  for (const std::string p : {"{tests}", "{fail_to_pass}", "{test_files}", "{tests_file}"}) {
    for (const std::string flag : {"--test-cmd", "-t"}) {
      INFO(flag << " with " << p);
      int code = -1;
      std::string output = f.batch(*mock, {flag, "python -m pytest " + p}, &code);
      CHECK(code == 2);
      CHECK(has(output, "uses " + p + ", which carries"));
      CHECK(has(output, "--oracle-tests"));
      CHECK(has(output, "SWE-bench"));
    }
  }
  // A task's own test_cmd too, named by its line.
  json::Value own = f.instance("acme__gadgets-1", "TASK-STD");
  own.set("test_cmd", "sh run.sh {fail_to_pass}");
  write_file(f.tasks, json::dump(own) + "\n");
  int code = -1;
  std::string output = f.batch(*mock, {}, &code);
  CHECK(code == 2);
  CHECK(has(output, "line 1 (acme__gadgets-1): test_cmd uses {fail_to_pass}"));
  CHECK(mock->requests().empty());
  CHECK_FALSE(std::filesystem::exists(f.out));
}

TEST_CASE(
    "batch standard mode: the checkout's detected test command and a reproduction solve, no proof is "
    "unverified") {
  Instance f;
  // A second instance whose base has a Makefile with a test target.
  std::string made = f.root + "/made-src";
  BatchFixture::git_init(made);
  write_file(made + "/lib.txt", "name=made\nvalue=1\n");
  write_file(made + "/Makefile", "test:\n\tgrep -q value=2 lib.txt\n");
  std::string made_base = BatchFixture::commit(made, "made");
  shell(f.root, "git clone -q --mirror made-src mirrors/acme__made.git");
  json::Value detected = f.instance("acme__made-1", "TASK-MADE");
  detected.set("repo", "acme/made").set("base_commit", made_base).set("test_patch", "");
  write_file(f.tasks,
             json::dump(f.instance("acme__gadgets-1", "TASK-STD")) + "\n" + json::dump(detected) + "\n");
  json::Value script = json::Value::array()
                           .push(edit_reply("TASK-STD", "lib.txt", "value=1", "value=2"))
                           .push(text_reply("TASK-STD", "Done: the value is 2 now."))
                           .push(text_reply("TASK-STD", "It is done."))
                           .push(text_reply("TASK-STD", "Nothing more to do."));
  auto mock = start_mock(json::dump(push_proved_fix(script, "TASK-MADE")));
  int code = -1;
  std::string output = f.batch(*mock, {"--report", f.root + "/report.html"}, &code);
  CHECK(code == 0);  // both have a prediction line
  CHECK(has(output, "solved 1/2 · unverified 1"));

  json::Value untested = meta_of(f.out, "acme__gadgets-1");
  CHECK(untested["status"].as_string() == "unverified");
  CHECK(has(untested["reason"].as_string(), "unverified"));
  CHECK(untested["test_source"].as_string() == "none");
  CHECK(untested["in_predictions"].as_bool());
  json::Value made_meta = meta_of(f.out, "acme__made-1");
  CHECK(made_meta["status"].as_string() == "solved");
  CHECK(made_meta["test_source"].as_string() == "detected from Makefile");
  auto traj = read_jsonl(f.work + "/trajs/acme__made-1.jsonl");
  CHECK(traj.front()["event"]["test_cmd"].as_string() == "make test");
  for (const auto& r : mock->requests()) CHECK(leaked(json::dump(r["body"])) == "");
  std::string report = read_file(f.root + "/report.html");
  CHECK(has(report, "<td class=\"unverified\">unverified</td>"));
  CHECK(has(report, "solved <b>1</b> of 2"));
}

TEST_CASE(
    "batch --oracle-tests --hints: test_patch, the test ids and the hints come back, labelled everywhere") {
  Instance f;
  auto mock = start_mock(
      json::dump(json::Value::array().push(edit_reply("TASK-STD", "lib.txt", "value=1", "value=2"))));
  int code = -1;
  std::string output =
      f.batch(*mock,
              {"--oracle-tests", "--hints", "--test-cmd",
               "for t in {tests}; do sh \"${t%%::*}\" || exit 1; done", "--report", f.root + "/report.html"},
              &code);
  CHECK(code == 0);
  CHECK(has(output, "solved 1/1"));
  CHECK(has(output, "ORACLE RUN, not a SWE-bench score: 1 of 1 task(s) ran with --oracle-tests"));
  CHECK(has(output, "note: --oracle-tests (--oracle-tests): an oracle run"));

  auto requests = mock->requests();
  REQUIRE(requests.size() == 1);
  std::string body = json::dump(requests[0]["body"]);
  CHECK(has(body, "## Hints"));
  CHECK(has(body, "HINT-MARKER-7731"));
  CHECK(has(body, "F2P-MARKER-9931"));                // in the test command the model is shown
  CHECK_FALSE(has(body, "Hidden tests will judge"));  // the model sees the tests that judge it

  auto traj = read_jsonl(f.work + "/trajs/acme__gadgets-1.jsonl");
  const json::Value& first = traj.front()["event"];
  CHECK(first["type"].as_string() == "batch_task");
  CHECK(first["oracle_tests"].as_bool());
  CHECK(first["hints"].as_bool());
  CHECK(first["test_files"].items().size() == 2);
  json::Value meta = meta_of(f.out, "acme__gadgets-1");
  CHECK(meta["status"].as_string() == "solved");
  CHECK(meta["oracle_tests"].as_bool());
  CHECK(meta["hints"].as_bool());
  std::string report = read_file(f.root + "/report.html");
  CHECK(has(report, "<p id=\"mode\" class=\"oracle\"><b>ORACLE RUN, not a SWE-bench score"));
  CHECK(has(report, "1 of 1 with --hints"));
  // test_patch is still left out of the prediction.
  auto preds = read_jsonl(f.out);
  REQUIRE(preds.size() == 1);
  CHECK_FALSE(has(preds[0]["model_patch"].as_string(), "TESTPATCH-MARKER-4410"));
}

TEST_CASE("batch --report: each task's section has its task text, the model and its last test output") {
  Instance f;
  json::Value script = json::Value::array();
  auto mock = start_mock(json::dump(push_proved_fix(script, "TASK-STD")));
  int code = -1;
  std::string output = f.batch(*mock,
                               {"-t", "echo TEST-TAIL-MARKER-5521; grep -q value=2 lib.txt", "-m",
                                "gpt-4.1-mini", "--report", f.root + "/report.html"},
                               &code);
  INFO(output);
  CHECK(code == 0);
  std::string report = read_file(f.root + "/report.html");
  CHECK(has(report, "model <b>gpt-4.1-mini</b>"));
  CHECK(has(report, "<a href=\"#task-0\">details</a>"));
  CHECK(has(report, "id=\"task-0\""));
  CHECK(has(report, "TASK-STD: the value in lib.txt should be 2, not 1."));
  CHECK(has(report, "last test run: passed"));
  CHECK(has(report, "TEST-TAIL-MARKER-5521"));
  CHECK(has(report, "id=\"diff-0\""));
}
