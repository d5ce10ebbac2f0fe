// The planner on cases found replaying real model replies (issue 15): a
// UTF-8 BOM survives an edit of the first line; a block that names the wrong
// file applies where its SEARCH matches once among the other candidate
// files; V4A `@@` scope lines are hints (prefix match, never fatal alone).
#include <catch2/catch.hpp>
#include <map>

#include "edit/locate.hpp"
#include "edit/plan.hpp"
#include "edit/search_replace_parser.hpp"
#include "edit/v4a_parser.hpp"
#include "support/memory_source.hpp"

using namespace ds::edit;
using ds::test::MemorySource;

namespace {

ParsedEdits sr(std::vector<SearchReplaceBlock> blocks) {
  ParsedEdits e;
  int i = 0;
  for (auto& b : blocks) {
    b.index = ++i;
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

std::optional<std::string> after_of(const EditPlan& plan, const std::string& path) {
  for (const auto& c : plan.changes)
    if (c.path == path) return c.after;
  return std::nullopt;
}

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

const std::string kBom = "\xEF\xBB\xBF";

}  // namespace

TEST_CASE("plan BOM: editing the first line of a file keeps its byte order mark") {
  MemorySource src;
  src.files["a.py"] = kBom + "import os\nprint(1)\n";
  SECTION("SEARCH without the BOM") {
    auto plan = plan_edits(sr({block("a.py", "import os\n", "import sys\n")}), src);
    REQUIRE(plan.failed() == 0);
    CHECK(plan.results[0].level == "exact");
    CHECK(after_of(plan, "a.py") == kBom + "import sys\nprint(1)\n");
  }
  SECTION("SEARCH and REPLACE copied with the BOM") {
    auto plan = plan_edits(sr({block("a.py", kBom + "import os\n", kBom + "import sys\n")}), src);
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == kBom + "import sys\nprint(1)\n");
  }
  SECTION("a V4A patch replacing the first line") {
    auto parsed = parse_v4a(
        "*** Begin Patch\n*** Update File: a.py\n@@\n-import os\n+import sys\n print(1)\n"
        "*** End Patch\n");
    auto plan = plan_edits(parsed, src);
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == kBom + "import sys\nprint(1)\n");
  }
  SECTION("a CRLF file with a BOM keeps both") {
    src.files["w.txt"] = kBom + "one\r\ntwo\r\n";
    auto plan = plan_edits(sr({block("w.txt", "one\n", "uno\n")}), src);
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "w.txt") == kBom + "uno\r\ntwo\r\n");
  }
}

TEST_CASE("plan other file: SEARCH found once in another candidate file is applied there, and said so") {
  MemorySource src;
  src.files["app/models.py"] = "class User:\n    name = ''\n";
  src.files["app/views.py"] = "def index():\n    return render('index')\n";
  PlanOptions opts;
  opts.other_candidates = {"app/views.py", "./app/models.py"};
  auto plan = plan_edits(
      sr({block("app/models.py", "    return render('index')\n", "    return render('home')\n")}), src, opts);
  REQUIRE(plan.failed() == 0);
  CHECK(plan.results[0].path == "app/views.py");
  CHECK(has(plan.results[0].note, "app/models.py"));
  CHECK(has(plan.results[0].note, "applied there"));
  CHECK(after_of(plan, "app/views.py") == "def index():\n    return render('home')\n");
  CHECK_FALSE(after_of(plan, "app/models.py"));  // the named file is untouched

  SECTION("also when the named file does not exist") {
    auto missing = plan_edits(
        sr({block("app/view.py", "    return render('index')\n", "    return render('home')\n")}), src, opts);
    REQUIRE(missing.failed() == 0);
    CHECK(missing.results[0].path == "app/views.py");
    CHECK(has(missing.results[0].note, "does not exist"));
  }
}

TEST_CASE("plan other file: no candidates, two matches, or only a loose match: the block fails") {
  MemorySource src;
  src.files["a.py"] = "x = 1\n";
  src.files["b.py"] = "y = 2\n";
  src.files["c.py"] = "y = 2\n";
  src.files["d.py"] = "    z = 3\n";
  auto none = plan_edits(sr({block("a.py", "y = 2\n", "y = 3\n")}), src);
  CHECK(none.failed() == 1);
  PlanOptions two;
  two.other_candidates = {"b.py", "c.py"};
  auto ambiguous = plan_edits(sr({block("a.py", "y = 2\n", "y = 3\n")}), src, two);
  CHECK(ambiguous.failed() == 1);
  CHECK(ambiguous.changes.empty());
  PlanOptions loose;
  loose.other_candidates = {"d.py"};
  auto indented =
      plan_edits(sr({block("a.py", "z = 3\n", "z = 4\n")}), src, loose);  // indentation level only
  CHECK(indented.failed() == 1);
  CHECK(indented.changes.empty());
}

