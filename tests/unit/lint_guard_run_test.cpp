// The syntax guard on the path from plan to disk: apply_edit_text with a
// real repository (the broken file untouched, its blocks failed with the
// parser's error and numbered lines, other files still written), and the
// real binary against the mock model, as root and as nobody with the checks
// in the command sandbox: the model is told where, the edit counts as
// failed, --no-lint writes it; lint.EXT from the user's config is used, from
// a repository's .diffsmith.toml refused.
#include <catch2/catch.hpp>

#include "agent/config/lint_setup.hpp"
#include "exec/process.hpp"
#include "support/run_fixture.hpp"
#include "support/unprivileged.hpp"
#include "worktree/apply_edits.hpp"

using namespace ds::test::e2e;
using ds::test::as_nobody;
using ds::test::can_run_as_nobody;
using ds::test::give_to_nobody;

namespace {

const char* const kModule = "def f(x):\n    return x + 1\n";
const char* const kTest = "python3 -c 'import m; assert m.f(1) == 3'";

std::string broken_block() { return sr_block("m.py", "    return x + 1\n", "    return (x + 2\n"); }
std::string fixing_block() { return sr_block("m.py", "    return x + 1\n", "    return x + 2\n"); }

ds::git::Repository open(const TempRepo& repo) {
  auto r = ds::git::Repository::open(repo.root());
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("syntax guard in apply_edit_text: the broken file is not written, the others are") {
  TempRepo repo({{"m.py", kModule}, {"conf.json", "{\"a\": 1}\n"}, {"notes.txt", "x\n"}});
  auto r = open(repo);
  ds::exec::SystemRunner runner;
  TempDir scratch;
  ds::worktree::SyntaxGuard guard({{}, scratch.path, repo.root(), std::chrono::milliseconds(10000)}, runner);
  ds::worktree::EditApplyOptions opts;
  opts.partial = true;
  opts.guard = &guard;
  std::string text = broken_block() + sr_block("m.py", "def f(x):\n", "def f(x):  # adds\n") +
                     sr_block("notes.txt", "x\n", "y\n") +
                     sr_block("conf.json", "{\"a\": 1}\n", "{\"a\": }\n");
  auto res = ds::worktree::apply_edit_text(r, text, opts);
  INFO(ds::worktree::block_summary(res));
  REQUIRE(res.plan.results.size() == 4);
  CHECK_FALSE(res.plan.results[0].applied);
  CHECK_FALSE(res.plan.results[1].applied);  // same file: not written either
  CHECK(res.plan.results[2].applied);
  CHECK_FALSE(res.plan.results[3].applied);
  CHECK(res.written);
  CHECK(repo.read("m.py") == kModule);  // untouched
  CHECK(repo.read("conf.json") == "{\"a\": 1}\n");
  CHECK(repo.read("notes.txt") == "y\n");
  std::string fb = ds::worktree::feedback_for_model(res);
  INFO(fb);
  CHECK(contains(fb, "3 of 4 edit blocks failed"));
  CHECK(contains(fb, "m.py no longer parses (python3)"));
  CHECK(contains(fb, "     2\t    return (x + 2"));
  CHECK(contains(fb, "see block 1"));
  CHECK(contains(fb, "conf.json no longer parses (json)"));

  // A V4A move into a broken file: neither the move nor the source's deletion happens.
  opts.format = ds::edit::Format::Patch;
  auto moved =
      ds::worktree::apply_edit_text(r,
                                    "*** Begin Patch\n*** Update File: m.py\n*** Move to: n.py\n@@\n"
                                    " def f(x):\n-    return x + 1\n+    return (x + 2\n*** End Patch\n",
                                    opts);
  INFO(ds::worktree::block_summary(moved));
  CHECK(moved.plan.failed() == 1);
  CHECK_FALSE(moved.written);
  CHECK(repo.read("m.py") == kModule);
  CHECK_FALSE(repo.exists("n.py"));
  CHECK(contains(ds::worktree::feedback_for_model(moved), "n.py no longer parses"));
  opts.format = ds::edit::Format::Auto;

  // Without the guard the same edit is written.
  opts.guard = nullptr;
  auto plain = ds::worktree::apply_edit_text(r, broken_block(), opts);
  CHECK(plain.all_applied());
  CHECK(repo.read("m.py") == "def f(x):\n    return (x + 2\n");
}

TEST_CASE("syntax guard in a run: refused, told where, then fixed, as root and as nobody in the sandbox") {
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) {
      WARN("cannot run as nobody here");
      continue;
    }
    INFO((nobody ? "as nobody" : "as root"));
    TempRepo repo({{"m.py", kModule}});
    if (nobody) give_to_nobody(repo.root());
    auto mock = start_mock(script({edit_turn(broken_block()), edit_turn(fixing_block())}));
    std::vector<std::string> args = {
        "run", "make f(1) 3", "-t", kTest, "--base-url", mock->base_url(), "--no-commands", "--json"};
    ProcOptions opts;
    opts.cwd = repo.root();
    auto argv = diffsmith_argv(args);
    ProcResult r = run_process(nobody ? as_nobody(argv) : argv, opts);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);  // solved by the second edit
    CHECK(repo.read("m.py") == "def f(x):\n    return x + 2\n");
    auto reqs = mock->requests();
    REQUIRE(reqs.size() >= 2);
    std::string told = all_text(reqs[1]);
    INFO(told);
    CHECK(contains(told, "m.py no longer parses (python3)"));
    CHECK(contains(told, "SyntaxError"));
    CHECK(contains(told, "     2\t    return (x + 2"));
    CHECK(contains(r.out, "\"status\":\"failed\""));  // the edit event: a failed edit
    std::error_code ec;                               // no copy left behind
    CHECK(std::filesystem::is_empty(repo.path(".git/diffsmith/lint"), ec));
  }
}

