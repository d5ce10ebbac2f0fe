// Hardening regressions, at the library level: each case is a bug found by
// the fuzzers (tests/fuzz), the soak (tests/soak) or the edge-input tests,
// pinned down where it was fixed. tests/fuzz/README.md lists them.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>

#include "edit/parse.hpp"
#include "edit/plan.hpp"
#include "json/value.hpp"
#include "support/memory_source.hpp"

using namespace ds::edit;
using ds::test::MemorySource;

namespace {

std::string block(const std::string& path_line, const std::string& search, const std::string& replace) {
  return path_line + "\n```python\n<<<<<<< SEARCH\n" + search + "=======\n" + replace +
         ">>>>>>> REPLACE\n```\n";
}

}  // namespace

// Found by the soak: a new file "extra/new modé.py" written bare (as the
// prompt asks) was refused as a path because of its space, so its block
// went to the previous block's file and appended there.
TEST_CASE("regression: a bare path with spaces names its block's file, not the previous one") {
  std::string reply = block("calc.py", "x\n", "y\n") + "\n" +
                      block("extra/new mod\xc3\xa9.py", "", "X = 1\n") +
                      block("docs/read me.md", "a\n", "b\n") + block("my notes.txt", "c\n", "d\n");
  ParsedEdits e = parse_search_replace(reply);
  REQUIRE(e.errors.empty());
  REQUIRE(e.blocks.size() == 4);
  CHECK(e.blocks[0].path == "calc.py");
  CHECK(e.blocks[1].path == "extra/new mod\xc3\xa9.py");
  CHECK(e.blocks[2].path == "docs/read me.md");
  CHECK(e.blocks[3].path == "my notes.txt");
}

TEST_CASE("regression: commentary with spaces before a fence is still not a path") {
  for (const char* line : {"Here is the fix for calc.py", "Now update calc.py:",
                           "Then edit the helper in utils.py too", "See the change below", "Fix it."}) {
    INFO(line);
    std::string reply = block("calc.py", "x\n", "y\n") + line +
                        "\n```python\n<<<<<<< SEARCH\na\n=======\nb\n"
                        ">>>>>>> REPLACE\n```\n";
    ParsedEdits e = parse_search_replace(reply);
    REQUIRE(e.blocks.size() == 2);
    CHECK(e.blocks[1].path == "calc.py");  // reuses the previous path, as before
  }
}

// Found by the edge-input tests: 10,000 failing blocks took 16 s (a closest-
// region scan per block) and produced a 5.8 MB report for the model.
TEST_CASE("regression: a reply with many failing blocks gets a bounded report, diagnosed only where shown") {
  MemorySource src;
  std::string file;
  for (int i = 0; i < 500; ++i) file += "line_" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  src.files["m.py"] = file;
  std::string reply = "m.py\n```\n";
  for (int i = 0; i < 100; ++i) {
    std::string n = std::to_string(i);
    if (i % 10 == 0)  // every tenth block applies
      reply += "<<<<<<< SEARCH\nline_" + n + " = " + n + "\n=======\nline_" + n + " = -1\n>>>>>>> REPLACE\n";
    else
      reply += "<<<<<<< SEARCH\nline_" + n + " = nope\n=======\nx\n>>>>>>> REPLACE\n";
  }
  reply += "```\n";
  EditPlan plan = plan_edits(parse_search_replace(reply), src);
  REQUIRE(plan.results.size() == 100);
  REQUIRE(plan.failed() == 90);
  std::string report = plan.failure_report();
  CHECK(report.rfind("90 of 100 edit blocks failed.", 0) == 0);
  CHECK(report.find("block(s) 1, 11, 21, 31, 41, 51, 61, 71, 81, 91.") != std::string::npos);
  CHECK(report.find("resend only the failed block(s) 2-10, 12-20,") != std::string::npos);
  size_t explained = 0;
  for (size_t at = 0; (at = report.find("\n\nBlock ", at)) != std::string::npos; ++at) ++explained;
  CHECK(explained == kDetailedFailures);
  CHECK(report.find("70 more failed block(s) are not explained here") != std::string::npos);
  CHECK(report.size() < 16 * 1024);
  // The closest region was computed for the failures the report shows only.
  size_t diagnosed = 0;
  for (const auto& r : plan.results)
    if (!r.applied && !r.closest.empty()) ++diagnosed;
  CHECK(diagnosed == kDetailedFailures);
  CHECK(plan.results[1].closest.find("line_1 = 1") != std::string::npos);
}

