// SEARCH/REPLACE parsing. One forward pass over the lines of a reply: outside
// blocks it tracks code fences (to know which fence line opens a block), and
// at each `<<<<<<< SEARCH` it looks back for the block's path, then reads the
// SEARCH and REPLACE texts. Inside a block nothing is interpreted but the
// markers, so fences in the texts of Markdown files stay text.
#include "edit/search_replace_parser.hpp"

#include <array>
#include <cctype>

#include "edit/quote.hpp"
#include "text/lines.hpp"

namespace ds::edit {
namespace {

using text::trim;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// A run of 5 to 9 `c` at the start of the trimmed line; `rest` is what follows.
bool marker_run(std::string_view line, char c, std::string_view* rest) {
  std::string_view s = trim(line);
  size_t n = 0;
  while (n < s.size() && s[n] == c) ++n;
  if (n < 5 || n > 9) return false;
  *rest = trim(s.substr(n));
  return true;
}

// A code fence outside blocks: ``` / ```` / ~~~ with an optional info string,
// or one of the HTML-ish tags models fence with.
struct Fence {
  bool is_fence = false;
  bool closing_tag = false;  // </source> ...
  bool bare = false;         // ``` with nothing after it
  std::string_view info;     // language tag or path after the fence
};

constexpr std::array<std::string_view, 5> kFenceTags = {"source", "code", "pre", "codeblock", "sourcecode"};

Fence parse_fence(std::string_view line) {
  std::string_view s = trim(line);
  Fence f;
  if (s.size() >= 3 && (s[0] == '`' || s[0] == '~') && s[1] == s[0] && s[2] == s[0]) {
    size_t n = 0;
    while (n < s.size() && s[n] == s[0]) ++n;
    f.info = trim(s.substr(n));
    if (f.info.find('`') != std::string_view::npos) return Fence{};  // ```inline```
    f.is_fence = true;
    f.bare = f.info.empty();
    return f;
  }
  if (s.empty() || s[0] != '<') return f;
  for (std::string_view tag : kFenceTags) {
    std::string open = "<" + std::string(tag);
    std::string close = "</" + std::string(tag) + ">";
    std::string_view rest;
    if (istarts_with(s, close)) {
      f.closing_tag = true;
      rest = s.substr(close.size());
    } else if (istarts_with(s, open + ">")) {
      rest = s.substr(open.size() + 1);
    } else if (istarts_with(s, open + " ") && s.find('>') != std::string_view::npos) {
      rest = s.substr(s.find('>') + 1);  // <source lang="py">: attributes are not a path
    } else {
      continue;
    }
    if (rest.find("</") != std::string_view::npos) return Fence{};  // <code>x</code> inline
    f.is_fence = true;
    f.info = f.closing_tag ? std::string_view() : trim(rest);
    return f;
  }
  return f;
}

bool is_bare_filename(std::string_view s) {
  static constexpr std::array<std::string_view, 28> kNames = {
      "Makefile",  "makefile",    "GNUmakefile", "Dockerfile", "Containerfile", "Rakefile",   "Gemfile",
      "Procfile",  "Vagrantfile", "Jenkinsfile", "Justfile",   "justfile",      "Brewfile",   "Podfile",
      "Snakefile", "Pipfile",     "Caddyfile",   "Earthfile",  "Tiltfile",      "LICENSE",    "LICENCE",
      "COPYING",   "README",      "AUTHORS",     "CHANGELOG",  "NOTICE",        "CODEOWNERS", "WORKSPACE"};
  for (std::string_view n : kNames)
    if (s == n) return true;
  return false;
}

std::string_view strip_trailing(std::string_view s, char c) {
  while (!s.empty() && s.back() == c) s.remove_suffix(1);
  return trim(s);
}

std::string_view strip_both(std::string_view s, char c) {
  while (!s.empty() && s.front() == c) s.remove_prefix(1);
  return strip_trailing(s, c);
}

// The path named in a fence's info string: ```src/app.py, ```python src/app.py,
// ```python:src/app.py. Only when it holds a '.' or '/' (```python is a language).
std::string path_from_fence_info(std::string_view info) {
  std::string_view cand = info;
  size_t space = info.find_first_of(" \t");
  if (space != std::string_view::npos) {
    std::string_view first = info.substr(0, space);
    std::string_view second = trim(info.substr(space));
    bool lang = first.find_first_of("./") == std::string_view::npos;
    if (!lang || second.find_first_of(" \t") != std::string_view::npos) return "";
    cand = second;
  }
  size_t colon = cand.find(':');
  if (colon != std::string_view::npos && colon > 1 &&
      cand.substr(0, colon).find_first_of("./\\") == std::string_view::npos)
    cand = cand.substr(colon + 1);
  if (cand.find_first_of("./") == std::string_view::npos) return "";
  return path_from_line(cand);
}

// "docs/read me.md" or "my notes.txt" alone on a line. path_from_line
// wants a path with spaces quoted, as commentary is words and spaces too;
// but models write paths bare, as told, and a block whose path line is
// refused silently goes to the previous block's file. So on the path's own
// line a spaced path counts when it looks like one: at most 3 spaces, no
// trailing ':', a '/' or a single space, and an extension on its last word
// (or a '/' in it).
std::string spaced_path_from_line(std::string_view line) {
  std::string_view s = trim(line);
  if (s.empty() || s.back() == ':' || s.find_first_of("`\t") != std::string_view::npos) return "";
  size_t spaces = 0;
  for (char c : s) spaces += c == ' ';
  bool slash = s.find('/') != std::string_view::npos;
  if (spaces == 0 || spaces > 3 || (!slash && spaces > 1)) return "";
  std::string_view last = s.substr(s.rfind(' ') + 1);
  size_t dot = last.rfind('.');
  bool ext = dot != std::string_view::npos && dot > 0 && dot + 1 < last.size();
  if (!ext && last.find('/') == std::string_view::npos) return "";
  return path_from_line("`" + std::string(s) + "`");
}

}  // namespace

bool is_search_marker(std::string_view line) {
  std::string_view rest;
  if (!marker_run(line, '<', &rest)) return false;
  if (!rest.empty() && rest.back() == '>') rest = trim(rest.substr(0, rest.size() - 1));
  return iequals(rest, "SEARCH");
}

bool is_divider_marker(std::string_view line) {
  std::string_view rest;
  return marker_run(line, '=', &rest) && rest.empty();
}

bool is_replace_marker(std::string_view line) {
  std::string_view rest;
  return marker_run(line, '>', &rest) && iequals(rest, "REPLACE");
}

std::string path_from_line(std::string_view line) {
  std::string_view s = trim(line);
  while (!s.empty() && s.front() == '#') s = trim(s.substr(1));  // "### src/app.py"
  if (text::starts_with(s, "//")) s = trim(s.substr(2));         // "// src/app.py"
  // "File: src/app.py", "**File:** `src/app.py`"
  std::string_view unbold = text::starts_with(s, "**") ? trim(s.substr(2)) : s;
  for (std::string_view prefix : {"file path:", "filename:", "file:", "path:"}) {
    if (istarts_with(unbold, prefix)) {
      s = trim(unbold.substr(prefix.size()));
      while (!s.empty() && s.front() == '*') s = trim(s.substr(1));
      break;
    }
  }
  s = strip_trailing(s, ':');
  // "src/new.py (new file)"
  size_t paren = s.rfind(" (");
  if (paren != std::string_view::npos && !s.empty() && s.back() == ')') s = trim(s.substr(0, paren));
  s = strip_trailing(strip_both(strip_trailing(s, ':'), '*'), ':');
  bool quoted = false;
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') {
    s = strip_trailing(strip_both(s, '`'), ':');
    quoted = true;
  } else if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = trim(s.substr(1, s.size() - 2));
    quoted = true;
  }
  if (s.empty() || s.size() > 1024) return "";
  if (s.find_first_not_of('.') == std::string_view::npos || s == "\xE2\x80\xA6") return "";  // `...`
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || std::string_view("<>|\"?*`").find(c) != std::string_view::npos) return "";
    if (!quoted && (c == ' ' || c == '\t')) return "";
  }
  if (s.find("://") != std::string_view::npos) return "";
  if (std::string_view("-+=<>").find(s.front()) != std::string_view::npos) return "";
  if (std::string_view(".,;!?").find(s.back()) != std::string_view::npos) return "";
  if (s.size() >= 2 && s.substr(s.size() - 2) == "()") return "";
  if (s.find_first_of("./\\") == std::string_view::npos && !is_bare_filename(s)) return "";
  return std::string(s);
}

