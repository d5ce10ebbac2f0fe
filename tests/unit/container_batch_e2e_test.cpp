// `diffsmith batch --container` with the fake engine: a SWE-bench instance's
// tests run in a container of the image named by {id_docker}, which holds
// test_patch and the model's edit when they run; the prediction is the
// model's change only; no container is left afterwards.
#include <catch2/catch.hpp>
#include <filesystem>

#include "unit/agent_batch_fixture.hpp"

using namespace ds::agent;
using namespace ds::agent::batch_testing;

TEST_CASE("batch --container: a SWE-bench task's tests run in its instance's container") {
  BatchFixture f;
  // Only the SWE-bench instance, whose image is the repository at base_commit in /testbed.
  std::string swe_line;
  std::istringstream lines(read_file(f.tasks));
  for (std::string line; std::getline(lines, line);)
    if (has(line, "\"instance_id\"")) swe_line = line;
  REQUIRE_FALSE(swe_line.empty());
  f.tasks = f.root + "/swe.jsonl";
  write_file(f.tasks, swe_line + "\n");
  std::string engine_dir = f.root + "/engine";
  std::string image = engine_dir + "/images/swe_acme_1776_widgets-1";
  shell(f.root, "mkdir -p '" + image + "' && git clone -q widgets-src '" + image + "/testbed' && cd '" +
                    image + "/testbed' && git checkout -q " + f.widgets_base);
  ::setenv("FAKE_ENGINE_DIR", engine_dir.c_str(), 1);

  auto mock = start_mock(BatchFixture::script());
  auto flags = f.flags(*mock);
  flags["container"] = "swe:{id_docker}";
  flags["container-engine"] = std::string(DIFFSMITH_SOURCE_DIR) + "/tests/fake_engine/fake_engine.py";
  // Passes only inside the container, and only with test_patch and the fix there.
  flags["test-cmd"] = "pwd | grep -q /rootfs/testbed && for t in {tests}; do sh \"$t\" || exit 1; done";
  std::string out, err;
  int rc = f.run(flags, &out, &err);
  ::unsetenv("FAKE_ENGINE_DIR");
  CHECK(rc == 0);
  CHECK(has(out, "solved 1/1"));
  auto preds = read_jsonl(f.out);
  REQUIRE(preds.size() == 1);
  std::string patch = preds[0]["model_patch"].as_string();
  CHECK(has(patch, "+value=2"));
  CHECK_FALSE(has(patch, "test_value.sh"));  // test_patch went to the container, not into the prediction

  std::string calls = read_file(engine_dir + "/calls.log");
  CHECK(has(calls, "\"swe:acme_1776_widgets-1\", \"sleep\", \"infinity\""));
  CHECK(has(calls, "[\"rm\", \"-f\", \"ds-batch-"));
  std::error_code ec;
  CHECK(std::filesystem::is_empty(engine_dir + "/containers", ec));
}
