// The planner: SEARCH/REPLACE blocks and V4A operations resolved against
// files (an in-memory FileSource, and a real directory), with the results and
// failure messages the model gets back.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "edit/line_numbers.hpp"
#include "edit/plan.hpp"
#include "support/memory_source.hpp"

namespace fs = std::filesystem;
using namespace ds::edit;

namespace {

// Files in memory; paths ending in ".bin" are refused as binary.
class MemorySource : public ds::test::MemorySource {
 public:
  ds::Result<std::optional<std::string>> read(const std::string& path) override {
    if (path.size() > 4 && path.substr(path.size() - 4) == ".bin") {
      ++reads[path];
      return ds::make_error("'" + path + "' is a binary file; diffsmith only edits text files");
    }
    return ds::test::MemorySource::read(path);
  }
};

ParsedEdits sr(std::vector<SearchReplaceBlock> blocks) {
  ParsedEdits e;
  e.format = Format::SearchReplace;
  int i = 0;
  for (auto& b : blocks) {
    if (b.index == 0)
      b.index = ++i;
    else
      i = b.index;
    e.blocks.push_back(b);
  }
  return e;
}

SearchReplaceBlock block(std::string path, std::string search, std::string replace) {
  SearchReplaceBlock b;
  b.path = std::move(path);
  b.search = std::move(search);
  b.replace = std::move(replace);
  return b;
}

const FileChange* change_for(const EditPlan& plan, const std::string& path) {
  for (const auto& c : plan.changes) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

std::string after_of(const EditPlan& plan, const std::string& path) {
  const FileChange* c = change_for(plan, path);
  REQUIRE(c);
  REQUIRE(c->after);
  return *c->after;
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

PatchOp update(std::string path, std::vector<PatchChunk> chunks) {
  PatchOp op;
  op.op = PatchOpKind::Update;
  op.path = std::move(path);
  op.chunks = std::move(chunks);
  return op;
}

PatchChunk chunk(std::vector<std::string> scopes, std::vector<PatchLine> lines, bool eof = false) {
  PatchChunk c;
  c.scopes = std::move(scopes);
  c.lines = std::move(lines);
  c.end_of_file = eof;
  return c;
}

ParsedEdits patch(std::vector<PatchOp> ops) {
  ParsedEdits e;
  e.format = Format::Patch;
  int i = 0;
  for (auto& op : ops) {
    op.index = ++i;
    e.ops.push_back(op);
  }
  return e;
}

}  // namespace

TEST_CASE("plan: blocks for one file apply in order, each on the result of the last") {
  MemorySource src;
  src.files["app.py"] = "def f():\n    return 1\n\ndef g():\n    return 2\n";
  auto plan =
      plan_edits(sr({block("app.py", "    return 1\n", "    return 10\n"),
                     block("./app.py", "    return 10\n\ndef g():\n", "    return 11\n\ndef h():\n")}),
                 src);
  REQUIRE(plan.failed() == 0);
  CHECK(plan.applied() == 2);
  CHECK(after_of(plan, "app.py") == "def f():\n    return 11\n\ndef h():\n    return 2\n");
  CHECK(plan.results[0].level == "exact");
  CHECK(plan.results[0].line == 2);
  CHECK(plan.results[1].path == "app.py");
  CHECK(src.reads["app.py"] == 1);  // each file is read once
  CHECK(plan.changes.size() == 1);
  CHECK(*plan.changes[0].before == src.files["app.py"]);
  CHECK(plan.failure_report().empty());
}

TEST_CASE("plan: an empty SEARCH creates a file, or appends to one") {
  MemorySource src;
  src.files["log.txt"] = "first";  // no final newline
  auto plan = plan_edits(sr({block("pkg/sub/new.py", "", "x = 1\n"), block("log.txt", "", "second\n"),
                             block("pkg/sub/new.py", "x = 1\n", "x = 2\n")}),
                         src);
  REQUIRE(plan.failed() == 0);
  const FileChange* created = change_for(plan, "pkg/sub/new.py");
  REQUIRE(created);
  CHECK_FALSE(created->before);
  CHECK(*created->after == "x = 2\n");
  CHECK(plan.results[0].level == "create");
  CHECK(plan.results[1].level == "append");
  CHECK(after_of(plan, "log.txt") == "first\nsecond");  // still no final newline
}

TEST_CASE("plan: line endings and a missing final newline are preserved") {
  MemorySource src;
  src.files["win.txt"] = "one\r\ntwo\r\nthree\r\n";
  src.files["tail.txt"] = "a\nb\nc";
  auto plan = plan_edits(sr({block("win.txt", "two\n", "2\n2b\n"), block("tail.txt", "a\n", "A\n")}), src);
  REQUIRE(plan.failed() == 0);
  CHECK(plan.results[0].level == "exact");
  CHECK(after_of(plan, "win.txt") == "one\r\n2\r\n2b\r\nthree\r\n");
  CHECK(after_of(plan, "tail.txt") == "A\nb\nc");

  SECTION("an edit of the last line keeps the file without a final newline") {
    auto last = plan_edits(sr({block("tail.txt", "c\n", "C\n")}), src);
    CHECK(after_of(last, "tail.txt") == "a\nb\nC");
    auto gone = plan_edits(sr({block("tail.txt", "b\nc\n", "")}), src);
    CHECK(after_of(gone, "tail.txt") == "a");
  }
}

TEST_CASE("plan: line-number prefixes copied from read_file are stripped") {
  MemorySource src;
  src.files["m.c"] = "int a;\nint b;\nint c;\n";
  std::string search = number_line(2, "int b;") + "\n" + number_line(3, "int c;") + "\n";
  auto plan = plan_edits(sr({block("m.c", search, "int b2;\nint c;\n")}), src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "m.c") == "int a;\nint b2;\nint c;\n");
}

TEST_CASE("plan: failures are explained, and do not stop later blocks") {
  MemorySource src;
  std::string body;
  for (int i = 1; i <= 30; ++i) body += "value_" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  src.files["conf.py"] = body;
  src.files["other.py"] = "a = 1\n";
  ParsedEdits edits = sr({block("conf.py", "value_10 = 10\nvalue_11 = eleven\n", "value_10 = 100\n"),
                          block("other.py", "a = 1\n", "a = 2\n")});
  edits.errors.push_back({3, 40, "expected `=======` after the SEARCH section, found `>>>>>>> REPLACE`"});
  edits.blocks.push_back(block("conf.py", "value_20 = 20\n", "value_20 = 200\n"));
  edits.blocks.back().index = 4;

  auto plan = plan_edits(edits, src);
  REQUIRE(plan.results.size() == 4);
  CHECK(plan.applied() == 2);
  CHECK(plan.failed() == 2);
  for (int i = 0; i < 4; ++i) CHECK(plan.results[i].index == i + 1);

  const BlockResult& miss = plan.results[0];
  CHECK_FALSE(miss.applied);
  CHECK(has(miss.error, "Block 1 (conf.py)"));
  CHECK(has(miss.error, "does not match"));
  CHECK(miss.line == 10);
  CHECK(has(miss.closest, number_line(11, "value_11 = 11")));

  const BlockResult& parse = plan.results[2];
  CHECK(has(parse.error, "Block 3 could not be parsed (line 40"));
  CHECK(has(parse.error, "expected `=======`"));

  CHECK(after_of(plan, "conf.py") == [&] {
    std::string b = body;
    b.replace(b.find("value_20 = 20\n"), 14, "value_20 = 200\n");
    return b;
  }());
  CHECK(after_of(plan, "other.py") == "a = 2\n");

  std::string report = plan.failure_report();
  CHECK(has(report, "2 of 4 edit blocks failed"));
  CHECK(has(report, "block(s) 2 (other.py), 4 (conf.py)"));
  CHECK(has(report, "resend only the failed block(s) 1, 3"));
  CHECK(has(report, number_line(10, "value_10 = 10")));
  std::string nothing_written = plan.failure_report(false);
  CHECK(has(nothing_written, "nothing was written"));
  CHECK(has(nothing_written, "Resend all the blocks"));
}

TEST_CASE("plan: a block written against the original file is told an earlier block changed it") {
  MemorySource src;
  src.files["a.txt"] = "alpha\nbeta\ngamma\n";
  auto plan = plan_edits(sr({block("a.txt", "alpha\nbeta\n", "ALPHA\nBETA\n"),
                             block("a.txt", "beta\ngamma\n", "beta\nGAMMA\n")}),
                         src);
  REQUIRE(plan.failed() == 1);
  CHECK(has(plan.results[1].error, "An earlier block of this reply (block 1) already changed these lines"));
  CHECK(after_of(plan, "a.txt") == "ALPHA\nBETA\ngamma\n");
}

TEST_CASE("plan: a block whose REPLACE is already in the file says so") {
  MemorySource src;
  src.files["a.txt"] = "one\ntwo = 2\nthree\n";
  auto plan = plan_edits(sr({block("a.txt", "two = 1\n", "two = 2\n")}), src);
  REQUIRE(plan.failed() == 1);
  CHECK(has(plan.results[0].error, "The REPLACE text is already present in a.txt at line 2"));
  CHECK(plan.changes.empty());
}

TEST_CASE("plan: ambiguous, missing, unsafe and refused files are reported per block") {
  MemorySource src;
  src.files["dup.txt"] = "x\ny\nx\n";
  auto plan = plan_edits(sr({block("dup.txt", "x\n", "z\n"), block("nope.txt", "a\n", "b\n"),
                             block("../etc/passwd", "", "root\n"), block("img.bin", "a\n", "b\n"),
                             block(".git/config", "", "x\n")}),
                         src);
  REQUIRE(plan.failed() == 5);
  CHECK(has(plan.results[0].error, "matches 2 places in dup.txt (lines 1, 3"));
  CHECK(has(plan.results[1].error, "Block 2 (nope.txt): nope.txt does not exist"));
  CHECK(has(plan.results[1].error, "empty SEARCH"));
  CHECK(has(plan.results[2].error, "Block 3 (../etc/passwd)"));
  CHECK(has(plan.results[2].error, "outside the repository"));
  CHECK(has(plan.results[3].error, "binary"));
  CHECK(has(plan.results[4].error, ".git"));
  CHECK(plan.changes.empty());
}

TEST_CASE("plan: a DirectorySource refuses symbolic links and reads real files") {
  std::string tmpl = (fs::temp_directory_path() / "ds_plan_XXXXXX").string();
  fs::path root = mkdtemp(tmpl.data());
  std::ofstream(root / "real.txt") << "keep\nchange\n";
  fs::create_symlink("real.txt", root / "alias.txt");
  DirectorySource src(root);
  auto plan =
      plan_edits(sr({block("real.txt", "change\n", "changed\n"), block("alias.txt", "keep\n", "x\n")}), src);
  fs::remove_all(root);
  REQUIRE(plan.results.size() == 2);
  CHECK(plan.results[0].applied);
  CHECK(has(plan.results[1].error, "symbolic link"));
  CHECK(after_of(plan, "real.txt") == "keep\nchanged\n");
}

TEST_CASE("plan V4A: chunks are found forward, narrowed by @@ scopes") {
  MemorySource src;
  src.files["app.py"] =
      "class A:\n    def run(self):\n        return 1\n\nclass B:\n    def run(self):\n        return 1\n\n"
      "def main():\n    B().run()\n";
  auto plan = plan_edits(
      patch({update(
          "app.py",
          {chunk({"class B:", "    def run(self):"}, {{'-', "        return 1"}, {'+', "        return 2"}}),
           chunk({}, {{' ', "def main():"}, {'-', "    B().run()"}, {'+', "    print(B().run())"}}, true)})}),
      src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "app.py") ==
        "class A:\n    def run(self):\n        return 1\n\nclass B:\n    def run(self):\n        return 2\n\n"
        "def main():\n    print(B().run())\n");
  CHECK(plan.results[0].level == "exact");
  CHECK(plan.results[0].line == 7);
}

