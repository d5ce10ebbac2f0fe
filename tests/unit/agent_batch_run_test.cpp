// `diffsmith batch` end to end against the scripted mock model, with real
// repositories and --workers 2: predictions are valid JSONL whose patches
// apply with `git apply` at base_commit and solve the task; the SWE-bench
// test_patch is applied during the run but left out of the prediction; a bad
// line is reported and skipped; resume skips done tasks; shards partition the
// task set exactly.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "agent/batch/output.hpp"
#include "agent/batch/shard.hpp"
#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using namespace ds::agent::batch_testing;

namespace {

const std::set<std::string> kAllIds = {"calc-add", "calc-mul", "calc-impossible", "acme__widgets-1"};

// The harness's first step, with the real git CLI: a fresh clone at
// base_commit, `git apply --check`, then `git apply`. Returns the checkout.
std::string apply_at_base(const BatchFixture& f, const std::string& id, const std::string& patch) {
  std::string dir = f.root + "/check-" + id;
  shell(f.root, "rm -rf '" + dir + "' && git clone -q '" + f.source.at(id) + "' '" + dir + "' && cd '" + dir +
                    "' && git checkout -q --detach " + f.base.at(id));
  write_file(dir + "/../" + id + ".patch", patch);
  if (!patch.empty()) {
    shell(dir, "git apply --check --verbose '../" + id + ".patch'");
    shell(dir, "git apply '../" + id + ".patch'");
  }
  return dir;
}

}  // namespace

TEST_CASE("batch: 4 tasks and a bad line on 2 workers give whole predictions that apply at base_commit") {
  BatchFixture f;
  auto mock = start_mock(BatchFixture::script());
  auto flags = f.flags(*mock);
  flags["report"] = f.root + "/report.html";
  std::string out, err;
  int rc = f.run(flags, &out, &err);
  CHECK(rc == 0);
  CHECK(has(err, "line 3"));
  CHECK(has(err, "not valid JSON"));
  CHECK(has(out, "solved 3/4"));

  auto preds = read_jsonl(f.out);
  REQUIRE(preds.size() == 4);
  CHECK(ids_of(preds) == kAllIds);
  std::map<std::string, std::string> patch;
  for (const auto& p : preds) {
    CHECK(p.members().size() == 3);
    CHECK(p["model_name_or_path"].as_string() == "diffsmith-gpt-4.1");
    REQUIRE(p["model_patch"].is_string());
    patch[p["instance_id"].as_string()] = p["model_patch"].as_string();
  }
  // Every patch applies at its base commit and solves its task there.
  std::string d = apply_at_base(f, "calc-add", patch["calc-add"]);
  shell(d, "test ! -e later.txt && grep -q 'return a + b' calc.py");
  d = apply_at_base(f, "calc-mul", patch["calc-mul"]);
  shell(d, "test -e later.txt && grep -q 'return a [*] b' calc.py && grep -q 'return a - b' calc.py");
  CHECK(patch["calc-impossible"].empty());
  // SWE-bench: only the model's change; the harness then applies test_patch and the tests pass.
  const std::string& swe = patch["acme__widgets-1"];
  CHECK(has(swe, "diff --git a/lib.txt b/lib.txt"));
  CHECK_FALSE(has(swe, "tests/README"));
  CHECK_FALSE(has(swe, "test_value.sh"));
  d = apply_at_base(f, "acme__widgets-1", swe);
  write_file(f.root + "/test.patch", f.test_patch);
  shell(d, "git apply ../test.patch && sh tests/test_value.sh && sh tests/test_ok.sh");

  // The meta side file: status, turns, cost, duration per task.
  auto meta = read_jsonl(meta_path_for(f.out));
  REQUIRE(meta.size() == 4);
  std::map<std::string, std::string> status;
  for (const auto& m : meta) {
    const json::Value& dm = m["diffsmith"];
    status[m["instance_id"].as_string()] = dm["status"].as_string();
    CHECK(dm["turns"].as_int() >= 1);
    CHECK(dm["cost_usd"].as_double() > 0);
    CHECK(dm["duration_s"].is_number());
    CHECK(dm["patch_applies"].as_bool());
    CHECK(dm["in_predictions"].as_bool());
  }
  CHECK(status == std::map<std::string, std::string>{{"calc-add", "solved"},
                                                     {"calc-mul", "solved"},
                                                     {"calc-impossible", "unsolved"},
                                                     {"acme__widgets-1", "solved"}});
  // Trajectories per task; checkouts removed.
  for (const auto& id : kAllIds) {
    auto traj = read_jsonl(f.work + "/trajs/" + id + ".jsonl");
    REQUIRE(traj.size() > 2);
    CHECK(traj.front()["event"]["type"].as_string() == "batch_task");
    CHECK(traj.back()["event"]["type"].as_string() == "run_finished");
  }
  CHECK(std::filesystem::is_empty(f.work + "/worktrees"));

  // The model saw the SWE-bench text with hints, and a test command naming the ids.
  auto requests = mock->requests();
  CHECK(requests.size() == 5);
  bool saw_delta = false;
  for (const auto& r : requests) {
    std::string body = json::dump(r["body"]);
    if (!has(body, "TASK-DELTA")) continue;
    saw_delta = true;
    CHECK(has(body, "## Hints"));
    CHECK(has(body, "'tests/test_value.sh' 'tests/test_ok.sh'"));
  }
  CHECK(saw_delta);
  CHECK(has(read_file(f.root + "/report.html"), "acme__widgets-1"));
}

