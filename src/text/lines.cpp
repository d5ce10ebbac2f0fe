// Line splitting and joining that keeps track of CRLF and final newlines.
#include "text/lines.hpp"

namespace ds::text {

std::vector<std::string_view> split_lines_keep(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl + 1 - start));
    start = nl + 1;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  for (std::string_view line : split_lines_keep(s)) {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(line);
  }
  return out;
}

Eol detect_eol(std::string_view s) {
  size_t lf = 0, crlf = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      if (i > 0 && s[i - 1] == '\r')
        ++crlf;
      else
        ++lf;
    }
  }
  return crlf > lf ? Eol::Crlf : Eol::Lf;
}

bool ends_with_newline(std::string_view s) { return !s.empty() && s.back() == '\n'; }

std::string join_lines(const std::vector<std::string>& lines, Eol eol, bool final_newline) {
  std::string out;
  size_t total = 0;
  for (const auto& l : lines) total += l.size() + 2;
  out.reserve(total);
  const char* e = eol_str(eol);
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || final_newline) out += e;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace ds::text