TEST_CASE("plan V4A: add, delete, move, and their errors") {
  MemorySource src;
  src.files["old.txt"] = "bye\n";
  src.files["a.txt"] = "x\r\ny\r\nz";  // CRLF, no final newline
  src.files["taken.txt"] = "t\n";
  PatchOp add;
  add.op = PatchOpKind::Add;
  add.path = "new/file.txt";
  add.content = "hello\n";
  PatchOp del;
  del.op = PatchOpKind::Delete;
  del.path = "old.txt";
  PatchOp mv = update("a.txt", {chunk({}, {{' ', "x"}, {'-', "y"}, {'+', "Y"}})});
  mv.move_to = "b.txt";
  auto plan = plan_edits(patch({add, del, mv}), src);
  REQUIRE(plan.failed() == 0);
  CHECK(*change_for(plan, "new/file.txt")->after == "hello\n");
  CHECK_FALSE(change_for(plan, "new/file.txt")->before);
  CHECK_FALSE(change_for(plan, "old.txt")->after);
  CHECK_FALSE(change_for(plan, "a.txt")->after);                  // a move is a delete ...
  CHECK_FALSE(change_for(plan, "b.txt")->before);                 // ... plus a create
  CHECK(*change_for(plan, "b.txt")->after == "x\r\nY\r\nz\r\n");  // CRLF kept, final newline added

  PatchOp add_existing = add;
  add_existing.path = "taken.txt";
  PatchOp del_missing = del;
  del_missing.path = "ghost.txt";
  PatchOp upd_missing = update("ghost.txt", {});
  PatchOp move_onto = mv;
  move_onto.move_to = "taken.txt";
  auto bad = plan_edits(patch({add_existing, del_missing, upd_missing, move_onto}), src);
  REQUIRE(bad.failed() == 4);
  CHECK(has(bad.results[0].error, "Block 1 (add taken.txt): taken.txt already exists"));
  CHECK(has(bad.results[1].error, "ghost.txt does not exist, so it cannot be deleted"));
  CHECK(has(bad.results[2].error, "*** Add File: ghost.txt"));
  CHECK(has(bad.results[3].error, "cannot move to taken.txt"));
  CHECK(bad.changes.empty());
}