namespace {

enum FenceRole : char { kNotFence = 0, kOpens = 1, kCloses = 2 };

std::string_view leading_space(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return line.substr(0, n);
}

// The markers of one block, recognised only at the indentation of its
// `<<<<<<< SEARCH` line: an indented `    =======` (a docstring underline)
// inside SEARCH or REPLACE is text.
struct BlockMarkers {
  std::string_view indent;
  bool at_indent(std::string_view line) const { return leading_space(line) == indent; }
  bool search(std::string_view line) const { return at_indent(line) && is_search_marker(line); }
  bool divider(std::string_view line) const { return at_indent(line) && is_divider_marker(line); }
  bool replace(std::string_view line) const { return at_indent(line) && is_replace_marker(line); }
};

class SearchReplaceParser {
 public:
  explicit SearchReplaceParser(std::string_view text)
      : lines_(text::split_lines(text)), role_(lines_.size(), kNotFence) {}

  ParsedEdits run() {
    out_.format = Format::SearchReplace;
    size_t i = 0;
    while (i < lines_.size()) {
      const std::string& line = lines_[i];
      if (is_search_marker(line)) {
        i = parse_block(i);
      } else if (is_replace_marker(line)) {
        stray_replace_marker(i);
        region_start_ = ++i;
      } else {
        note_fence(i);
        ++i;
      }
    }
    return std::move(out_);
  }