TEST_CASE("syntax guard in a run: the file stays untouched, and --no-lint writes the edit") {
  TempRepo repo({{"m.py", kModule}});
  auto mock = start_mock(script({edit_turn(broken_block()), finish_turn("done")}));
  ProcResult r = run_agent(repo, *mock, "make f(1) 3", kTest, {"--no-commands"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code != 0);
  CHECK(repo.read("m.py") == kModule);
  CHECK(repo.git({"status", "--porcelain"}).empty());

  auto again = start_mock(script({edit_turn(broken_block()), finish_turn("done")}));
  ProcResult off = run_agent(repo, *again, "make f(1) 3", kTest, {"--no-commands", "--no-lint"});
  INFO("stderr: " << off.err);
  CHECK(repo.read("m.py") == "def f(x):\n    return (x + 2\n");
}

TEST_CASE("syntax guard settings: lint.EXT from the user's config, never from the repository's") {
  TempRepo repo({{"a.cfg", "ok\n"}, {"m.py", kModule}});
  TempDir home;
  write_file(home.path + "/.config/diffsmith/config.toml",
             "[lint]\ncfg = \"sh -c '! grep -n BAD $0' {file}\"\n");
  // The repository tries to turn the Python check into a command of its own.
  repo.write(".diffsmith.toml", "[lint]\npy = \"touch /tmp/pwned-by-repo-lint {file}\"\n");
  repo.git({"add", "-A"});
  repo.git({"commit", "-q", "-m", "config"});
  auto mock = start_mock(script({edit_turn(sr_block("a.cfg", "ok\n", "ok\nBAD\n")), finish_turn("done")}));
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = home.path + "/.config";
  ProcResult r = run_agent(repo, *mock, "edit a.cfg", "true", {"--no-commands"}, opts);
  INFO("stderr: " << r.err);
  CHECK(contains(r.err, "ignoring 'lint.py'"));
  CHECK(repo.read("a.cfg") == "ok\n");  // the user's checker refused it
  auto reqs = mock->requests();
  REQUIRE(reqs.size() >= 2);
  CHECK(contains(all_text(reqs[1]), "a.cfg no longer parses (sh)"));
}

TEST_CASE("syntax guard in a run: a checker that is not installed is skipped, with one notice") {
  TempRepo repo({{"a.txt", "one\n"}});
  TempDir home;
  write_file(home.path + "/.config/diffsmith/config.toml", "[lint]\ntxt = \"no-such-checker-abc {file}\"\n");
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "one\n", "two\n")),
                                 edit_turn(sr_block("a.txt", "two\n", "three\n")), finish_turn("done")}));
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = home.path + "/.config";
  ProcResult r = run_agent(repo, *mock, "edit a.txt", "true", {"--no-commands"}, opts);
  INFO("stderr: " << r.err);
  CHECK(repo.read("a.txt") == "three\n");  // both edits written
  const std::string notice = "no `no-such-checker-abc` on PATH, so .txt files are not checked";
  size_t first = r.err.find(notice);
  REQUIRE(first != std::string::npos);
  CHECK(r.err.find("no-such-checker-abc", first + notice.size()) == std::string::npos);  // once
}

TEST_CASE("syntax guard in doctor: each extension and its parser, or what is missing") {
  ds::agent::Settings s;
  s.files["lint.txt"] =
      ds::agent::SettingValue{"no-such-checker-abc {file}", "config /x/config.toml", 3, false};
  s.files["lint.py"] = ds::agent::SettingValue{"off", "config /x/config.toml", 4, false};
  std::string line = ds::agent::syntax_guard_summary(s);
  CHECK(contains(line, ".json in-process"));
  CHECK(contains(line, ".py (off)"));
  CHECK(contains(line, ".txt (no no-such-checker-abc on PATH)"));
  CHECK(contains(line, ".sh bash"));
  s.flags["no-lint"] = ds::agent::SettingValue{"true", "--no-lint"};
  CHECK(ds::agent::syntax_guard_summary(s) == "syntax guard: off (--no-lint)\n");
}