TEST_CASE("batch: a re-run skips tasks already in --out, a removed line is redone, --redo runs all again") {
  BatchFixture f;
  {
    auto mock = start_mock(BatchFixture::script());
    REQUIRE(f.run(f.flags(*mock)) == 0);
  }
  std::string before = read_file(f.out);
  {
    auto empty = start_mock("[]");  // any request would fail
    std::string out, err;
    CHECK(f.run(f.flags(*empty), &out, &err) == 0);
    CHECK(empty->requests().empty());
    CHECK(read_file(f.out) == before);
    CHECK(has(err, "4 already in"));
    CHECK(has(out, "solved 3/4"));  // the summary covers earlier runs' tasks
  }
  // Drop calc-add's line: only it runs again.
  {
    std::string kept;
    for (const auto& p : read_jsonl(f.out))
      if (p["instance_id"].as_string() != "calc-add") kept += json::dump(p) + "\n";
    write_file(f.out, kept);
    auto mock = start_mock(BatchFixture::script());
    CHECK(f.run(f.flags(*mock)) == 0);
    auto requests = mock->requests();
    REQUIRE(requests.size() == 1);
    CHECK(has(json::dump(requests[0]["body"]), "TASK-ALPHA"));
    auto preds = read_jsonl(f.out);
    CHECK(preds.size() == 4);
    CHECK(ids_of(preds) == kAllIds);
  }
  {
    auto mock = start_mock(BatchFixture::script());
    auto flags = f.flags(*mock);
    flags["redo"] = "true";
    CHECK(f.run(flags) == 0);
    CHECK(mock->requests().size() == 5);
    auto preds = read_jsonl(f.out);
    CHECK(preds.size() == 4);  // replaced, not duplicated
    CHECK(ids_of(preds) == kAllIds);
  }
}

TEST_CASE("batch: --shard I/N runs disjoint slices that together cover every task") {
  BatchFixture f;
  for (int n : {2, 3}) {
    std::set<std::string> seen;
    for (int i = 0; i < n; ++i) {
      INFO("shard " << i << "/" << n);
      auto mock = start_mock(BatchFixture::script());
      auto flags = f.flags(*mock);
      flags["shard"] = std::to_string(i) + "/" + std::to_string(n);
      // The ids from {tests_file}, one per line, instead of {tests}.
      flags["test-cmd"] = "while IFS= read -r t; do sh \"$t\" || exit 1; done < {tests_file}";
      flags["out"] = f.root + "/shard-" + std::to_string(n) + "-" + std::to_string(i) + ".jsonl";
      REQUIRE(f.run(flags) == 0);
      auto ids = ids_of(read_jsonl(flags["out"]));
      std::set<std::string> expected;
      for (const auto& id : kAllIds)
        if (in_shard(id, Shard{i, n})) expected.insert(id);
      CHECK(ids == expected);
      for (const auto& id : ids) CHECK(seen.insert(id).second);  // in no earlier slice
      if (ids.count("acme__widgets-1")) {
        // Its first test run read the ids from the file and failed, so the model was asked.
        bool asked = false;
        for (const auto& r : mock->requests()) asked |= has(json::dump(r["body"]), "TASK-DELTA");
        CHECK(asked);
      }
    }
    CHECK(seen == kAllIds);
  }
}

