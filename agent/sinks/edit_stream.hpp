// What a person sees of a model's streamed text: its prose, line by line, and
// in place of each edit block (SEARCH/REPLACE, V4A patch) the file it edits.
// A line that may be a block's path or opening fence is held back until the
// next line says whether a block starts; the path itself comes from the edit
// parser (edit/parse.hpp), so it is the file the block will really edit.
// Linear in the text: the parser only sees the text since the last block
// closed (a block's path never comes from before the previous block), so a
// reply of 200,000 blocks costs what one block costs 200,000 times.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ds::agent {

class EditStream {
 public:
  struct Piece {
    bool edit = false;  // false: a prose line; true: an edit block starts for `text` (a path, "" unknown)
    std::string text;
  };

  // One whole line of the text, without its newline.
  std::vector<Piece> line(std::string_view line);
  // The text is over: held-back lines are prose after all; the next line starts a new text.
  std::vector<Piece> end();

  // The prose of a whole text (edit blocks removed), lines joined with '\n'.
  static std::string prose_of(std::string_view text);

  // Lines handed to the edit parser so far: the measure of this filter's
  // work, which must stay proportional to the lines streamed.
  size_t lines_parsed() const { return lines_parsed_; }

 private:
  enum class State { Prose, SearchReplace, Patch, AfterBlock };
  void prose(std::string_view line, std::vector<Piece>& out);
  void release_held(size_t n, std::vector<Piece>& out);
  void close_block();
  State state_ = State::Prose;
  std::vector<std::string> held_;  // possible path / fence lines
  std::string text_;               // the text since the last block closed (for the parser's path rules)
  size_t text_lines_ = 0;          // lines in text_
  std::string last_path_;          // the last block's path: a block without one reuses it
  size_t lines_parsed_ = 0;
};

}  // namespace ds::agent
