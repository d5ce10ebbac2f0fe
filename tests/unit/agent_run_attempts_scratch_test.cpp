// Best of N's scratch trees through the binary: attempts run in slots under
// .git/diffsmith/scratch that are kept after the run (no per-attempt or
// per-cross-check tree left under attempts/<run>), one slot serves attempts
// that run one after the other and the cross-checks, and the next run resets
// the slot: what a previous use left in it is gone.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;
namespace fs = std::filesystem;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";

std::vector<Value> attempt(const std::string& repro_file, const std::string& assertion) {
  Value files = Value::array();
  files.push(repro_file);
  return {edit_turn(sr_block(repro_file, "", "from calc import add\n" + assertion + "\n")),
          turn({tool_call(
              "set_reproduction",
              Value::object().set("command", "python3 " + repro_file).set("files", std::move(files)))}),
          edit_turn(sr_block("calc.py", kCalc, "def add(a, b):\n    return a + b\n"))};
}

// The second attempt is asked for the other edit format (patch).
std::vector<Value> patch_attempt(const std::string& repro_file, const std::string& assertion) {
  auto patch = [](const std::string& text) {
    return turn({tool_call("apply_patch",
                           Value::object().set("input", "*** Begin Patch\n" + text + "*** End Patch\n"))});
  };
  Value files = Value::array();
  files.push(repro_file);
  return {patch("*** Add File: " + repro_file + "\n+from calc import add\n+" + assertion + "\n"),
          turn({tool_call(
              "set_reproduction",
              Value::object().set("command", "python3 " + repro_file).set("files", std::move(files)))}),
          patch("*** Update File: calc.py\n@@ def add(a, b):\n-    return a - b\n+    return a + b\n")};
}

std::vector<Value> two_attempts() {
  auto a = attempt("repro_one.py", "assert add(2, 3) == 5");
  auto b = patch_attempt("repro_two.py", "assert add(1, 1) == 2");
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE(
    "attempts e2e: scratch trees live in kept slots under .git/diffsmith/scratch and are reset next run") {
  TempRepo repo({{"calc.py", kCalc}});
  const std::string ds_dir = repo.root() + "/.git/diffsmith";
  {
    auto mock = start_mock(script(two_attempts()));
    ProcResult r =
        run_agent(repo, *mock, "add() is wrong", "true", {"--reproduce", "--attempts", "2", "--json"});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    auto events = json_lines(r.out);
    REQUIRE_FALSE(events.empty());
    const Value& fin = events.back();
    REQUIRE(fin["attempts"].items().size() == 2);
    CHECK(fin["attempts"].items()[0]["fails_reproduction_of"].items().empty());  // the cross-checks ran and
                                                                                 // passed
  }
  // One after the other: one slot served both attempts and the cross-checks; it stays.
  CHECK(fs::is_directory(ds_dir + "/scratch/1/.git"));
  CHECK(fs::is_regular_file(ds_dir + "/scratch/1.index"));
  CHECK_FALSE(fs::exists(ds_dir + "/scratch/2"));
  // Under attempts/<run>: the trajectories, no tree.
  int runs = 0;
  for (const auto& run : fs::directory_iterator(ds_dir + "/attempts")) {
    ++runs;
    for (const auto& f : fs::directory_iterator(run.path())) {
      INFO(f.path());
      CHECK(f.path().extension() == ".jsonl");
    }
  }
  CHECK(runs == 1);

  // What the last use left in the slot (and anything planted) is gone after the next run's reset: the
  // same run again from the same base (undo) solves the same way, each attempt's edit of calc.py
  // finding the base's text.
  ProcResult u = run_diffsmith({"undo"}, ProcOptions{repo.root()});
  REQUIRE(u.exit_code == 0);
  REQUIRE(repo.read("calc.py") == kCalc);
  std::ofstream(ds_dir + "/scratch/1/planted.txt") << "planted\n";
  std::ofstream(ds_dir + "/scratch/1/calc.py") << "garbage\n";
  auto mock = start_mock(script(two_attempts()));
  ProcResult r =
      run_agent(repo, *mock, "add() is wrong", "true", {"--reproduce", "--attempts", "2", "--json"});
  INFO("stderr: " << r.err << "\nout: " << r.out);
  REQUIRE(r.exit_code == 0);
  auto events = json_lines(r.out);
  REQUIRE_FALSE(events.empty());
  const Value& fin = events.back();
  REQUIRE(fin["attempts"].items().size() == 2);
  for (const auto& a : fin["attempts"].items()) {
    INFO("reason: " << a["reason"].as_string());
    CHECK(a["status"].as_string() == "solved");
    CHECK(a["reproduction"]["failed_on_base"].as_bool());
  }
  CHECK_FALSE(fs::exists(ds_dir + "/scratch/1/planted.txt"));
  CHECK_FALSE(fs::exists(ds_dir + "/scratch/2"));
  CHECK(contains(repo.read("calc.py"), "return a + b"));
}
