// A deliberately strict, independent applier for the git patches that
// diff::unified_diff_file writes: every hunk must sit at its stated line
// numbers with byte-exact context (which is what libgit2's git_apply
// demands). The locate fuzz target uses it as an oracle: the patch the edit
// engine builds must turn the old file into the new one, byte for byte.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/lines.hpp"

namespace ds::fuzz {

struct ParsedRange {
  size_t start = 0, count = 1;
};

// "12,3" or "12" (count 1).
inline bool parse_range(std::string_view s, ParsedRange* r) {
  size_t comma = s.find(',');
  std::string a(s.substr(0, comma));
  if (a.empty() || a.find_first_not_of("0123456789") != std::string::npos) return false;
  r->start = std::strtoull(a.c_str(), nullptr, 10);
  r->count = 1;
  if (comma != std::string_view::npos) {
    std::string b(s.substr(comma + 1));
    if (b.empty() || b.find_first_not_of("0123456789") != std::string::npos) return false;
    r->count = std::strtoull(b.c_str(), nullptr, 10);
  }
  return true;
}

// Applies one file section to `before`; nullopt (and `why`) when it does not
// apply exactly or is malformed.
inline std::optional<std::string> apply_section(std::string_view before, std::string_view section,
                                                std::string* why) {
  auto fail = [&](const char* w) -> std::optional<std::string> {
    *why = w;
    return std::nullopt;
  };
  std::vector<std::string_view> old_lines = text::split_lines_keep(before);
  std::vector<std::string_view> d = text::split_lines_keep(section);
  size_t i = 0;
  while (i < d.size() && d[i].substr(0, 3) != "@@ ") ++i;  // headers
  std::string out;
  size_t pos = 0;  // next old line not yet copied
  while (i < d.size()) {
    std::string_view h = d[i++];
    if (h.substr(0, 4) != "@@ -") return fail("expected a hunk header");
    size_t plus = h.find(" +");
    size_t end = h.find(" @@", plus == std::string_view::npos ? 0 : plus);
    if (plus == std::string_view::npos || end == std::string_view::npos) return fail("bad hunk header");
    ParsedRange o, n;
    if (!parse_range(h.substr(4, plus - 4), &o) || !parse_range(h.substr(plus + 2, end - plus - 2), &n))
      return fail("bad hunk range");
    size_t at = o.count == 0 ? o.start : o.start - 1;  // 0-based first old line of the hunk
    if (o.count > 0 && o.start == 0) return fail("hunk starts at line 0");
    if (at < pos || at > old_lines.size()) return fail("hunk out of order or past the end");
    for (; pos < at; ++pos) out.append(old_lines[pos]);
    size_t new_len_before = out.size();
    size_t old_seen = 0, new_seen = 0;
    size_t new_lines_emitted = 0;
    while (old_seen < o.count || new_seen < n.count) {
      if (i >= d.size()) return fail("hunk cut short");
      std::string_view l = d[i++];
      if (l.empty()) return fail("empty hunk line");
      char kind = l[0];
      std::string content(l.substr(1));
      if (i < d.size() && d[i] == "\\ No newline at end of file\n") {
        if (content.empty() || content.back() != '\n') return fail("no-newline marker after a partial line");
        content.pop_back();
        ++i;
      }
      if (kind == ' ' || kind == '-') {
        if (pos >= old_lines.size() || old_lines[pos] != content)
          return fail("context or removed line differs");
        ++pos;
        ++old_seen;
      }
      if (kind == ' ' || kind == '+') {
        out += content;
        ++new_seen;
        ++new_lines_emitted;
      }
      if (kind != ' ' && kind != '-' && kind != '+') return fail("unknown hunk line kind");
    }
    if (old_seen != o.count || new_seen != n.count) return fail("hunk counts differ from its lines");
    // The new side's start must be where the hunk's new lines actually land.
    size_t new_line_no = text::split_lines_keep(std::string_view(out).substr(0, new_len_before)).size();
    size_t want = n.count == 0 ? n.start : n.start - 1;
    if (new_lines_emitted > 0 && new_line_no != want) return fail("new-side start is wrong");
  }
  for (; pos < old_lines.size(); ++pos) out.append(old_lines[pos]);
  return out;
}

}  // namespace ds::fuzz
