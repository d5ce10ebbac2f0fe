// SEARCH/REPLACE markers found in real model replies (issue 15): a block's
// markers count only at the indentation of its `<<<<<<< SEARCH` line, so an
// indented docstring underline is text; a block is never applied in part;
// SEARCH and REPLACE keep their trailing blank lines exactly as written, as
// Aider's parser does (the locator, not the parser, is lenient about them).
#include <catch2/catch.hpp>
#include <string>

#include "edit/search_replace_parser.hpp"

using ds::edit::parse_search_replace;
using ds::edit::ParsedEdits;

TEST_CASE("sr markers: an indented ======= docstring underline in SEARCH and REPLACE is text") {
  ParsedEdits r = parse_search_replace(
      "lib/stats.py\n"
      "```python\n"
      "<<<<<<< SEARCH\n"
      "    Returns\n"
      "    =======\n"
      "    float\n"
      "        The mean.\n"
      "=======\n"
      "    Returns\n"
      "    =======\n"
      "    float\n"
      "        The arithmetic mean.\n"
      ">>>>>>> REPLACE\n"
      "```\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].search == "    Returns\n    =======\n    float\n        The mean.\n");
  CHECK(r.blocks[0].replace == "    Returns\n    =======\n    float\n        The arithmetic mean.\n");
}

TEST_CASE("sr markers: an 8-character underline ======== indented inside the texts is text too") {
  ParsedEdits r = parse_search_replace(
      "doc.py\n<<<<<<< SEARCH\n    Notes\n    ========\n    old\n=======\n    Notes\n    ========\n    new\n"
      ">>>>>>> REPLACE\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].search == "    Notes\n    ========\n    old\n");
  CHECK(r.blocks[0].replace == "    Notes\n    ========\n    new\n");
}

TEST_CASE("sr markers: a block indented as a whole uses its own indentation for every marker") {
  ParsedEdits r = parse_search_replace(
      "1. In `a.txt`:\n"
      "   a.txt\n"
      "   ```\n"
      "   <<<<<<< SEARCH\n"
      "one\n"
      "=======\n"  // not at the block's indentation: text
      "   =======\n"
      "two\n"
      "   >>>>>>> REPLACE\n"
      "   ```\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].path == "a.txt");
  CHECK(r.blocks[0].search == "one\n=======\n");
  CHECK(r.blocks[0].replace == "two\n");
}

TEST_CASE("sr markers: a block whose text ends before its REPLACE marker yields no block") {
  ParsedEdits r = parse_search_replace(
      "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n    >>>>>>> REPLACE\n");  // indented: text
  CHECK(r.blocks.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].error.find("ended before '>>>>>>> REPLACE'") != std::string::npos);
}

TEST_CASE("sr markers: trailing blank lines of SEARCH and REPLACE are kept as written") {
  ParsedEdits r = parse_search_replace(
      "a.py\n<<<<<<< SEARCH\ndef f():\n    pass\n\n=======\ndef f():\n    return 1\n   \n>>>>>>> REPLACE\n"
      "b.py\n<<<<<<< SEARCH\n=======\ndef g():\n    pass\n\n>>>>>>> REPLACE\n"
      "c.py\n<<<<<<< SEARCH\nimport os\n=======\nimport os\nimport sys\n\n>>>>>>> REPLACE\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 3);
  CHECK(r.blocks[0].search == "def f():\n    pass\n\n");
  CHECK(r.blocks[0].replace == "def f():\n    return 1\n   \n");
  CHECK(r.blocks[1].search.empty());
  CHECK(r.blocks[1].replace == "def g():\n    pass\n\n");
  CHECK(r.blocks[2].search == "import os\n");
  CHECK(r.blocks[2].replace == "import os\nimport sys\n\n");  // the model's blank line
}

TEST_CASE("sr markers: SEARCH keeps its blank last line when REPLACE has none (deleting blank lines)") {
  ParsedEdits r = parse_search_replace(
      "a.py\n<<<<<<< SEARCH\ndef old():\n    pass\n\n\n=======\n>>>>>>> REPLACE\n"
      "b.py\n<<<<<<< SEARCH\nx = 1\n\n=======\nx = 2\n>>>>>>> REPLACE\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 2);
  CHECK(r.blocks[0].search == "def old():\n    pass\n\n\n");
  CHECK(r.blocks[0].replace.empty());
  CHECK(r.blocks[1].search == "x = 1\n\n");
  CHECK(r.blocks[1].replace == "x = 2\n");
}

TEST_CASE("sr markers: a one-line blank section keeps its line (an empty SEARCH would append)") {
  ParsedEdits r = parse_search_replace("a.txt\n<<<<<<< SEARCH\n\n=======\n\n>>>>>>> REPLACE\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].search == "\n");
  CHECK(r.blocks[0].replace == "\n");
}