 private:
  int num(size_t i) const { return static_cast<int>(i) + 1; }

  void issue(size_t at, std::string message) {
    int line = num(at < lines_.size() ? at : lines_.size() - 1);
    out_.errors.push_back(
        ParseIssue{next_index_++, line, "line " + std::to_string(line) + ": " + std::move(message)});
  }

  // Fences outside blocks: one with an info string always opens (a closing
  // fence has none), a bare one toggles, a closing tag closes.
  void note_fence(size_t i) {
    Fence f = parse_fence(lines_[i]);
    if (!f.is_fence) return;
    bool opens = f.closing_tag ? false : f.bare ? !in_fence_ : true;
    role_[i] = opens ? kOpens : kCloses;
    in_fence_ = opens;
  }

  // A `>>>>>>> REPLACE` with no open block. Right after a block (nothing but
  // blank lines since) it is a harmless repeat; after text it means the
  // block's `<<<<<<< SEARCH` line is missing.
  void stray_replace_marker(size_t i) {
    for (size_t k = region_start_; k < i; ++k) {
      if (!trim(lines_[k]).empty()) {
        issue(i, "found " + quote_line(lines_[i]) +
                     " but no block is open: expected a '<<<<<<< SEARCH' line before the SEARCH "
                     "text and a '=======' line between SEARCH and REPLACE. Resend the whole "
                     "block.");
        return;
      }
    }
  }

  // The path of the block whose SEARCH marker is line `h`: the nearest
  // path-like line among the few non-blank lines before it (inside the fence,
  // the fence's info string, before the fence), never crossing the previous
  // block or a closing fence. "" when there is none.
  // A path with spaces is only taken from the path's own line (the nearest
  // line, or the one just above the opening fence): elsewhere such a line
  // is commentary.
  std::string find_path(size_t h, std::string* nearest_line) const {
    int seen = 0;
    bool path_slot = true;
    for (size_t k = h; k-- > region_start_ && seen < 4;) {
      std::string_view line = trim(lines_[k]);
      if (line.empty()) continue;
      if (seen++ == 0) *nearest_line = std::string(line);
      if (role_[k] == kCloses) break;
      if (role_[k] == kOpens) {
        std::string p = path_from_fence_info(parse_fence(line).info);
        if (!p.empty()) return p;
        path_slot = seen == 1;
        continue;
      }
      if (is_divider_marker(line) || is_search_marker(line) || is_replace_marker(line)) break;
      std::string p = path_from_line(line);
      if (p.empty() && path_slot) p = spaced_path_from_line(line);
      if (!p.empty()) return p;
      path_slot = false;
    }
    return "";
  }

