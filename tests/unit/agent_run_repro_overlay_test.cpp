// The reproduction's base check when the base tree is an overlay over the
// work tree (sandboxed runs where overlayfs mounts in a user namespace): the
// command sees exactly the base plus the reproduction's files (the base
// version of a file the model changed, a file the model deleted, not one it
// added, not an ignored file that was never in the base, no .git), and what
// it writes there never reaches the user's work tree. Through the binary,
// the scripted mock and real bwrap, as root and as nobody.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "exec/process.hpp"
#include "exec/sandbox.hpp"
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
// Reports what it sees, writes over files when it runs on a scratch tree
// (under .git/diffsmith), then checks the bug.
const char* kRepro =
    "import os\n"
    "def seen(p):\n"
    "    return open(p).read().strip() if os.path.exists(p) else 'missing'\n"
    "mounted = any('diffsmith-tree' in l for l in open('/proc/self/mountinfo'))\n"
    "print('keep=' + seen('keep.txt'), 'gone=' + seen('gone.txt'), 'added=' + seen('added.txt'),\n"
    "      'cache=' + seen('cache.tmp'), 'notes=' + seen('notes.txt'), 'git=' + "
    "str(os.path.exists('.git')),\n"
    "      'overlay=' + str(mounted), sep='|')\n"
    "if '/.git/diffsmith/' in os.getcwd():\n"
    "    for p in ('keep.txt', 'notes.txt', 'cache.tmp', 'added.txt', 'new.txt'):\n"
    "        open(p, 'w').write('clobbered\\n')\n"
    "    open('calc.py', 'a').write('# clobbered\\n')\n"
    "    os.remove('gone.txt')\n"
    "from calc import add\n"
    "assert add(2, 3) == 5, add(2, 3)\n";

std::string patch() {
  std::string p =
      "*** Begin Patch\n*** Update File: keep.txt\n@@\n-base keep\n+model keep\n*** Delete File: gone.txt\n"
      "*** Add File: added.txt\n+added by the model\n*** Add File: repro_check.py\n";
  std::istringstream in(kRepro);
  for (std::string line; std::getline(in, line);) p += "+" + line + "\n";
  return p + "*** End Patch\n";
}

std::string fix_patch() {
  return "*** Begin Patch\n*** Update File: calc.py\n@@\n def add(a, b):\n-    return a - b\n+    return a + "
         "b\n"
         "*** End Patch\n";
}

bool overlay_here() {
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  char tmpl[] = "/tmp/ds-overlay-probe-XXXXXX";
  if (!::mkdtemp(tmpl)) return false;
  cfg.work_tree = tmpl;
  ds::exec::SandboxRunner sandbox(cfg, ds::exec::probe_sandbox(cfg, system), system);
  bool ok = sandbox.overlay_available();
  fs::remove_all(tmpl);
  return ok;
}

// One run as root or nobody: the base check must see exactly the base plus
// the reproduction, on the overlay (`overlay`) or on the tree written out.
void check_base_view(bool nobody, bool overlay, const std::vector<std::string>& extra) {
  INFO((nobody ? "as nobody" : "as root"));
  TempRepo repo({{"calc.py", kCalc},
                 {"test_calc.py", "from calc import add\n"},
                 {"keep.txt", "base keep\n"},
                 {"gone.txt", "base gone\n"},
                 {".gitignore", "*.tmp\n"}});
  repo.write("cache.tmp", "ignored, never in the base\n");
  repo.write("notes.txt", "untracked, in the base\n");
  if (nobody) give_to_nobody(repo.root());
  Value files = Value::array();
  files.push("repro_check.py");
  auto mock = start_mock(script({
      turn({tool_call("apply_patch", Value::object().set("input", patch()))}),
      turn({tool_call(
          "set_reproduction",
          Value::object().set("command", "python3 repro_check.py").set("files", std::move(files)))}),
      turn({tool_call("apply_patch", Value::object().set("input", fix_patch()))}),
  }));
  std::vector<std::string> argv =
      diffsmith_argv({"run", "add() is wrong", "-t", "python3 test_calc.py", "--base-url", mock->base_url(),
                      "--reproduce", "--no-commands", "--json", "--edit-format", "patch"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  ProcOptions opts;
  opts.cwd = repo.root();
  ProcResult r = run_process(nobody ? as_nobody(argv) : argv, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  std::string told = all_text(reqs[2]);
  INFO("told: " << told);
  CHECK(contains(told, "fails on the base tree (exit 1), as it must"));
  CHECK(contains(told, "AssertionError: -1"));
  CHECK(contains(told,
                 "keep=base keep|gone=base gone|added=missing|cache=missing|"
                 "notes=untracked, in the base|git=False|overlay=" +
                     std::string(overlay ? "True" : "False")));
  // The user's work tree: the model's changes, nothing the check wrote.
  CHECK(repo.read("keep.txt") == "model keep\n");
  CHECK(repo.read("calc.py") == kFix);
  CHECK(repo.read("added.txt") == "added by the model\n");
  CHECK(repo.read("cache.tmp") == "ignored, never in the base\n");
  CHECK(repo.read("notes.txt") == "untracked, in the base\n");
  CHECK_FALSE(repo.exists("gone.txt"));
  CHECK_FALSE(repo.exists("new.txt"));
  bool scratch_left = false;
  for (const auto& e : fs::directory_iterator(repo.path(".git/diffsmith")))
    scratch_left |= e.path().filename().string().rfind("scratch-", 0) == 0;
  CHECK_FALSE(scratch_left);
}

}  // namespace

TEST_CASE("reproduction on the base overlay: exactly the base plus its files, the work tree untouched") {
  if (!overlay_here()) {
    WARN("overlayfs in a user namespace (or bwrap) is not available here: the base tree is written out");
    return;
  }
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) {
      WARN("setpriv is missing or not root: the unprivileged half is not run");
      continue;
    }
    check_base_view(nobody, true, {});
  }
}

TEST_CASE(
    "reproduction outside the sandbox: the base tree written out shows the same, the work tree untouched") {
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) {
      WARN("setpriv is missing or not root: the unprivileged half is not run");
      continue;
    }
    check_base_view(nobody, false, {"--no-sandbox-tests"});
  }
}
