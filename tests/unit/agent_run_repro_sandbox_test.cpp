// The reproduction runs in the sandbox like the tests (the default), and its
// scratch copy of the base tree, which lies under the work tree's read-only
// .git, is writable there: a reproduction that writes a file in its folder
// fails on the base for its own reason (the bug), not for "Read-only file
// system". Through the binary and the scripted mock, as root and as nobody.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"
#include "support/unprivileged.hpp"

using namespace ds::test::e2e;
using ds::json::Value;
using ds::test::as_nobody;
using ds::test::can_run_as_nobody;
using ds::test::give_to_nobody;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";
const char* kFix = "def add(a, b):\n    return a + b\n";
// Writes its log beside itself, as many reproductions (and pytest's cache) do.
const char* kRepro =
    "import os\n"
    "open('repro.log', 'w').write('ran in ' + os.getcwd() + '\\n')\n"
    "os.makedirs('out', exist_ok=True)\n"
    "open('out/result.txt', 'w').write('x')\n"
    "from calc import add\n"
    "assert add(2, 3) == 5, add(2, 3)\n";

Value set_repro_turn(const std::string& command, const std::string& file) {
  Value files = Value::array();
  files.push(file);
  return turn({tool_call("set_reproduction",
                         Value::object().set("command", command).set("files", std::move(files)))});
}

}  // namespace

TEST_CASE(
    "reproduction in the sandbox: it can write in its scratch tree of the base, as root and as nobody") {
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) {
      WARN("setpriv is missing or not root: the unprivileged half is not run");
      continue;
    }
    INFO((nobody ? "as nobody" : "as root"));
    TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", "from calc import add\n"}});
    if (nobody) give_to_nobody(repo.root());
    auto mock = start_mock(script({
        edit_turn(sr_block("repro_add.py", "", kRepro)),
        set_repro_turn("python3 repro_add.py", "repro_add.py"),
        edit_turn(sr_block("calc.py", kCalc, kFix)),
    }));
    std::vector<std::string> argv =
        diffsmith_argv({"run", "add() is wrong", "-t", "python3 test_calc.py", "--base-url", mock->base_url(),
                        "--reproduce", "--no-commands", "--json"});
    ProcOptions opts;
    opts.cwd = repo.root();
    ProcResult r = run_process(nobody ? as_nobody(argv) : argv, opts);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(contains(r.err, "WITHOUT the sandbox"));
    auto reqs = mock->requests();
    REQUIRE(reqs.size() == 3);
    std::string told = all_text(reqs[2]);
    CHECK(contains(told, "fails on the base tree (exit 1), as it must"));
    CHECK(contains(told, "AssertionError: -1"));  // the bug, not the file system
    CHECK_FALSE(contains(told, "Read-only file system"));
    // It ran in the scratch tree, not in the work tree; the scratch tree is gone.
    bool failed_on_base = false;
    for (const auto& e : json_lines(r.out))
      if (e["type"].as_string() == "reproduction" && e["tree"].as_string() == "base")
        failed_on_base = e["passed"].is_bool() && !e["passed"].as_bool();
    CHECK(failed_on_base);
    bool scratch_left = false;
    for (const auto& e : fs::directory_iterator(repo.path(".git/diffsmith")))
      scratch_left |= e.path().filename().string().rfind("scratch-", 0) == 0;
    CHECK_FALSE(scratch_left);
  }
}