  // Parses the block starting at SEARCH marker `h`; returns the line index
  // where scanning resumes.
  size_t parse_block(size_t h) {
    std::string nearest;
    std::string path = find_path(h, &nearest);
    if (!path.empty()) prev_path_ = path;
    std::string where = " of the block that starts at line " + std::to_string(num(h)) +
                        (prev_path_.empty() ? "" : " (" + prev_path_ + ")");

    const BlockMarkers mk{leading_space(lines_[h])};
    std::string search, replace;
    size_t j = h + 1;
    for (; j < lines_.size() && !mk.divider(lines_[j]); ++j) {
      if (mk.search(lines_[j])) {
        issue(j, "expected '=======' to end the SEARCH text" + where + ", but found " +
                     quote_line(lines_[j]) + " (a new block). Write SEARCH lines, '=======', " +
                     "REPLACE lines, '>>>>>>> REPLACE'.");
        return resume(h + 1, j);
      }
      if (mk.replace(lines_[j])) {
        issue(j, "expected '=======' between the SEARCH and REPLACE texts" + where + ", but found " +
                     quote_line(lines_[j]) +
                     " first. Resend the block with a "
                     "'=======' line after the SEARCH lines.");
        return resume(j + 1, j + 1);
      }
      search += lines_[j] + "\n";
    }
    if (j >= lines_.size()) {
      issue(j, "the text ended before the '=======' line" + where +
                   ". Expected SEARCH lines, then '=======', REPLACE lines and "
                   "'>>>>>>> REPLACE'.");
      return resume(j, j);
    }
    size_t end = 0;  // one past the line that closed the block
    for (++j; j < lines_.size() && end == 0; ++j) {
      const std::string& line = lines_[j];
      if (mk.replace(line)) {
        end = j + 1;
      } else if (mk.search(line)) {
        issue(j, "expected '>>>>>>> REPLACE' to close the REPLACE text" + where + ", but found " +
                     quote_line(line) +
                     " (a new block). Close every block "
                     "with '>>>>>>> REPLACE'.");
        return resume(h + 1, j);
      } else if (mk.divider(line)) {
        size_t next = second_divider_end(j, where, mk);
        if (next == 0) {
          size_t after = skip_to_replace_marker(j, mk);
          return resume(after, after);
        }
        end = next;
      } else {
        replace += line + "\n";
      }
    }
    if (end == 0) {
      issue(j, "the text ended before '>>>>>>> REPLACE'" + where +
                   ". Close the REPLACE text with a '>>>>>>> REPLACE' line.");
      return resume(j, j);
    }
    if (path.empty() && prev_path_.empty()) {
      issue(h, "no file path for the block at " + quote_line(lines_[h]) +
                   ": expected the file path alone on the line before the opening fence "
                   "(e.g. 'src/app.py' then '```python' then '<<<<<<< SEARCH')" +
                   (nearest.empty() ? ""
                                    : "; the nearest line before it is " + quote_line(nearest) +
                                          ", which is not a path") +
                   ".");
      return resume(end, end);
    }
    // SEARCH and REPLACE stay exactly as written, trailing blank lines
    // included (the parse matches Aider's); the locator decides whether a
    // blank last line of SEARCH is the file's (edit-formats.md section 5).
    out_.blocks.push_back(
        SearchReplaceBlock{next_index_++, num(h), prev_path_, std::move(search), std::move(replace)});
    return resume(end, end);
  }

  // Where scanning resumes after a block, and where the next block's path
  // search may start. After a block broken by a new SEARCH marker that is
  // just after the broken block's own marker: the next block's path line was
  // read as the broken block's text.
  size_t resume(size_t region_start, size_t next) {
    region_start_ = region_start;
    return next;
  }

  // A second `=======` at `d` inside REPLACE. It closes the block (models
  // repeat the divider instead of closing), swallowing a `>>>>>>> REPLACE`
  // that directly follows. But when a `>>>>>>> REPLACE` of this block comes
  // later, before any new `<<<<<<< SEARCH`, the divider was meant as text (a
  // Markdown/RST underline) or the block is garbled: that is reported
  // (returns 0) rather than guessed, so no part of the block is applied.
  size_t second_divider_end(size_t d, const std::string& where, const BlockMarkers& mk) {
    size_t k = d + 1;
    while (k < lines_.size() && trim(lines_[k]).empty()) ++k;
    if (k < lines_.size() && mk.replace(lines_[k])) return k + 1;
    for (; k < lines_.size(); ++k) {
      if (is_search_marker(lines_[k])) return d + 1;
      if (mk.replace(lines_[k])) {
        issue(d, "found a second " + quote_line(lines_[d]) + " inside the REPLACE text" + where +
                     ", and more text follows up to " + quote_line(lines_[k]) + " at line " +
                     std::to_string(num(k)) +
                     ". Expected exactly one '=======' per block; a "
                     "'=======' line at the indentation of '<<<<<<< SEARCH' cannot be part of SEARCH "
                     "or REPLACE text, so choose SEARCH/REPLACE texts that do not contain one.");
        return 0;
      }
    }
    return d + 1;
  }

  size_t skip_to_replace_marker(size_t from, const BlockMarkers& mk) const {
    size_t k = from;
    while (k < lines_.size() && !mk.replace(lines_[k])) ++k;
    return k < lines_.size() ? k + 1 : k;
  }

  std::vector<std::string> lines_;
  std::vector<char> role_;  // FenceRole of each line seen outside blocks
  bool in_fence_ = false;
  size_t region_start_ = 0;  // first line after the previous block
  std::string prev_path_;
  ParsedEdits out_;
  int next_index_ = 1;
};

}  // namespace

ParsedEdits parse_search_replace(std::string_view text) { return SearchReplaceParser(text).run(); }

}  // namespace ds::edit
