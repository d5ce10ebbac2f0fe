// The syntax guard's checks with the real parsers (python3, bash -n,
// simdjson): an edit that breaks a file is found with its line, a valid one
// passes, a file broken on the base is not blamed, a missing parser is
// skipped with one note, a configured command is used.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "support/temp_dir.hpp"
#include "worktree/syntax_guard.hpp"

using ds::edit::FileChange;
using ds::worktree::SyntaxGuard;
using ds::worktree::SyntaxGuardConfig;

namespace {

struct Guard {
  ds::test::TempDir dir{"ds-guard-"};
  ds::exec::SystemRunner runner;
  SyntaxGuard guard;
  explicit Guard(std::map<std::string, std::string> commands = {})
      : guard(SyntaxGuardConfig{std::move(commands), dir.path, dir.path, std::chrono::milliseconds(10000)},
              runner) {}
};

FileChange change(const std::string& path, std::optional<std::string> before, std::string after) {
  return FileChange{path, std::move(before), std::move(after)};
}

// PATH set to `value` for the scope.
struct PathIs {
  std::string saved = ::getenv("PATH") ? ::getenv("PATH") : "";
  explicit PathIs(const std::string& value) { ::setenv("PATH", value.c_str(), 1); }
  ~PathIs() { ::setenv("PATH", saved.c_str(), 1); }
};

const char* const kPy = "def f(x):\n    return x + 1\n\n\ndef g():\n    return 2\n";

}  // namespace

TEST_CASE("syntax guard: a Python edit that breaks the file is found, with its line") {
  if (ds::exec::find_program("python3").empty()) {
    WARN("no python3 here");
    return;
  }
  Guard g;
  std::string broken = "def f(x):\n    return x + 1\n\n\ndef g(:\n    return 2\n";
  auto p = g.guard.check(change("pkg/m.py", kPy, broken));
  REQUIRE(p);
  CHECK(p->path == "pkg/m.py");
  CHECK(p->line == 5);
  CHECK(p->message.find("SyntaxError") != std::string::npos);
  CHECK(p->message.find("pkg/m.py") != std::string::npos);  // the copy's path is not shown
  CHECK(p->message.find(g.dir.path) == std::string::npos);
  std::string told = ds::worktree::syntax_refusal(*p, broken);
  CHECK(told.find("     5\tdef g(:") != std::string::npos);  // numbered lines around the error
  CHECK(told.find("not written") != std::string::npos);
  // A valid edit passes, and so does a new valid file.
  CHECK_FALSE(g.guard.check(change("pkg/m.py", kPy, std::string(kPy) + "\nX = 1\n")));
  CHECK_FALSE(g.guard.check(change("new.py", std::nullopt, "print('hi')\n")));
  // A new broken file is refused (nothing to compare with).
  CHECK(g.guard.check(change("new.py", std::nullopt, "print('hi'\n")));
  // No bytecode was written next to the copies.
  CHECK(std::filesystem::is_empty(g.dir.path));
}

TEST_CASE("syntax guard: a file broken on the base is not blamed") {
  if (ds::exec::find_program("python3").empty()) {
    WARN("no python3 here");
    return;
  }
  Guard g;
  std::string base = "print 'python 2'\n";
  CHECK_FALSE(g.guard.check(change("old.py", base, base + "x = (\n")));
  CHECK(g.guard.checks() == 2);  // the new content failed, so the base was checked too
  // Only when the new content fails is the base checked.
  CHECK_FALSE(g.guard.check(change("ok.py", kPy, std::string(kPy) + "y = 2\n")));
  CHECK(g.guard.checks() == 3);
}

