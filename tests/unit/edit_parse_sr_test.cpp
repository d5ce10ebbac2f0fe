// SEARCH/REPLACE parser: the lenient rules of edit-formats.md section 1, the
// exact search/replace texts, and how malformed blocks are reported.
#include <catch2/catch.hpp>
#include <string>

#include "edit/search_replace_parser.hpp"

using ds::edit::parse_search_replace;
using ds::edit::ParsedEdits;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// One block with path, search and replace; used by the table-driven cases.
std::string one_block(const std::string& before_head) {
  return before_head + "<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n```\n";
}

}  // namespace

TEST_CASE("sr: the canonical block gives path and exact texts") {
  ParsedEdits r = parse_search_replace(
      "Here is the fix.\n"
      "\n"
      "src/app.py\n"
      "```python\n"
      "<<<<<<< SEARCH\n"
      "def run():\n"
      "    return 1\n"
      "=======\n"
      "def run():\n"
      "    return 2\n"
      ">>>>>>> REPLACE\n"
      "```\n"
      "That is all.\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.format == ds::edit::Format::SearchReplace);
  CHECK(r.blocks[0].index == 1);
  CHECK(r.blocks[0].line == 5);
  CHECK(r.blocks[0].path == "src/app.py");
  CHECK(r.blocks[0].search == "def run():\n    return 1\n");
  CHECK(r.blocks[0].replace == "def run():\n    return 2\n");
}

TEST_CASE("sr: markers take 5 to 9 characters, trailing spaces and any case") {
  ParsedEdits r = parse_search_replace(
      "a.txt\n"
      "<<<<< SEARCH   \n"
      "x\n"
      "=========  \n"
      "y\n"
      ">>>>>>>>> REPLACE \t\n"
      "b.txt\n"
      "  <<<<<<< search\n"
      "p\n"
      "  =======\n"
      "q\n"
      "  >>>>>>> replace\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].path == "a.txt");
  CHECK(r.blocks[0].search == "x\n");
  CHECK(r.blocks[0].replace == "y\n");
  CHECK(r.blocks[1].path == "b.txt");
  CHECK(r.blocks[1].search == "p\n");
  CHECK(r.blocks[1].replace == "q\n");
}

TEST_CASE("sr: 4 or 10 marker characters are not markers") {
  ParsedEdits four = parse_search_replace("a.txt\n<<<< SEARCH\nx\n====\ny\n>>>> REPLACE\n");
  CHECK(four.blocks.empty());
  CHECK(four.errors.empty());  // nothing that looks like a block: plain text
  ParsedEdits ten = parse_search_replace("a.txt\n<<<<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n");
  CHECK(ten.blocks.empty());
  REQUIRE(ten.errors.size() == 1);  // a REPLACE marker with no block open
  CHECK(ten.errors[0].line == 6);
  CHECK(contains(ten.errors[0].error, "'>>>>>>> REPLACE'"));
  CHECK(contains(ten.errors[0].error, "<<<<<<< SEARCH"));
}

TEST_CASE("sr: path placements and decorations") {
  struct Case {
    const char* text;
    const char* path;
  };
  const Case cases[] = {
      {"src/app.py\n```python\n", "src/app.py"},
      {"src/app.py\n\n```python\n", "src/app.py"},
      {"```src/app.py\n", "src/app.py"},
      {"```python src/app.py\n", "src/app.py"},
      {"```python:src/app.py\n", "src/app.py"},
      {"```python\nsrc/app.py\n", "src/app.py"},
      {"```\nsrc/app.py\n", "src/app.py"},
      {"`src/app.py`\n```python\n", "src/app.py"},
      {"**src/app.py**\n```python\n", "src/app.py"},
      {"**src/app.py**:\n```python\n", "src/app.py"},
      {"**`src/app.py`**\n```python\n", "src/app.py"},
      {"# src/app.py\n```python\n", "src/app.py"},
      {"### `src/app.py`\n```python\n", "src/app.py"},
      {"src/app.py:\n```python\n", "src/app.py"},
      {"`src/app.py`:\n```python\n", "src/app.py"},
      {"File: src/app.py\n```python\n", "src/app.py"},
      {"**File:** `src/app.py`\n```python\n", "src/app.py"},
      {"Filename: src/app.py\n```python\n", "src/app.py"},
      {"```python\n# file: src/app.py\n", "src/app.py"},
      {"```js\n// src/app.js\n", "src/app.js"},
      {"src/new.py (new file)\n```python\n", "src/new.py"},
      {"`docs/my notes.md`\n```\n", "docs/my notes.md"},
      {"Makefile\n```make\n", "Makefile"},
      {"Dockerfile:\n```dockerfile\n", "Dockerfile"},
      {".github/workflows/ci.yml\n````yaml\n", ".github/workflows/ci.yml"},
      {"app/(auth)/page.tsx\n```tsx\n", "app/(auth)/page.tsx"},
      {"src/app.py\nHere is the change:\n```python\n", "src/app.py"},
      {"src/app.py\n```python\n# Replace the loop\n", "src/app.py"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    ParsedEdits r = parse_search_replace(one_block(c.text));
    REQUIRE(r.errors.empty());
    REQUIRE(r.blocks.size() == 1);
    CHECK(r.blocks[0].path == c.path);
    CHECK(r.blocks[0].search == "old\n");
    CHECK(r.blocks[0].replace == "new\n");
  }
}

TEST_CASE("sr: commentary, `...` and language tags are never paths") {
  const char* texts[] = {
      "I'll update src/app.py to fix the bug:\n```python\n",
      "In `src/app.py`, change the loop:\n```python\n",
      "...\n```python\n",
      "```python\n...\n",
      "```python\n",
      "```c++\n",
      "Done.\n```python\n",
      "Explanation:\n```\n",
      "foo.bar()\n```python\n",
      "See https://example.com/x.py\n```\n",
  };
  for (const char* t : texts) {
    INFO(t);
    ParsedEdits r = parse_search_replace(one_block(t));
    CHECK(r.blocks.empty());
    REQUIRE(r.errors.size() == 1);
    CHECK(contains(r.errors[0].error, "no file path"));
  }
}

TEST_CASE("sr: a block with no path quotes the nearest line and says what is expected") {
  ParsedEdits r = parse_search_replace(
      "Update the config loader as follows:\n"
      "```python\n"
      "<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n"
      "```\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 1);
  CHECK(r.errors[0].line == 3);
  CHECK(contains(r.errors[0].error, "line 3:"));
  CHECK(contains(r.errors[0].error, "'```python'"));
  CHECK(contains(r.errors[0].error, "file path alone on the line before the opening fence"));
}

TEST_CASE("sr: tag fences <source> <code> <pre> <codeblock> <sourcecode>") {
  const char* opens[] = {"<source>",     "<code>",         "<pre>",   "<codeblock>",
                         "<sourcecode>", "<source>python", "<SOURCE>"};
  for (const char* open : opens) {
    std::string tag = open;
    std::string name = tag.substr(1, tag.find('>') - 1);
    std::string text = "lib/util.rb\n" + tag + "\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n</" + name +
                       ">\nnext.rb\n" + tag + "\n<<<<<<< SEARCH\nc\n=======\nd\n" + ">>>>>>> REPLACE\n</" +
                       name + ">\n";
    INFO(text);
    ParsedEdits r = parse_search_replace(text);
    REQUIRE(r.errors.empty());
    REQUIRE(r.blocks.size() == 2);
    CHECK(r.blocks[0].path == "lib/util.rb");
    CHECK(r.blocks[1].path == "next.rb");
    CHECK(r.blocks[1].search == "c\n");
  }
  ParsedEdits in_tag =
      parse_search_replace("<source>lib/x.rb\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n</source>\n");
  REQUIRE(in_tag.blocks.size() == 1);
  CHECK(in_tag.blocks[0].path == "lib/x.rb");
}

TEST_CASE("sr: blocks without any fence") {
  ParsedEdits r = parse_search_replace(
      "First:\n"
      "src/a.c\n"
      "<<<<<<< SEARCH\n"
      "int a;\n"
      "=======\n"
      "long a;\n"
      ">>>>>>> REPLACE\n"
      "\n"
      "Then:\n"
      "src/b.c\n"
      "<<<<<<< SEARCH\n"
      "int b;\n"
      "=======\n"
      "long b;\n"
      ">>>>>>> REPLACE");  // no final newline
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].path == "src/a.c");
  CHECK(r.blocks[1].path == "src/b.c");
  CHECK(r.blocks[1].line == 11);
  CHECK(r.blocks[1].replace == "long b;\n");
}

TEST_CASE("sr: several blocks share one fence, a path inside switches files") {
  ParsedEdits r = parse_search_replace(
      "src/a.py\n"
      "```python\n"
      "<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n"
      "<<<<<<< SEARCH\ny = 1\n=======\ny = 2\n>>>>>>> REPLACE\n"
      "\n"
      "src/b.py\n"
      "<<<<<<< SEARCH\nz = 1\n=======\nz = 2\n>>>>>>> REPLACE\n"
      "```\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 3);
  CHECK(r.blocks[0].path == "src/a.py");
  CHECK(r.blocks[1].path == "src/a.py");
  CHECK(r.blocks[2].path == "src/b.py");
  CHECK(r.blocks[1].search == "y = 1\n");
  CHECK(r.blocks[2].replace == "z = 2\n");
  CHECK(r.blocks[0].index == 1);
  CHECK(r.blocks[1].index == 2);
  CHECK(r.blocks[2].index == 3);
}

TEST_CASE("sr: a block with no path of its own reuses the previous block's path") {
  ParsedEdits r = parse_search_replace(
      "src/a.py\n```python\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n"
      "\nNow the second change in the same file:\n\n"
      "```python\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n```\n"
      "...\n```python\n<<<<<<< SEARCH\ne\n=======\nf\n>>>>>>> REPLACE\n```\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 3);
  CHECK(r.blocks[1].path == "src/a.py");
  CHECK(r.blocks[2].path == "src/a.py");
  CHECK(r.blocks[2].search == "e\n");
}

TEST_CASE("sr: a closing fence of an earlier snippet is not crossed to find a path") {
  ParsedEdits r = parse_search_replace(
      "Run it with:\n"
      "```\n"
      "tests/run.py\n"
      "```\n"
      "<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n");
  CHECK(r.blocks.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(contains(r.errors[0].error, "no file path"));
}

TEST_CASE("sr: REPLACE may end at a repeated ======= divider") {
  ParsedEdits r = parse_search_replace(
      "a.txt\n"
      "<<<<<<< SEARCH\none\n=======\ntwo\n=======\n"
      "b.txt\n"
      "<<<<<<< SEARCH\nthree\n=======\nfour\n=======\n>>>>>>> REPLACE\n"
      "c.txt\n"
      "<<<<<<< SEARCH\nfive\n=======\nsix\n=======");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 3);
  CHECK(r.blocks[0].path == "a.txt");
  CHECK(r.blocks[0].replace == "two\n");
  CHECK(r.blocks[1].path == "b.txt");
  CHECK(r.blocks[1].replace == "four\n");  // the REPLACE marker right after is swallowed
  CHECK(r.blocks[2].path == "c.txt");
  CHECK(r.blocks[2].replace == "six\n");
}

TEST_CASE("sr: a ======= inside REPLACE followed by more text and REPLACE is reported") {
  ParsedEdits r = parse_search_replace(
      "docs/index.rst\n"
      "```rst\n"
      "<<<<<<< SEARCH\nTitle\n=======\nNew title\n=======\nmore text\n>>>>>>> REPLACE\n"
      "```\n"
      "docs/other.rst\n"
      "```rst\n"
      "<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n"
      "```\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 1);
  CHECK(r.errors[0].line == 7);
  CHECK(contains(r.errors[0].error, "second '======='"));
  CHECK(contains(r.errors[0].error, "line 9"));
  CHECK(contains(r.errors[0].error, "docs/index.rst"));
  REQUIRE(r.blocks.size() == 1);  // the next block still counts
  CHECK(r.blocks[0].index == 2);
  CHECK(r.blocks[0].path == "docs/other.rst");
}

TEST_CASE("sr: a divider-closed block followed by text up to a REPLACE marker is not applied in part") {
  // Either the block's SEARCH/REPLACE held a '=======' line (an RST
  // underline) or the next block lost its SEARCH marker: no guess, the block
  // is reported and none of it applies.
  ParsedEdits r = parse_search_replace(
      "a.txt\n<<<<<<< SEARCH\none\n=======\ntwo\n=======\n"
      "b.txt\nthree\n=======\nfour\n>>>>>>> REPLACE\n");
  CHECK(r.blocks.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 6);
  CHECK(r.errors[0].index == 1);
  CHECK(contains(r.errors[0].error, "second '======='"));
  CHECK(contains(r.errors[0].error, "line 11"));
}

TEST_CASE("sr: a repeated REPLACE marker right after a block is harmless") {
  ParsedEdits r =
      parse_search_replace("a.txt\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n\n>>>>>>> REPLACE\n");
  CHECK(r.errors.empty());
  CHECK(r.blocks.size() == 1);
}

TEST_CASE("sr: empty SEARCH, empty REPLACE, blank lines kept exactly") {
  ParsedEdits r = parse_search_replace(
      "new/dir/file.txt\n```\n<<<<<<< SEARCH\n=======\nhello\n\nworld\n>>>>>>> REPLACE\n```\n"
      "old.txt\n```\n<<<<<<< SEARCH\n\n  indented  \n\n=======\n>>>>>>> REPLACE\n```\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].search.empty());
  CHECK(r.blocks[0].replace == "hello\n\nworld\n");
  CHECK(r.blocks[1].search == "\n  indented  \n\n");
  CHECK(r.blocks[1].replace.empty());
}

TEST_CASE("sr: CRLF input gives LF texts with every line ending in newline") {
  ParsedEdits r = parse_search_replace(
      "src\\win.cs\r\n```csharp\r\n<<<<<<< SEARCH\r\nint a;\r\nint b;\r\n=======\r\n"
      "int c;\r\n>>>>>>> REPLACE\r\n```\r\n"
      "src/x.cs\r\n<<<<<<< SEARCH\r\nq\r\n=======\r\nr\r\n>>>>>>> REPLACE");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].path == "src\\win.cs");
  CHECK(r.blocks[0].search == "int a;\nint b;\n");
  CHECK(r.blocks[0].replace == "int c;\n");
  CHECK(r.blocks[1].path == "src/x.cs");
  CHECK(r.blocks[1].replace == "r\n");
}

TEST_CASE("sr: code fences inside the texts of a Markdown file stay text") {
  ParsedEdits r = parse_search_replace(
      "README.md\n"
      "````markdown\n"
      "<<<<<<< SEARCH\n"
      "## Usage\n"
      "```sh\n"
      "make\n"
      "```\n"
      "=======\n"
      "## Usage\n"
      "```sh\n"
      "make && make install\n"
      "```\n"
      ">>>>>>> REPLACE\n"
      "````\n"
      "\n"
      "docs/guide.md\n"
      "````markdown\n"
      "<<<<<<< SEARCH\n"
      "```\n"
      "=======\n"
      "```text\n"
      ">>>>>>> REPLACE\n"
      "````\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].path == "README.md");
  CHECK(r.blocks[0].search == "## Usage\n```sh\nmake\n```\n");
  CHECK(r.blocks[0].replace == "## Usage\n```sh\nmake && make install\n```\n");
  CHECK(r.blocks[1].path == "docs/guide.md");
  CHECK(r.blocks[1].search == "```\n");
  CHECK(r.blocks[1].replace == "```text\n");
}

TEST_CASE("sr: the model uses ``` where ```` was asked, and prose names files") {
  ParsedEdits r = parse_search_replace(
      "To fix the failing test in tests/test_util.py, `parse_date` in utils/dates.py must\n"
      "accept ISO strings. I'll update utils/dates.py:\n"
      "\n"
      "utils/dates.py\n"
      "```python\n"
      "<<<<<<< SEARCH\n"
      "    return datetime.strptime(s, \"%Y-%m-%d\")\n"
      "=======\n"
      "    return datetime.fromisoformat(s)\n"
      ">>>>>>> REPLACE\n"
      "```\n"
      "\n"
      "This keeps the old format working because fromisoformat accepts it.\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].path == "utils/dates.py");
  CHECK(r.blocks[0].search == "    return datetime.strptime(s, \"%Y-%m-%d\")\n");
}

TEST_CASE("sr: commentary alone is no block and no error") {
  ParsedEdits r = parse_search_replace(
      "I looked at src/app.py and the tests.\n```python\nprint('hi')\n```\n=======\nDone.\n");
  CHECK(r.blocks.empty());
  CHECK(r.errors.empty());
  CHECK(parse_search_replace("").item_count() == 0);
}

TEST_CASE("sr: missing ======= at the end of the text, earlier blocks still count") {
  ParsedEdits r = parse_search_replace(
      "a.py\n```\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n"
      "b.py\n```\n<<<<<<< SEARCH\nc\nd\n");
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].path == "a.py");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 2);
  CHECK(r.errors[0].line == 13);
  CHECK(contains(r.errors[0].error, "line 13:"));
  CHECK(contains(r.errors[0].error, "'======='"));
  CHECK(contains(r.errors[0].error, "line 11"));
  CHECK(contains(r.errors[0].error, "b.py"));
}

TEST_CASE("sr: missing REPLACE marker at the end of the text") {
  ParsedEdits r = parse_search_replace("a.py\n<<<<<<< SEARCH\na\n=======\nb\n```\n");
  CHECK(r.blocks.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 6);
  CHECK(contains(r.errors[0].error, "'>>>>>>> REPLACE'"));
}

TEST_CASE("sr: a new SEARCH marker inside a block reports the broken block and parses the next") {
  ParsedEdits r = parse_search_replace(
      "a.py\n<<<<<<< SEARCH\na\n=======\nb\n"  // no REPLACE marker
      "b.py\n<<<<<<< SEARCH\nc\n"              // no divider
      "c.py\n<<<<<<< SEARCH\ne\n=======\nf\n>>>>>>> REPLACE\n");
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].index == 1);
  CHECK(r.errors[0].line == 7);
  CHECK(contains(r.errors[0].error, "expected '>>>>>>> REPLACE'"));
  CHECK(contains(r.errors[0].error, "'<<<<<<< SEARCH'"));
  CHECK(r.errors[1].index == 2);
  CHECK(r.errors[1].line == 10);
  CHECK(contains(r.errors[1].error, "expected '======='"));
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].index == 3);
  CHECK(r.blocks[0].path == "c.py");
  CHECK(r.blocks[0].search == "e\n");
}

