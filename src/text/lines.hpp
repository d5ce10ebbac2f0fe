// Lines of text with their endings: splitting, EOL style, final newline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ds::text {

enum class Eol { Lf, Crlf };

// Splits into lines, each keeping its own ending ("\n" or "\r\n"); the last
// line may have none. Views point into `s`.
std::vector<std::string_view> split_lines_keep(std::string_view s);

// Splits into lines without their endings ("a\nb\n" -> {"a","b"}; "a\nb" ->
// {"a","b"}; "" -> {}). A lone trailing "\r" before "\n" is dropped too.
std::vector<std::string> split_lines(std::string_view s);

// The file's dominant line ending (CRLF when most line breaks are CRLF).
Eol detect_eol(std::string_view s);
inline const char* eol_str(Eol e) { return e == Eol::Crlf ? "\r\n" : "\n"; }

bool ends_with_newline(std::string_view s);

// Joins lines with `eol`, adding a final eol when `final_newline`.
std::string join_lines(const std::vector<std::string>& lines, Eol eol, bool final_newline);

// Without trailing spaces, tabs and \r. Inline: the locator calls these in
// its scanning loops.
inline std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// rtrim, and without leading spaces and tabs.
inline std::string_view trim(std::string_view s) {
  s = rtrim(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix);

}  // namespace ds::text
