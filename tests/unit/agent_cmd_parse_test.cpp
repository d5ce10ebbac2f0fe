// `diffsmith parse` as a function: input from a stream and from real files,
// the JSON document it prints (read back with ds::json::parse), the readable
// listing, and its exit codes.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "agent/cli/parse.hpp"
#include "json/value.hpp"
#include "support/temp_dir.hpp"

using ds::agent::ParseCommandOptions;
using ds::agent::run_parse_command;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(const ParseCommandOptions& o, const std::string& stdin_text) {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  int code = run_parse_command(o, in, out, err);
  return Run{code, out.str(), err.str()};
}

ds::json::Value run_json(const std::string& text, int expect_code, std::string format = "auto") {
  ParseCommandOptions o;
  o.json = true;
  o.format = std::move(format);
  Run r = run(o, text);
  CHECK(r.code == expect_code);
  CHECK(r.err.empty());
  REQUIRE(!r.out.empty());
  CHECK(r.out.back() == '\n');
  CHECK(r.out.find('\n') == r.out.size() - 1);  // one line, one object
  auto v = ds::json::parse(r.out);
  REQUIRE(v.ok());
  return *v;
}

}  // namespace

TEST_CASE("parse command: SEARCH/REPLACE blocks and a malformed one as JSON") {
  ds::json::Value v = run_json(
      "src/a.py\r\n```python\r\n<<<<<<< SEARCH\r\nx = 1\r\n=======\r\nx = 2\r\n>>>>>>> REPLACE\r\n"
      "```\r\n"
      "src/b.py\n```\n<<<<<<< SEARCH\ny\n```\n",
      1);
  CHECK(v["format"].as_string() == "search-replace");
  CHECK(v["errors"].as_int() == 1);
  REQUIRE(v["blocks"].size() == 2);
  const ds::json::Value& b = v["blocks"].at(0);
  CHECK(b["index"].as_int() == 1);
  CHECK(b["line"].as_int() == 3);
  CHECK(b["path"].as_string() == "src/a.py");
  CHECK(b["search"].as_string() == "x = 1\n");
  CHECK(b["replace"].as_string() == "x = 2\n");
  const ds::json::Value& e = v["blocks"].at(1);
  CHECK(e["index"].as_int() == 2);
  CHECK(e["line"].as_int() == 13);
  CHECK(e["error"].as_string().find("'======='") != std::string::npos);
  CHECK_FALSE(e.has("path"));
  // key order is part of the contract
  CHECK(ds::json::dump(b).rfind("{\"index\":1,\"line\":3,\"path\":", 0) == 0);
}

TEST_CASE("parse command: V4A ops as JSON, with chunks, move_to and content") {
  ds::json::Value v = run_json(
      "apply_patch <<'EOF'\n"
      "*** Begin Patch\n"
      "*** Update File: a.txt\n"
      "*** Move to: b.txt\n"
      "@@ class A\n"
      "@@ def f\n"
      " keep\n"
      "-old\n"
      "+new\n"
      "*** End of File\n"
      "*** Add File: n.txt\n"
      "+hello\n"
      "*** Delete File: d.txt\n"
      "*** End Patch\n"
      "EOF\n",
      0);
  CHECK(v["format"].as_string() == "patch");
  CHECK(v["errors"].as_int() == 0);
  REQUIRE(v["blocks"].size() == 3);
  const ds::json::Value& up = v["blocks"].at(0);
  CHECK(up["index"].as_int() == 1);
  CHECK(up["line"].as_int() == 3);
  CHECK(up["op"].as_string() == "update");
  CHECK(up["path"].as_string() == "a.txt");
  CHECK(up["move_to"].as_string() == "b.txt");
  CHECK_FALSE(up.has("content"));
  REQUIRE(up["chunks"].size() == 1);
  const ds::json::Value& c = up["chunks"].at(0);
  CHECK(c["line"].as_int() == 5);
  CHECK(ds::json::dump(c["scopes"]) == "[\"class A\",\"def f\"]");
  CHECK(ds::json::dump(c["lines"]) == "[\" keep\",\"-old\",\"+new\"]");
  CHECK(c["end_of_file"].as_bool() == true);

  const ds::json::Value& add = v["blocks"].at(1);
  CHECK(add["op"].as_string() == "add");
  CHECK(add["move_to"].is_null());
  CHECK(add["content"].as_string() == "hello\n");
  CHECK(add["chunks"].size() == 0);
  CHECK(v["blocks"].at(2)["op"].as_string() == "delete");
  CHECK(v["blocks"].at(2)["path"].as_string() == "d.txt");
}

