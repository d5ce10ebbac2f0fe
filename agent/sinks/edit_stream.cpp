// The streamed-text filter of the human sink (see edit_stream.hpp).
#include "agent/sinks/edit_stream.hpp"

#include <cctype>

#include "edit/parse.hpp"
#include "text/lines.hpp"

namespace ds::agent {

namespace {

constexpr size_t kMaxHeld = 3;

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

// A run of 5 to 9 `c` followed by `word`: <<<<<<< SEARCH, >>>>>>> REPLACE.
bool marker(std::string_view line, char c, std::string_view word) {
  std::string_view s = text::trim(line);
  size_t n = 0;
  while (n < s.size() && s[n] == c) ++n;
  return n >= 5 && n <= 9 && starts_with_nocase(text::trim(s.substr(n)), word);
}

bool fence(std::string_view line) {
  std::string_view s = text::trim(line);
  return s.starts_with("```") || s.starts_with("~~~");
}

// One word, once Markdown decoration is stripped: `path`, **path**, ### path:
bool path_like(std::string_view line) {
  std::string_view s = text::trim(line);
  while (!s.empty() && (s.front() == '#' || s.front() == '*' || s.front() == '`' || s.front() == ' '))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == '*' || s.back() == '`' || s.back() == ':')) s.remove_suffix(1);
  if (s.empty() || s.size() > 200) return false;
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

// The path of a `*** Update File: PATH` (Add, Delete) line, or "".
std::string patch_file(std::string_view line) {
  std::string_view s = text::trim(line);
  for (std::string_view head : {"*** Update File:", "*** Add File:", "*** Delete File:"})
    if (s.starts_with(head)) return std::string(text::trim(s.substr(head.size())));
  return {};
}

}  // namespace

void EditStream::release_held(size_t n, std::vector<Piece>& out) {
  for (size_t i = 0; i < n && i < held_.size(); ++i) out.push_back({false, held_[i]});
  held_.clear();
}

void EditStream::prose(std::string_view line, std::vector<Piece>& out) {
  if (marker(line, '<', "SEARCH")) {
    // The path line and the fence before the marker belong to the block.
    size_t keep = held_.size();
    if (keep > 0 && fence(held_[keep - 1])) --keep;
    if (keep > 0 && !fence(held_[keep - 1])) --keep;
    release_held(keep, out);
    // Closed at once so that the parser reads this block's path.
    auto parsed = edit::parse_edits(text_ + "=======\n>>>>>>> REPLACE\n", edit::Format::SearchReplace);
    lines_parsed_ += text_lines_ + 2;
    if (!parsed.blocks.empty() && !parsed.blocks.back().path.empty()) last_path_ = parsed.blocks.back().path;
    out.push_back({true, last_path_});
    state_ = State::SearchReplace;
    return;
  }
  if (text::trim(line).starts_with("*** Begin Patch")) {
    size_t keep = held_.size();
    if (keep > 0 && fence(held_[keep - 1])) --keep;
    release_held(keep, out);
    state_ = State::Patch;
    return;
  }
  if (fence(line) || path_like(line)) {
    held_.emplace_back(line);
    if (held_.size() > kMaxHeld) {
      out.push_back({false, held_.front()});
      held_.erase(held_.begin());
    }
    return;
  }
  release_held(held_.size(), out);
  out.push_back({false, std::string(line)});
}

std::vector<EditStream::Piece> EditStream::line(std::string_view line) {
  text_ += line;
  text_ += '\n';
  ++text_lines_;
  std::vector<Piece> out;
  switch (state_) {
    case State::SearchReplace:
      if (marker(line, '>', "REPLACE")) close_block();
      break;
    case State::Patch:
      if (std::string path = patch_file(line); !path.empty())
        out.push_back({true, std::move(path)});
      else if (text::trim(line).starts_with("*** End Patch"))
        close_block();
      break;
    case State::AfterBlock:
      state_ = State::Prose;
      if (fence(line) && text::trim(line).find_first_not_of("`~") == std::string_view::npos)
        break;  // closing
      prose(line, out);
      break;
    case State::Prose:
      prose(line, out);
      break;
  }
  return out;
}

// The parser never looks back past a closed block (its path search stops
// there), so the text before it is not kept.
void EditStream::close_block() {
  state_ = State::AfterBlock;
  text_.clear();
  text_lines_ = 0;
}

std::vector<EditStream::Piece> EditStream::end() {
  std::vector<Piece> out;
  release_held(held_.size(), out);
  state_ = State::Prose;
  text_.clear();
  text_lines_ = 0;
  last_path_.clear();
  return out;
}

std::string EditStream::prose_of(std::string_view text) {
  EditStream s;
  std::string out;
  auto take = [&out](const std::vector<Piece>& pieces) {
    for (const auto& p : pieces)
      if (!p.edit) out += (out.empty() ? "" : "\n") + p.text;
  };
  for (const auto& l : text::split_lines(text)) take(s.line(l));
  take(s.end());
  return out;
}

}  // namespace ds::agent