TEST_CASE("plan V4A: loose matching levels, line numbers, and failures") {
  MemorySource src;
  src.files["s.py"] =
      "a = 1   \n  b = \xE2\x80\x9C"
      "2\xE2\x80\x9D\nc = 3\n";
  SECTION("trailing whitespace, then surrounding whitespace + unicode") {
    auto plan = plan_edits(
        patch({update("s.py", {chunk({}, {{' ', "a = 1"}, {'-', "b = \"2\""}, {'+', "b = 2"}})})}), src);
    REQUIRE(plan.failed() == 0);
    CHECK(plan.results[0].level == "unicode");
    CHECK(after_of(plan, "s.py") == "a = 1   \nb = 2\nc = 3\n");  // context line kept byte for byte
  }
  SECTION("numbered context lines") {
    auto plan = plan_edits(
        patch({update("s.py", {chunk({}, {{'-', number_line(3, "c = 3")}, {'+', "c = 4"}})})}), src);
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "s.py") ==
          "a = 1   \n  b = \xE2\x80\x9C"
          "2\xE2\x80\x9D\nc = 4\n");
  }
  SECTION("chunks out of order are called out") {
    auto plan = plan_edits(patch({update("s.py", {chunk({}, {{'-', "c = 3"}, {'+', "c = 4"}}),
                                                  chunk({}, {{'-', "a = 1"}, {'+', "a = 0"}})})}),
                           src);
    REQUIRE(plan.failed() == 1);
    CHECK(has(plan.results[0].error, "Block 1 (update s.py), chunk 2"));
    CHECK(has(plan.results[0].error, "before the previous chunk"));
    CHECK(plan.changes.empty());  // a failed chunk leaves the whole file untouched
  }
  SECTION("missing context shows the closest region") {
    auto plan = plan_edits(
        patch({update("s.py", {chunk({}, {{' ', "a = 1"}, {'-', "q = 3"}, {'+', "c = 4"}})})}), src);
    REQUIRE(plan.failed() == 1);
    CHECK(has(plan.results[0].error, "were not found in s.py"));
    CHECK(has(plan.results[0].error, "    q = 3"));
    CHECK(plan.results[0].line == 1);
    CHECK(has(plan.results[0].closest, number_line(1, "a = 1   ")));
  }
  SECTION("a missing @@ scope") {
    auto plan = plan_edits(patch({update("s.py", {chunk({"class Missing:"}, {{'+', "x"}})})}), src);
    REQUIRE(plan.failed() == 1);
    CHECK(has(plan.results[0].error, "`@@ class Missing:` was not found"));
  }
}