TEST_CASE("parse command: zero blocks is success, --format forces a parser") {
  ds::json::Value none = run_json("Just an explanation, no edits.\n", 0);
  CHECK(none["format"].as_string() == "search-replace");
  CHECK(none["blocks"].size() == 0);
  CHECK(none["errors"].as_int() == 0);

  ds::json::Value forced = run_json("Just an explanation, no edits.\n", 1, "patch");
  CHECK(forced["format"].as_string() == "patch");
  REQUIRE(forced["blocks"].size() == 1);
  CHECK(forced["blocks"].at(0).has("error"));
}

TEST_CASE("parse command: readable listing") {
  ParseCommandOptions o;
  Run r = run(o,
              "src/a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\ny = 3\n>>>>>>> REPLACE\n"
              "<<<<<<< SEARCH\nz\n>>>>>>> REPLACE\n");
  CHECK(r.code == 1);
  CHECK(r.err.empty());
  CHECK(r.out.find("search-replace: 1 block, 1 malformed\n") == 0);
  CHECK(r.out.find("[1] line 2  src/a.py\n") != std::string::npos);
  CHECK(r.out.find("    SEARCH (1 lines)\n    | x = 1\n") != std::string::npos);
  CHECK(r.out.find("    REPLACE (2 lines)\n    | x = 2\n    | y = 3\n") != std::string::npos);
  CHECK(r.out.find("[2] error: line 10: expected '=======' between") != std::string::npos);

  Run p = run(o, "*** Begin Patch\n*** Update File: m.c\n@@ int main()\n-a\n+b\n*** End Patch\n");
  CHECK(p.code == 0);
  CHECK(p.out.find("patch: 1 block, 0 malformed\n") == 0);
  CHECK(p.out.find("[1] line 2  update m.c\n    @@ int main()\n    -a\n    +b\n") != std::string::npos);
}

TEST_CASE("parse command: input from a real file") {
  ds::test::TempDir dir("ds-parse-");
  std::filesystem::path file = std::filesystem::path(dir.path) / "reply.md";
  {
    std::ofstream f(file, std::ios::binary);
    f << "*** Begin Patch\n*** Delete File: gone.txt\n*** End Patch\n";
  }
  ParseCommandOptions o;
  o.input = file.string();
  o.json = true;
  std::istringstream ignored("a.py\n<<<<<<< SEARCH\n");
  std::ostringstream out, err;
  CHECK(run_parse_command(o, ignored, out, err) == 0);
  auto v = ds::json::parse(out.str());
  REQUIRE(v.ok());
  CHECK((*v)["blocks"].at(0)["path"].as_string() == "gone.txt");
}

TEST_CASE("parse command: usage errors exit 2 and say what to do") {
  ds::test::TempDir dir("ds-parse-");
  ParseCommandOptions missing;
  missing.input = (std::filesystem::path(dir.path) / "nope.txt").string();
  Run r = run(missing, "");
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("cannot read '" + missing.input + "'") != std::string::npos);
  CHECK(r.err.find("No such file") != std::string::npos);

  ParseCommandOptions directory;
  directory.input = dir.path;
  Run d = run(directory, "");
  CHECK(d.code == 2);
  CHECK(d.err.find(dir.path) != std::string::npos);

  ParseCommandOptions bad;
  bad.format = "unified";
  Run b = run(bad, "");
  CHECK(b.code == 2);
  CHECK(b.err.find("unknown --format 'unified'") != std::string::npos);
  CHECK(b.err.find("auto, search-replace or patch") != std::string::npos);
}
