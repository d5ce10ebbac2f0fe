// The streamed-text filter of the human sink (agent/sinks/edit_stream) on
// long replies (issue 21, item 6): each line is handed to the edit parser a
// bounded number of times, however many blocks came before it, and each
// block is still announced with the file it edits.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "agent/sinks/edit_stream.hpp"

using ds::agent::EditStream;

namespace {

struct Streamed {
  size_t lines = 0;                // lines streamed
  std::vector<std::string> paths;  // announced edit paths, in order
  std::vector<std::string> prose;
};

// Streams `blocks` SEARCH/REPLACE blocks, each with a line of prose before
// it; every third block has no path line of its own (it reuses the previous
// block's path).
Streamed stream_blocks(EditStream& s, size_t blocks) {
  Streamed out;
  auto feed = [&](const std::string& line) {
    ++out.lines;
    for (auto& p : s.line(line)) (p.edit ? out.paths : out.prose).push_back(p.text);
  };
  for (size_t i = 0; i < blocks; ++i) {
    feed("Change " + std::to_string(i) + ":");
    if (i % 3 != 2) feed("src/f" + std::to_string(i % 7) + ".py");
    feed("```python");
    feed("<<<<<<< SEARCH");
    feed("x = " + std::to_string(i));
    feed("=======");
    feed("x = " + std::to_string(i + 1));
    feed(">>>>>>> REPLACE");
    feed("```");
  }
  for (auto& p : s.end()) (p.edit ? out.paths : out.prose).push_back(p.text);
  return out;
}

// The path block i is announced with.
std::string expected_path(size_t i) { return "src/f" + std::to_string((i % 3 == 2 ? i - 1 : i) % 7) + ".py"; }

}  // namespace

TEST_CASE("edit stream: 8000 blocks are parsed in linear work and each is announced with its file") {
  EditStream s;
  Streamed r = stream_blocks(s, 8000);
  REQUIRE(r.paths.size() == 8000);
  for (size_t i = 0; i < r.paths.size(); ++i) {
    INFO("block " << i);
    REQUIRE(r.paths[i] == expected_path(i));
  }
  CHECK(r.prose.size() == 8000);  // the "Change N:" lines, nothing of the blocks
  CHECK(r.prose.front() == "Change 0:");
  // Each block's parse reads the text since the previous block (a few lines),
  // never the whole reply: re-parsing from the start would be ~8,000 x 36,000 lines.
  INFO("lines streamed " << r.lines << ", lines parsed " << s.lines_parsed());
  CHECK(s.lines_parsed() <= 2 * r.lines);
}

TEST_CASE("edit stream: 200000 blocks cost 25 times the work of 8000 and not 625 times") {
  EditStream small, big;
  Streamed a = stream_blocks(small, 8000);
  Streamed b = stream_blocks(big, 200000);
  REQUIRE(b.paths.size() == 200000);
  CHECK(b.paths.back() == expected_path(199999));
  double ratio = static_cast<double>(big.lines_parsed()) / static_cast<double>(small.lines_parsed());
  INFO("parsed " << small.lines_parsed() << " then " << big.lines_parsed() << " lines");
  CHECK(ratio < 26.0);
  CHECK(big.lines_parsed() <= 2 * b.lines);
}

TEST_CASE("edit stream: a block without a path after a finished text does not reuse the old text's path") {
  EditStream s;
  for (const char* l : {"a.py", "<<<<<<< SEARCH", "x", "=======", "y", ">>>>>>> REPLACE"}) s.line(l);
  s.end();
  std::vector<std::string> paths;
  for (const char* l : {"Next:", "<<<<<<< SEARCH"})
    for (auto& p : s.line(l))
      if (p.edit) paths.push_back(p.text);
  REQUIRE(paths.size() == 1);
  CHECK(paths[0].empty());  // "writing edit …": the parser would not guess a path either
}