TEST_CASE("sr: REPLACE marker before the divider is reported, parsing goes on after it") {
  ParsedEdits r = parse_search_replace(
      "a.py\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n"
      "<<<<<<< SEARCH\nb\n=======\nc\n>>>>>>> REPLACE\n");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 4);
  CHECK(contains(r.errors[0].error, "found '>>>>>>> REPLACE' first"));
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].path == "a.py");  // the broken block's path still carries over
  CHECK(r.blocks[0].search == "b\n");
}

TEST_CASE("sr: a very long offending line is quoted shortened") {
  std::string text = std::string(500, 'x') + " y\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n";
  ParsedEdits r = parse_search_replace(text);
  REQUIRE(r.errors.size() == 1);
  CHECK(contains(r.errors[0].error, "xxx...' (502 bytes)"));
  CHECK(r.errors[0].error.size() < 500);
}

TEST_CASE("sr: path_from_line on its own") {
  CHECK(ds::edit::path_from_line("  **src/app.py**  ") == "src/app.py");
  CHECK(ds::edit::path_from_line("src/app.py") == "src/app.py");
  CHECK(ds::edit::path_from_line("Makefile:") == "Makefile");
  CHECK(ds::edit::path_from_line("Changes").empty());
  CHECK(ds::edit::path_from_line("...").empty());
  CHECK(ds::edit::path_from_line("e.g.").empty());
  CHECK(ds::edit::path_from_line("- src/app.py").empty());
  CHECK(ds::edit::path_from_line("<<<<<<< SEARCH").empty());
  CHECK(ds::edit::path_from_line("the file src/app.py").empty());
}