TEST_CASE("syntax guard: shell and JSON") {
  Guard g;
  auto sh = g.guard.check(change("run.sh", "echo a\nif true; then\n  echo b\nfi\n",
                                 "echo a\nif true; then\n  echo b\n\necho c\n"));
  REQUIRE(sh);
  CHECK(sh->checker == "bash");
  CHECK(sh->line >= 4);
  CHECK(sh->message.find("run.sh") != std::string::npos);
  CHECK_FALSE(g.guard.check(change("run.sh", "echo a\n", "echo a\necho b\n")));

  std::string json = "{\n  \"a\": 1,\n  \"b\": [1, 2],\n  \"c\": true\n}\n";
  auto j = g.guard.check(change("conf.json", json, "{\n  \"a\": 1,\n  \"b\": [1, 2,],\n  \"c\": true\n}\n"));
  REQUIRE(j);
  CHECK(j->checker == "json");
  CHECK(j->line == 3);
  CHECK(j->message.find("invalid JSON") != std::string::npos);
  CHECK_FALSE(g.guard.check(change("conf.json", json, "{\"a\": 2}\n")));
  CHECK_FALSE(ds::worktree::json_syntax_error("[1, {\"x\": null}]"));
  CHECK(ds::worktree::json_syntax_error("{\"x\": }"));
  // Broken JSON on the base is not blamed either.
  CHECK_FALSE(g.guard.check(change("conf.json", "{", "{\"a\"")));
  // Files without a checker pass untouched.
  CHECK_FALSE(g.guard.check(change("notes.txt", "a\n", "((((\n")));
  CHECK_FALSE(g.guard.check(change("Makefile", "a\n", "((((\n")));
}

TEST_CASE("syntax guard: a missing parser is skipped, and said once") {
  Guard g;
  PathIs path(g.dir.path);  // no python3, no node, no bash on PATH
  CHECK_FALSE(g.guard.check(change("m.py", kPy, "def (\n")));
  CHECK_FALSE(g.guard.check(change("n.py", kPy, "def (\n")));
  CHECK_FALSE(g.guard.check(change("a.js", "let a = 1;\n", "let = ;\n")));
  auto notes = g.guard.take_notes();
  REQUIRE(notes.size() == 2);  // python3 once, node once
  CHECK(notes[0].find("python3") != std::string::npos);
  CHECK(notes[0].find(".py files are not checked") != std::string::npos);
  CHECK(notes[1].find("node") != std::string::npos);
  CHECK(g.guard.take_notes().empty());
  // JSON is checked in-process, PATH or not.
  CHECK(g.guard.check(change("c.json", "{}", "{,}")));
}

TEST_CASE("syntax guard: commands from the config add, replace and turn off checkers") {
  Guard g({{"py", "off"},
           {"txt", "grep -q -v BAD {file} && ! grep -n BAD {file}"},
           {"rb", "no-such-checker-xyz {file}"}});
  CHECK_FALSE(g.guard.check(change("m.py", kPy, "def (\n")));  // turned off
  auto t = g.guard.check(change("notes.txt", "fine\n", "fine\nBAD\n"));
  REQUIRE(t);
  CHECK(t->checker == "grep");
  CHECK(t->line == 2);  // "2:BAD": after the file's name, or the changed line
  CHECK_FALSE(g.guard.check(change("notes.txt", "fine\n", "fine\nok\n")));
  CHECK_FALSE(g.guard.check(change("x.rb", "a\n", "b\n")));
  auto notes = g.guard.take_notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("no-such-checker-xyz") != std::string::npos);
}

TEST_CASE("syntax guard: a checker that hangs is stopped and does not block the edit") {
  SyntaxGuardConfig cfg;
  ds::test::TempDir dir{"ds-guard-"};
  cfg.scratch_dir = dir.path;
  cfg.commands["txt"] = "sleep 20; false {file}";
  cfg.timeout = std::chrono::milliseconds(300);
  ds::exec::SystemRunner runner;
  SyntaxGuard guard(cfg, runner);
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(guard.check(change("a.txt", "a\n", "b\n")));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("syntax guard: extensions") {
  CHECK(ds::worktree::file_extension("a/b.PY") == "py");
  CHECK(ds::worktree::file_extension("a.b/c").empty());
  CHECK(ds::worktree::file_extension(".bashrc").empty());
  CHECK(ds::worktree::file_extension("d/.bashrc").empty());
  CHECK(ds::worktree::file_extension("x.tar.gz") == "gz");
}
