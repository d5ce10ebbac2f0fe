// The locator's matching levels (see locate.hpp). Candidates are found by
// scanning for one anchor line and verifying the rest, so the usual cost is
// one pass of cheap string comparisons over the file per level tried.
#include "edit/locate.hpp"

#include <cctype>
#include <optional>
#include <unordered_map>

#include "edit/fold.hpp"
#include "text/lines.hpp"

namespace ds::edit {
namespace {

using text::rtrim;
using text::trim;

constexpr size_t kMaxCandidates = 20;

// How two lines are compared. Indent compares trimmed text, then requires
// one consistent indentation difference over the whole block.
enum class Cmp { Exact, Rtrim, Trim, Indent };

bool is_blank(std::string_view s) { return trim(s).empty(); }

std::string_view leading_ws(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(0, i);
}

// The leading whitespace shared by every non-blank line.
std::string_view common_indent(const Lines& lines) {
  std::optional<std::string_view> common;
  for (const auto& l : lines) {
    if (is_blank(l)) continue;
    std::string_view ws = leading_ws(l);
    if (!common) {
      common = ws;
      continue;
    }
    size_t k = 0;
    while (k < common->size() && k < ws.size() && (*common)[k] == ws[k]) ++k;
    common = common->substr(0, k);
  }
  return common.value_or(std::string_view());
}

bool is_space_run(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

// For Cmp::Indent: the indentation P with file[p+k] == P + (search[k] minus
// `base`) for every non-blank line, blank lines matching blank lines.
std::optional<std::string_view> indent_prefix(const LineViews& file, size_t p, const Lines& search,
                                              std::string_view base) {
  std::optional<std::string_view> prefix;
  for (size_t k = 0; k < search.size(); ++k) {
    std::string_view f = file[p + k];
    if (is_blank(search[k])) {
      if (!is_blank(f)) return std::nullopt;
      continue;
    }
    std::string_view s = rtrim(search[k]).substr(base.size());
    std::string_view fr = rtrim(f);
    if (fr.size() < s.size() || fr.substr(fr.size() - s.size()) != s) return std::nullopt;
    std::string_view pre = fr.substr(0, fr.size() - s.size());
    if (!is_space_run(pre)) return std::nullopt;
    if (!prefix) {
      prefix = pre;
    } else if (*prefix != pre) {
      return std::nullopt;
    }
  }
  return prefix ? prefix : std::optional<std::string_view>(std::string_view());
}

std::string_view key_of(Cmp cmp, std::string_view s) {
  switch (cmp) {
    case Cmp::Exact:
      return s;
    case Cmp::Rtrim:
      return rtrim(s);
    default:
      return trim(s);
  }
}

bool block_matches(const LineViews& file, size_t p, const Lines& search, Cmp cmp, std::string_view base) {
  if (cmp == Cmp::Indent) return indent_prefix(file, p, search, base).has_value();
  for (size_t k = 0; k < search.size(); ++k) {
    if (key_of(cmp, file[p + k]) != key_of(cmp, search[k])) return false;
  }
  return true;
}

// Start positions in [lo, hi) where `search` matches, in order, at most `limit`.
std::vector<size_t> find_candidates(const LineViews& file, const Lines& search, Cmp cmp, size_t lo, size_t hi,
                                    size_t limit) {
  std::vector<size_t> out;
  size_t m = search.size();
  if (m == 0 || hi > file.size() || hi < lo || hi - lo < m) return out;
  size_t anchor = 0;  // the first non-blank line is the most selective cheap test
  while (anchor + 1 < m && is_blank(search[anchor])) ++anchor;
  std::string_view key = key_of(cmp, search[anchor]);
  std::string_view base = cmp == Cmp::Indent ? common_indent(search) : std::string_view();
  for (size_t p = lo; p + m <= hi; ++p) {
    std::string_view f = file[p + anchor];
    if (cmp == Cmp::Exact ? f != key : (f.size() < key.size() || key_of(cmp, f) != key)) continue;
    if (!block_matches(file, p, search, cmp, base)) continue;
    out.push_back(p);
    if (out.size() >= limit) break;
  }
  return out;
}

// What a level searches in and what the model wrote.
struct View {
  const LineViews& file;      // compared lines (punctuation-folded at the unicode level)
  const LineViews& original;  // the real file lines
};
struct Block {
  Lines search;       // compared lines
  Lines search_orig;  // as written (same length as `search`)
  Lines replace;
};

std::string reindent(std::string_view r, std::string_view base, std::string_view prefix) {
  if (is_blank(r)) return std::string();
  std::string_view ws = leading_ws(r);
  if (ws.size() >= base.size()) return std::string(prefix) + std::string(r.substr(base.size()));
  size_t deficit = base.size() - ws.size();
  size_t keep = prefix.size() > deficit ? prefix.size() - deficit : 0;
  return std::string(prefix.substr(0, keep)) + std::string(r.substr(ws.size()));
}

Lines build_replacement(const View& v, const Block& b, size_t p, Cmp cmp) {
  std::unordered_map<std::string_view, size_t> same;  // SEARCH line -> first index
  for (size_t k = 0; k < b.search_orig.size(); ++k) same.emplace(b.search_orig[k], k);
  std::string_view base, prefix;
  if (cmp == Cmp::Indent) {
    base = common_indent(b.search);
    prefix = indent_prefix(v.file, p, b.search, base).value_or(std::string_view());
  }
  Lines out;
  out.reserve(b.replace.size());
  for (const auto& r : b.replace) {
    auto it = same.find(r);
    if (it != same.end()) {
      out.emplace_back(v.original[p + it->second]);
    } else if (cmp == Cmp::Indent) {
      out.push_back(reindent(r, base, prefix));
    } else {
      out.push_back(r);
    }
  }
  return out;
}

const char* level_name(Cmp cmp) {
  switch (cmp) {
    case Cmp::Exact:
      return kLevelExact;
    case Cmp::Rtrim:
      return kLevelWhitespace;
    case Cmp::Indent:
      return kLevelIndentation;
    default:
      return kLevelTrim;
  }
}

Located match_at(const View& v, const Block& b, Cmp cmp, const char* level, size_t lo, size_t hi) {
  Located r;
  auto cands = find_candidates(v.file, b.search, cmp, lo, hi, kMaxCandidates);
  if (cands.empty()) return r;
  r.level = level ? level : level_name(cmp);
  if (cands.size() > 1) {
    r.status = Located::Status::Ambiguous;
    for (size_t c : cands) r.candidates.push_back(c + 1);
    return r;
  }
  r.status = Located::Status::Found;
  r.start = cands[0];
  r.count = b.search.size();
  r.replacement = build_replacement(v, b, cands[0], cmp);
  return r;
}

// exact -> whitespace -> indentation; `level` overrides the reported name.
Located cascade(const View& v, const Block& b, const char* level, size_t lo, size_t hi) {
  for (Cmp cmp : {Cmp::Exact, Cmp::Rtrim, Cmp::Indent}) {
    Located r = match_at(v, b, cmp, level, lo, hi);
    if (r.status != Located::Status::NotFound) return r;
  }
  return {};
}

// The cascade again after dropping a blank first line, a blank last line, or
// both (from REPLACE too where it has a blank line in that place).
Located blank_variants(const View& v, const Block& b, const char* level) {
  size_t m = b.search.size();
  const bool first = m >= 2 && is_blank(b.search.front());
  const bool last = m >= 2 && is_blank(b.search.back());
  struct Variant {
    bool drop_first, drop_last;
  };
  for (Variant var : {Variant{true, false}, Variant{false, true}, Variant{true, true}}) {
    if ((var.drop_first && !first) || (var.drop_last && !last)) continue;
    if (var.drop_first && var.drop_last && m < 3) continue;
    Block b2 = b;
    auto drop = [](Lines& l, bool front) {
      if (front)
        l.erase(l.begin());
      else
        l.pop_back();
    };
    for (bool front : {true, false}) {
      if (front ? !var.drop_first : !var.drop_last) continue;
      drop(b2.search, front);
      drop(b2.search_orig, front);
      if (!b2.replace.empty() && is_blank(front ? b2.replace.front() : b2.replace.back())) {
        drop(b2.replace, front);
      }
    }
    Located r = cascade(v, b2, level, 0, v.file.size());
    if (r.status != Located::Status::NotFound) return r;
  }
  return {};
}

std::vector<Lines> split_at_elisions(const Lines& lines) {
  std::vector<Lines> pieces(1);
  for (const auto& l : lines) {
    if (is_elision_line(l))
      pieces.emplace_back();
    else
      pieces.back().push_back(l);
  }
  return pieces;
}

// SEARCH and REPLACE with the same number of `...` lines: each SEARCH piece is
// found in order (uniquely, after the previous one) and replaced by the
// REPLACE piece in the same place; the elided file lines stay as they are.
Located elision(const View& v, const Block& b) {
  Located fail;
  auto sp = split_at_elisions(b.search);
  auto rp = split_at_elisions(b.replace);
  if (sp.size() == 1) return fail;
  if (sp.size() != rp.size()) {
    fail.note = "SEARCH has " + std::to_string(sp.size() - 1) + " `...` line(s) but REPLACE has " +
                std::to_string(rp.size() - 1) +
                "; elided parts must pair up, one `...` in REPLACE for each in SEARCH";
    return fail;
  }
  struct Part {
    size_t start, count;
    Lines replacement;
  };
  std::vector<Part> parts;
  size_t cursor = 0;
  for (size_t i = 0; i < sp.size(); ++i) {
    if (sp[i].empty()) {
      if (!rp[i].empty()) {
        fail.note =
            "REPLACE adds lines next to a `...` that has no SEARCH lines beside it, so their place is "
            "unknown";
        return fail;
      }
      continue;
    }
    Located r = cascade(v, Block{sp[i], sp[i], rp[i]}, kLevelElision, cursor, v.file.size());
    if (r.status == Located::Status::Ambiguous) return r;
    if (!r.found()) {
      fail.note = "with `...` elision, SEARCH part " + std::to_string(i + 1) + " of " +
                  std::to_string(sp.size()) + " was not found" + (i ? " after the part before it" : "");
      return fail;
    }
    cursor = r.start + r.count;
    parts.push_back({r.start, r.count, std::move(r.replacement)});
  }
  if (parts.empty()) return fail;
  Located out;
  out.status = Located::Status::Found;
  out.level = kLevelElision;
  out.start = parts.front().start;
  out.count = parts.back().start + parts.back().count - out.start;
  for (size_t j = 0; j < parts.size(); ++j) {
    out.replacement.insert(out.replacement.end(), parts[j].replacement.begin(), parts[j].replacement.end());
    if (j + 1 < parts.size()) {
      size_t gap_begin = parts[j].start + parts[j].count;
      out.replacement.insert(out.replacement.end(), v.original.begin() + static_cast<long>(gap_begin),
                             v.original.begin() + static_cast<long>(parts[j + 1].start));
    }
  }
  return out;
}

template <class L>
bool any_may_fold(const L& lines) {
  for (const auto& l : lines) {
    if (may_fold(l)) return true;
  }
  return false;
}

template <class L>
Lines fold_all(const L& lines) {
  Lines out;
  out.reserve(lines.size());
  for (const auto& l : lines) out.push_back(fold_punctuation(l));
  return out;
}

}  // namespace

bool is_elision_line(std::string_view line) {
  std::string_view t = trim(line);
  return t == "..." || t == "\xE2\x80\xA6";
}

LineViews as_views(const Lines& lines) { return LineViews(lines.begin(), lines.end()); }

Located locate_block(const LineViews& file, const Lines& search, const Lines& replace) {
  if (search.empty()) return {};
  const View plain{file, file};
  const Block block{search, search, replace};
  Located r = cascade(plain, block, nullptr, 0, file.size());
  if (r.status != Located::Status::NotFound) return r;
  r = blank_variants(plain, block, kLevelBlankLines);
  if (r.status != Located::Status::NotFound) return r;

  const bool file_folds = any_may_fold(file);
  if (file_folds || any_may_fold(search)) {
    Lines folded_file = file_folds ? fold_all(file) : Lines();
    LineViews folded_views = as_views(folded_file);
    const View folded{file_folds ? folded_views : file, file};
    const Block fblock{fold_all(search), search, replace};
    r = cascade(folded, fblock, kLevelUnicode, 0, file.size());
    if (r.status == Located::Status::NotFound) r = blank_variants(folded, fblock, kLevelUnicode);
    if (r.status != Located::Status::NotFound) return r;
  }
  return elision(plain, block);
}

Seek seek_forward(const LineViews& file, const Lines& needle, size_t from, bool at_end) {
  Seek s;
  size_t n = file.size(), m = needle.size();
  if (m == 0 || m > n || from > n - m) return s;
  const LineViews* hay = &file;
  const Lines* pin = &needle;
  Lines folded_file, folded_needle;
  LineViews folded_views;
  for (int level = 0; level < 4; ++level) {
    Cmp cmp = level == 0 ? Cmp::Exact : level == 1 ? Cmp::Rtrim : Cmp::Trim;
    if (level == 3) {
      if (!any_may_fold(file) && !any_may_fold(needle)) break;
      folded_file = fold_all(file);
      folded_needle = fold_all(needle);
      folded_views = as_views(folded_file);
      hay = &folded_views;
      pin = &folded_needle;
    }
    std::optional<size_t> pos;
    if (at_end && block_matches(*hay, n - m, *pin, cmp, {})) {
      pos = n - m;
    } else {
      auto c = find_candidates(*hay, *pin, cmp, from, n, 1);
      if (!c.empty()) pos = c[0];
    }
    if (pos) {
      s.found = true;
      s.pos = *pos;
      s.level = level == 3 ? kLevelUnicode : level_name(cmp);
      return s;
    }
  }
  return s;
}

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// The first line >= `from` whose trimmed text starts with `prefix`; with
// `whole_word`, only where the prefix is not followed by a word character
// ("class App" finds "class App:", not "class AppConfig:").
Seek seek_prefix(const LineViews& file, std::string_view prefix, size_t from, bool whole_word) {
  for (size_t i = from; i < file.size(); ++i) {
    std::string_view t = trim(file[i]);
    if (t.size() < prefix.size() || t.substr(0, prefix.size()) != prefix) continue;
    if (whole_word && t.size() > prefix.size() && is_word_char(t[prefix.size()]) &&
        is_word_char(prefix.back()))
      continue;
    return Seek{true, i, kLevelPrefix};
  }
  return {};
}

}  // namespace

Seek seek_line_forward(const LineViews& file, std::string_view line, size_t from) {
  Lines needle{std::string(line)};
  Seek s = seek_forward(file, needle, from, false);
  if (s.found) return s;
  std::string_view prefix = trim(line);
  if (prefix.empty()) return s;
  s = seek_prefix(file, prefix, from, true);
  if (!s.found) s = seek_prefix(file, prefix, from, false);
  return s;
}

}  // namespace ds::edit
