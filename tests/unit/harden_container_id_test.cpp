// Hardening (issue 21, item 9): a task id is not an engine option. With
// `--container "{id}"`, a task whose id is `-v=/:/host` would have put
// `-v=/:/host` on the `docker run` line (docker mounts the host's root).
// Now an image name beginning with '-' is refused — the task's error in a
// batch, exit 2 for `run` — and `run` ends the engine's options with `--`
// before the image. Through the real binary, with the fake engine.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::string kEngine = std::string(DIFFSMITH_SOURCE_DIR) + "/tests/fake_engine/fake_engine.py";
const char* kTest = "grep -q 'a + b' calc.py";

std::string task_line(const std::string& id, const std::string& repo, const std::string& text) {
  return ds::json::dump(
             Value::object().set("id", id).set("repo", repo).set("task", text).set("test_cmd", kTest)) +
         "\n";
}

}  // namespace

TEST_CASE("harden container id: a task id beginning with '-' never reaches the engine as an option") {
  TempRepo repo({{"calc.py", "def add(a, b):\n    return a - b\n"}});
  TempDir work, engine;
  // The good task's image: the repository at its commit in /testbed.
  fs::create_directories(engine.path + "/images/good-1");
  REQUIRE(run_process({"/bin/cp", "-a", repo.root(), engine.path + "/images/good-1/testbed"}).exit_code == 0);
  std::string tasks = work.path + "/tasks.jsonl";
  write_file(tasks, task_line("-v=/:/host", repo.root(), "TASK-EVIL: fix add") +
                        task_line("good-1", repo.root(), "TASK-GOOD: fix add"));
  Value fix = edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n"));
  fix.set("match", "TASK-GOOD");
  auto mock = start_mock(script({fix}));

  ProcOptions opts;
  opts.env["FAKE_ENGINE_DIR"] = engine.path;
  opts.env["XDG_CONFIG_HOME"] = work.path + "/xdg";
  opts.timeout_s = 60;
  std::string out = work.path + "/preds.jsonl";
  ProcResult r = run_diffsmith({"batch", tasks, "--out", out, "--work-dir", work.path + "/w", "--container",
                                "{id}", "--container-engine", kEngine, "--base-url", mock->base_url(),
                                "--map-tokens", "0", "--max-turns", "2", "--max-retries", "0"},
                               opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  std::string calls = read_file(engine.path + "/calls.log");
  INFO("engine calls:\n" << calls);
  // The evil id reached no engine call; the good task ran in its container.
  CHECK_FALSE(contains(calls, "-v=/:/host"));
  CHECK(contains(calls, "\"--network=none\", \"--\", \"good-1\", \"sleep\", \"infinity\"]"));
  CHECK(contains(r.out + r.err, "the image name '-v=/:/host' begins with '-'"));
  std::string preds = read_file(out);
  CHECK(contains(preds, "\"instance_id\":\"good-1\""));
  CHECK(contains(preds, "+    return a + b"));
  CHECK(mock->requests().size() == 1);  // only the good task asked the model

  // `run` with such an image: a usage error before anything starts.
  ProcResult run = run_agent(repo, *mock, "fix add", kTest,
                             {"--container", "-v=/:/host", "--container-engine", kEngine}, opts);
  CHECK(run.exit_code == 2);
  CHECK(contains(run.err, "begins with '-'"));
  CHECK(mock->requests().size() == 1);
}