TEST_CASE("plan: appending to a CRLF file uses CRLF, a created file can be appended to") {
  MemorySource src;
  src.files["w.txt"] = "a\r\nb\r\n";
  auto plan =
      plan_edits(sr({block("w.txt", "", "c\n"), block("n.txt", "", "1\n"), block("n.txt", "", "2\n")}), src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "w.txt") == "a\r\nb\r\nc\r\n");
  CHECK(after_of(plan, "n.txt") == "1\n2\n");
  CHECK(plan.results[2].line == 2);
}

TEST_CASE("plan V4A: End of File anchors at the end, a chunk without it takes the first match") {
  MemorySource src;
  src.files["e.txt"] = "x\ny\nx\ny\n";
  auto at_end =
      plan_edits(patch({update("e.txt", {chunk({}, {{' ', "x"}, {'-', "y"}, {'+', "z"}}, true)})}), src);
  CHECK(after_of(at_end, "e.txt") == "x\ny\nx\nz\n");
  auto first = plan_edits(patch({update("e.txt", {chunk({}, {{' ', "x"}, {'-', "y"}, {'+', "z"}})})}), src);
  CHECK(after_of(first, "e.txt") == "x\nz\nx\ny\n");
  SECTION("a chunk of only added lines goes after its @@ scope, or at the end") {
    auto scoped = plan_edits(patch({update("e.txt", {chunk({"y"}, {{'+', "new"}})})}), src);
    CHECK(after_of(scoped, "e.txt") == "x\ny\nnew\nx\ny\n");
    auto end = plan_edits(patch({update("e.txt", {chunk({}, {{'+', "new"}})})}), src);
    CHECK(after_of(end, "e.txt") == "x\ny\nx\ny\nnew\n");
  }
}
