// Test fixture for tests/unit/agent_batch_*_test.cpp: real repositories
// built with the git CLI in a temporary folder, a tasks file with generic
// tasks, a SWE-bench instance (served from a --repos-dir mirror), an
// unsolvable task and a bad line, and the mock model's script that routes
// replies by task ("match"), so any worker order gets the right replies.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "agent/batch/output.hpp"
#include "agent/cli/batch.hpp"
#include "json/value.hpp"
#include "support/git_repo.hpp"
#include "support/mock_server.hpp"

namespace ds::agent::batch_testing {

using git::testing::make_temp_dir;
using git::testing::read_file;
using git::testing::shell;
using git::testing::write_file;

inline bool has(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

// An SR edit reply for the mock: replace `search` by `replace` in `path`.
inline json::Value edit_reply(const std::string& match, const std::string& path, const std::string& search,
                              const std::string& replace) {
  std::string text = "I will fix it.\n\n" + path + "\n```\n<<<<<<< SEARCH\n" + search + "\n=======\n" +
                     replace + "\n>>>>>>> REPLACE\n```\n";
  return json::Value::object()
      .set("match", match)
      .set("text", text)
      .set("usage", json::Value::object().set("prompt_tokens", 1000).set("completion_tokens", 100));
}

inline json::Value text_reply(const std::string& match, const std::string& text) {
  return json::Value::object()
      .set("match", match)
      .set("text", text)
      .set("usage", json::Value::object().set("prompt_tokens", 1000).set("completion_tokens", 20));
}

struct BatchFixture {
  std::string root = make_temp_dir();
  std::string calc;         // generic tasks' repository (a local path)
  std::string calc_base;    // first commit: add() subtracts, mul() adds
  std::string widgets_src;  // the SWE-bench repository ...
  std::string repos_dir;    // ... mirrored as repos_dir/acme__widgets.git
  std::string widgets_base;
  std::string test_patch;
  std::string tasks;  // tasks.jsonl
  std::string out;    // preds.jsonl
  std::string work;   // --work-dir

  // id → where to clone from for checking predictions
  std::map<std::string, std::string> source;
  std::map<std::string, std::string> base;

  BatchFixture() {
    // XDG_CONFIG_HOME: a user's own config file must not leak into tests.
    ::setenv("XDG_CONFIG_HOME", (root + "/xdg").c_str(), 1);
    calc = root + "/calc";
    git_init(calc);
    write_file(calc + "/calc.py", "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a + b\n");
    calc_base = commit(calc, "calc with two bugs");
    write_file(calc + "/later.txt", "made after the base commit\n");
    commit(calc, "a later commit");

    widgets_src = root + "/widgets-src";
    git_init(widgets_src);
    write_file(widgets_src + "/lib.txt", "name=widgets\nvalue=1\n");
    write_file(widgets_src + "/tests/README", "tests live here\n");
    write_file(widgets_src + "/tests/test_ok.sh", "grep -q name=widgets lib.txt\n");
    widgets_base = commit(widgets_src, "widgets");
    repos_dir = root + "/mirrors";
    shell(root, "mkdir -p mirrors && git clone -q --mirror widgets-src mirrors/acme__widgets.git");
    // test_patch: a new failing test and a change to a file the model may also touch.
    shell(widgets_src,
          "printf 'grep -q value=2 lib.txt\\n' > tests/test_value.sh && printf 'tests live here\\nand value "
          "tests\\n' > "
          "tests/README && git add -A && git diff --cached > ../test.patch && git reset -q --hard");
    test_patch = read_file(root + "/test.patch");

    source = {
        {"calc-add", calc}, {"calc-mul", calc}, {"calc-impossible", calc}, {"acme__widgets-1", widgets_src}};
    base = {{"calc-add", calc_base},
            {"calc-mul", head(calc)},
            {"calc-impossible", calc_base},
            {"acme__widgets-1", widgets_base}};

    json::Value add = json::Value::object();
    add.set("id", "calc-add").set("repo", calc).set("base_commit", calc_base);
    add.set("task", "TASK-ALPHA: add() subtracts; make it add.");
    add.set("test_cmd",
            "test ! -e later.txt && grep -q 'return a + b' calc.py && ! grep -q 'return a - b' calc.py");
    json::Value mul = json::Value::object();
    mul.set("id", "calc-mul").set("repo", calc);  // no base_commit: the repository's HEAD
    mul.set("task", "TASK-BETA: mul() adds; make it multiply.");
    mul.set("test_cmd", "test -e later.txt && grep -q 'return a [*] b' calc.py");
    json::Value impossible = json::Value::object();
    impossible.set("id", "calc-impossible").set("repo", calc).set("base_commit", calc_base);
    impossible.set("task", "TASK-GAMMA: make the test pass.").set("test_cmd", "exit 1");
    json::Value swe = json::Value::object();
    swe.set("instance_id", "acme__widgets-1").set("repo", "acme/widgets").set("base_commit", widgets_base);
    swe.set("problem_statement", "TASK-DELTA: value should be 2, not 1.")
        .set("hints_text", "Look at lib.txt.");
    swe.set("test_patch", test_patch).set("version", "1.0");
    swe.set("FAIL_TO_PASS", "[\"tests/test_value.sh\"]");  // JSON-encoded string, as published
    swe.set("PASS_TO_PASS", json::Value::array().push("tests/test_ok.sh"));  // a real list
    tasks = root + "/tasks.jsonl";
    write_file(tasks, json::dump(add) + "\n" + json::dump(mul) + "\n{\"id\": \"broken\", \"repo\": \n" +
                          json::dump(impossible) + "\n\n" + json::dump(swe) + "\n");
    out = root + "/out/preds.jsonl";
    work = root + "/work";
  }
  ~BatchFixture() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  BatchFixture(const BatchFixture&) = delete;
  BatchFixture& operator=(const BatchFixture&) = delete;

  static void git_init(const std::string& dir) {
    shell(root_of(dir),
          "mkdir -p '" + dir + "' && cd '" + dir +
              "' && git init -q -b main && git config user.name T && git config user.email t@e.x");
  }
  static std::string root_of(const std::string& dir) {
    return std::filesystem::path(dir).parent_path().string();
  }
  static std::string commit(const std::string& dir, const std::string& msg) {
    shell(dir, "git add -A && git commit -q -m '" + msg + "'");
    return head(dir);
  }
  static std::string head(const std::string& dir) {
    std::string h = shell(dir, "git rev-parse HEAD");
    return h.substr(0, h.find('\n'));
  }

  // Replies for every task, routed by the marker in each task's text.
  static std::string script() {
    json::Value s = json::Value::array();
    s.push(edit_reply("TASK-ALPHA", "calc.py", "def add(a, b):\n    return a - b",
                      "def add(a, b):\n    return a + b"));
    s.push(edit_reply("TASK-BETA", "calc.py", "def mul(a, b):\n    return a + b",
                      "def mul(a, b):\n    return a * b"));
    s.push(text_reply("TASK-GAMMA", "I cannot see how to fix this."));
    s.push(text_reply("TASK-GAMMA", "Still no idea."));
    json::Value delta = edit_reply("TASK-DELTA", "lib.txt", "value=1", "value=2");
    // The model also edits a file that test_patch touches: it must not reach the prediction.
    std::string text = delta["text"].as_string() +
                       "\ntests/README\n```\n<<<<<<< SEARCH\ntests live here\n=======\nTESTS live "
                       "here\n>>>>>>> REPLACE\n```\n";
    delta.set("text", text);
    s.push(delta);
    return json::dump(s);
  }

  // Runs the command in-process with these flags (name → value).
  int run(const std::map<std::string, std::string>& flags, std::string* out_text = nullptr,
          std::string* err_text = nullptr) const {
    BatchCommandArgs a;
    a.tasks_file = tasks;
    for (const auto& [k, v] : flags) a.settings.flags[k] = SettingValue{v, "--" + k};
    std::ostringstream o, e;
    int rc = run_batch_command(a, o, e);
    if (out_text) *out_text = o.str();
    if (err_text) *err_text = e.str();
    UNSCOPED_INFO("batch stdout:\n" << o.str() << "\nbatch stderr:\n" << e.str());
    return rc;
  }

  // The oracle-style flags of the tests written before standard mode: the
  // SWE-bench task gets test_patch, its test ids ({tests}) and its hints.
  std::map<std::string, std::string> flags(const ds::test::MockServer& mock) const {
    return {{"out", out},
            {"oracle-tests", "true"},
            {"hints", "true"},
            {"work-dir", work},
            {"workers", "2"},
            {"base-url", mock.base_url()},
            {"repos-dir", repos_dir},
            {"max-turns", "2"},
            {"map-tokens", "0"},
            {"max-retries", "0"},
            {"test-cmd", "for t in {tests}; do sh \"$t\" || exit 1; done"}};
  }
};

// Every line of a JSONL file, parsed; fails the test on a line that is not JSON.
inline std::vector<json::Value> read_jsonl(const std::string& path) {
  std::vector<json::Value> out;
  std::string text = std::filesystem::exists(path) ? read_file(path) : "";
  if (!text.empty()) REQUIRE(text.back() == '\n');
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto v = json::parse(line);
    INFO("line: " << line);
    REQUIRE(v.ok());
    out.push_back(std::move(*v));
  }
  return out;
}

inline std::set<std::string> ids_of(const std::vector<json::Value>& lines) {
  std::set<std::string> out;
  for (const auto& l : lines) out.insert(l["instance_id"].as_string());
  return out;
}

inline std::unique_ptr<ds::test::MockServer> start_mock(const std::string& script) {
  auto m = ds::test::MockServer::start(script);
  if (!m.ok()) FAIL(m.error().message);
  return std::move(*m);
}

}  // namespace ds::agent::batch_testing