TEST_CASE("regression: small failure reports keep their exact form") {
  MemorySource src;
  src.files["a.py"] = "a = 1\nb = 2\n";
  std::string reply = block("a.py", "a = 1\n", "a = 10\n") + block("a.py", "zzz\n", "y\n");
  EditPlan plan = plan_edits(parse_search_replace(reply), src);
  std::string report = plan.failure_report();
  CHECK(report.rfind(
            "1 of 2 edit blocks failed. Applied, and now in the files: block(s) 1 (a.py). Do not resend "
            "those; resend only the failed block(s) 2, corrected",
            0) == 0);
  CHECK(report.find("not explained here") == std::string::npos);
}

// Found by the edge-input tests: a NUL byte in REPLACE reached libgit2, whose
// result failed the byte-for-byte check ("it holds 33 bytes instead of the
// 33 expected"): safe, but a message the model cannot act on.
TEST_CASE("regression: a NUL byte in new text is refused with a reason, in both formats") {
  MemorySource src;
  src.files["a.py"] = "a = 1\n";
  std::string nul_replace("a = \0\n", 6);
  EditPlan plan = plan_edits(parse_search_replace(block("a.py", "a = 1\n", nul_replace)), src);
  REQUIRE(plan.results.size() == 1);
  CHECK_FALSE(plan.results[0].applied);
  CHECK(plan.results[0].error.find("Block 1 (a.py): the REPLACE text holds a NUL byte") == 0);
  CHECK(plan.changes.empty());

  std::string patch = "*** Begin Patch\n*** Update File: a.py\n@@\n-a = 1\n+a = ";
  patch += '\0';
  patch += "\n*** End Patch\n";
  plan = plan_edits(parse_v4a(patch), src);
  REQUIRE(plan.results.size() == 1);
  CHECK_FALSE(plan.results[0].applied);
  CHECK(plan.results[0].error.find("holds a NUL byte") != std::string::npos);
  CHECK(plan.changes.empty());
}

// Found by the edge-input tests: an unpaired UTF-16 surrogate escape in a
// streamed event made simdjson refuse the event, so every retry of the
// request failed the same way and the run ended with exit 3.
TEST_CASE("regression: lone surrogate escapes read as U+FFFD, pairs and escaped backslashes are untouched") {
  auto v = ds::json::parse(
      R"({"a":"x\ud800y","b":"\udfff","c":"\ud83d\ude00","d":"\\ud800","e":"\ud800\ud800\udc00"})");
  REQUIRE(v.ok());
  CHECK((*v)["a"].as_string() == "x\xEF\xBF\xBDy");
  CHECK((*v)["b"].as_string() == "\xEF\xBF\xBD");
  CHECK((*v)["c"].as_string() == "\xF0\x9F\x98\x80");
  CHECK((*v)["d"].as_string() == "\\ud800");
  CHECK((*v)["e"].as_string() == "\xEF\xBF\xBD\xF0\x90\x80\x80");
  // Other string errors are still errors.
  CHECK_FALSE(ds::json::parse(R"({"a":"\u12"})").ok());
  CHECK_FALSE(ds::json::parse(R"({"a":"\q"})").ok());
}

// Found by fuzz_json (input "-0.0"): -0.0 was written as "-0", which reads
// back as the integer 0, so dump(parse(dump(v))) differed from dump(v).
TEST_CASE("regression: negative zero survives a JSON round trip") {
  CHECK(ds::json::dump(ds::json::Value(-0.0)) == "-0.0");
  auto v = ds::json::parse("[-0.0, 0.0, -0, 1.5]");
  REQUIRE(v.ok());
  std::string once = ds::json::dump(*v);
  auto back = ds::json::parse(once);
  REQUIRE(back.ok());
  CHECK(ds::json::dump(*back) == once);
  CHECK(once.rfind("[-0.0,", 0) == 0);
  CHECK(std::signbit((*back).at(0).as_double()));
}