TEST_CASE("batch: usage errors exit 2 and say what to do") {
  BatchFixture f;
  auto mock = start_mock("[]");
  auto flags = f.flags(*mock);
  std::string err;
  flags.erase("out");
  CHECK(f.run(flags, nullptr, &err) == 2);
  CHECK(has(err, "--out"));
  flags = f.flags(*mock);
  flags["shard"] = "3/3";
  CHECK(f.run(flags, nullptr, &err) == 2);
  CHECK(has(err, "between 0 and N-1"));
  flags = f.flags(*mock);
  flags["out"] = f.root + "/preds.json";
  CHECK(f.run(flags, nullptr, &err) == 2);
  CHECK(has(err, "JSONL"));
  CHECK(mock->requests().empty());
}

TEST_CASE("batch: --max-cost-total stops new tasks once spent, a re-run without it finishes the rest") {
  BatchFixture f;
  auto mock = start_mock(BatchFixture::script());
  auto flags = f.flags(*mock);
  flags["workers"] = "1";             // tasks in file order: calc-add first
  flags["max-cost-total"] = "0.001";  // one scripted turn costs $0.0028 at gpt-4.1 prices
  std::string out;
  CHECK(f.run(flags, &out) == 1);  // some tasks have no prediction line
  CHECK(ids_of(read_jsonl(f.out)) == std::set<std::string>{"calc-add"});
  CHECK(has(out, "3 task(s) not started: --max-cost-total"));
  CHECK(mock->requests().size() == 1);

  flags.erase("max-cost-total");
  flags["workers"] = "2";
  CHECK(f.run(flags) == 0);
  CHECK(ids_of(read_jsonl(f.out)) == kAllIds);
}

TEST_CASE("batch: a 429 seen by one worker pauses the other worker's next request too") {
  BatchFixture f;
  // Two tasks: ALPHA's first request gets a 429 asking for 2 s; BETA asks the
  // model only after a slow first test run, inside that pause.
  json::Value add = json::Value::object();
  add.set("id", "calc-add").set("repo", f.calc).set("base_commit", f.calc_base);
  add.set("task", "TASK-ALPHA: add() subtracts; make it add.")
      .set("test_cmd", "grep -q 'return a + b' calc.py && ! grep -q 'return a - b' calc.py");
  json::Value mul = json::Value::object();
  mul.set("id", "calc-mul").set("repo", f.calc).set("base_commit", f.calc_base);
  mul.set("task", "TASK-BETA: mul() adds; make it multiply.");
  mul.set("test_cmd", "sleep 0.4; grep -q 'return a [*] b' calc.py");
  write_file(f.tasks, json::dump(add) + "\n" + json::dump(mul) + "\n");
  auto script = json::parse(BatchFixture::script());
  REQUIRE(script.ok());
  json::Value limited = json::Value::object();
  limited.set("match", "TASK-ALPHA")
      .set("status", 429)
      .set("headers", json::Value::object().set("retry-after-ms", "2000"));
  limited.set("body", json::Value::object().set("error", json::Value::object()
                                                             .set("message", "Rate limit reached for gpt-4.1")
                                                             .set("type", "requests")
                                                             .set("code", "rate_limit_exceeded")));
  json::Value entries = json::Value::array();
  entries.push(limited);
  for (const auto& e : script->items()) entries.push(e);
  auto mock = start_mock(json::dump(entries));
  auto flags = f.flags(*mock);
  flags["max-retries"] = "2";
  std::string err;
  REQUIRE(f.run(flags, nullptr, &err) == 0);
  CHECK(has(err, "every worker waits"));
  double beta = -1;
  for (const auto& m : read_jsonl(meta_path_for(f.out)))
    if (m["instance_id"].as_string() == "calc-mul") beta = m["diffsmith"]["duration_s"].as_double();
  // On its own BETA takes about 0.9 s (two 0.4 s test runs); the shared pause
  // holds its request until about 2 s after ALPHA's 429.
  CHECK(beta >= 1.8);
  CHECK(mock->requests().size() == 3);
}
