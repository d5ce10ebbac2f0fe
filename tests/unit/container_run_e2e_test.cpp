// `diffsmith run --container IMAGE` end to end with the fake engine
// (tests/fake_engine/fake_engine.py; no container daemon is reachable here):
// the test command and run_command run in the container's work dir, which
// holds the model's edits when they run; the container is removed at the end.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::string kEngine = std::string(DIFFSMITH_SOURCE_DIR) + "/tests/fake_engine/fake_engine.py";

}  // namespace

TEST_CASE("run --container: tests and commands run in the container, on the run's current state") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir engine;
  // The image: the same repository at the same commit, as in a SWE-bench image's /testbed.
  fs::create_directories(engine.path + "/images/img_1");
  REQUIRE(run_process({"/bin/cp", "-a", repo.root(), engine.path + "/images/img_1/testbed"}).exit_code == 0);

  auto mock = start_mock(script({
      turn({tool_call("run_command", Value::object().set("command", "pwd; cat a.txt"))}),
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
  }));
  ProcOptions opts;
  opts.env["FAKE_ENGINE_DIR"] = engine.path;
  // Passes only in the container's copy, and only once the edit is there.
  const char* test_cmd = "pwd | grep -q /rootfs/testbed && grep -q fixed a.txt";
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd,
                           {"--container", "img:{version}", "--container-engine", kEngine}, opts);
  CHECK(r.exit_code == 2);  // {version} is empty for a single run
  CHECK(contains(r.err, "{version} is empty"));

  r = run_agent(repo, *mock, "fix a.txt", test_cmd, {"--container", "img:1", "--container-engine", kEngine},
                opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  std::string second = all_text(reqs[1]);
  CHECK(contains(second, "/rootfs/testbed\nhello\nbroken\n"));  // run_command ran in the container

  std::string calls = read_file(engine.path + "/calls.log");
  CHECK(contains(calls, "[\"run\", \"-d\", \"--name=ds-"));
  CHECK(contains(calls, "[\"exec\", \"-i\", \"-w\", \"/testbed\""));  // the edit reached the container
  CHECK(contains(calls, "git apply --whitespace=nowarn\"]"));
  CHECK(contains(calls, "[\"rm\", \"-f\", \"ds-"));
  std::error_code ec;
  CHECK(fs::is_empty(engine.path + "/containers", ec));  // removed at the end
}