TEST_CASE("plan V4A scope: `@@ class App` finds `class App:`, not `class AppConfig:` before it") {
  MemorySource src;
  src.files["app.py"] =
      "class AppConfig:\n    def run(self):\n        return 0\n\n"
      "class App:\n    def run(self):\n        return 0\n";
  auto parsed = parse_v4a(
      "*** Begin Patch\n*** Update File: app.py\n@@ class App\n@@     def run(self)\n-        return 0\n"
      "+        return 1\n*** End Patch\n");
  auto plan = plan_edits(parsed, src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "app.py") ==
        "class AppConfig:\n    def run(self):\n        return 0\n\n"
        "class App:\n    def run(self):\n        return 1\n");
}

TEST_CASE("plan V4A scope: a scope line that matches nothing does not fail a chunk with context") {
  MemorySource src;
  src.files["app.py"] = "def main():\n    run()\n";
  auto parsed = parse_v4a(
      "*** Begin Patch\n*** Update File: app.py\n@@ class Application\n def main():\n-    run()\n+    "
      "run(fast=True)\n"
      "*** End Patch\n");
  auto plan = plan_edits(parsed, src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "app.py") == "def main():\n    run(fast=True)\n");
}

TEST_CASE("plan V4A: an indented *** End Patch ends the patch instead of being context") {
  MemorySource src;
  src.files["a.txt"] = "one\ntwo\n";
  auto parsed =
      parse_v4a("*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+three\n  *** End Patch\n");
  REQUIRE(parsed.errors.empty());
  auto plan = plan_edits(parsed, src);
  REQUIRE(plan.failed() == 0);
  CHECK(after_of(plan, "a.txt") == "one\nthree\n");
}

// edit-formats.md section 5: the parser keeps trailing blank lines; the
// locator retries a SEARCH without its blank last line, and REPLACE loses
// one only when SEARCH ends with one too.
TEST_CASE("plan blank lines: trailing blank lines are judged by the locator, not the parser") {
  MemorySource src;
  auto plan_text = [&src](const std::string& path, const std::string& search, const std::string& replace) {
    return plan_edits(parse_search_replace(path + "\n<<<<<<< SEARCH\n" + search + "=======\n" + replace +
                                           ">>>>>>> REPLACE\n"),
                      src);
  };
  SECTION("a blank last line of REPLACE alone is the model's") {
    src.files["a.py"] = "import os\ndef main():\n    pass\n";
    auto plan = plan_text("a.py", "import os\n", "import os\nimport sys\n\n");
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == "import os\nimport sys\n\ndef main():\n    pass\n");
  }
  SECTION("SEARCH and REPLACE both ending blank, at the end of the file: both lose it") {
    src.files["a.py"] = "x = 0\ndef f():\n    pass\n";
    auto plan = plan_text("a.py", "def f():\n    pass\n\n", "def f():\n    return 1\n\n");
    REQUIRE(plan.failed() == 0);
    CHECK(plan.results[0].level == kLevelBlankLines);
    CHECK(after_of(plan, "a.py") == "x = 0\ndef f():\n    return 1\n");
  }
  SECTION("SEARCH and REPLACE both ending blank, a blank line in the file: matched as written") {
    src.files["a.py"] = "def f():\n    pass\n\ny = 1\n";
    auto plan = plan_text("a.py", "def f():\n    pass\n\n", "def f():\n    return 1\n\n");
    REQUIRE(plan.failed() == 0);
    CHECK(plan.results[0].level == kLevelExact);
    CHECK(after_of(plan, "a.py") == "def f():\n    return 1\n\ny = 1\n");
  }
  SECTION("SEARCH ending blank over a REPLACE without: the blank lines are deleted") {
    src.files["a.py"] = "def old():\n    pass\n\n\ny = 1\n";
    auto plan = plan_text("a.py", "def old():\n    pass\n\n\n", "");
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == "y = 1\n");
  }
  SECTION("SEARCH ending blank not found as written is retried without it, REPLACE untouched") {
    src.files["a.py"] = "y = 1\nx = 1\n";
    auto plan = plan_text("a.py", "x = 1\n\n", "x = 2\n");
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == "y = 1\nx = 2\n");
  }
  SECTION("an append or a new file does not end with the blank line the model left after it") {
    src.files["a.py"] = "def a():\n    return 1\n";
    auto plan = plan_text("a.py", "", "\n\ndef b():\n    return 2\n\n");
    REQUIRE(plan.failed() == 0);
    CHECK(after_of(plan, "a.py") == "def a():\n    return 1\n\n\ndef b():\n    return 2\n");
    auto created = plan_text("new.py", "", "x = 1\n\n");
    REQUIRE(created.failed() == 0);
    CHECK(after_of(created, "new.py") == "x = 1\n");
    auto blank = plan_text("blank.txt", "", "\n");  // one blank line is the whole text
    CHECK(after_of(blank, "blank.txt") == "\n");
  }
}
