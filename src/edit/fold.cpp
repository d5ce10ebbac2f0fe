// Unicode punctuation folding (see fold.hpp for the table).
#include "edit/fold.hpp"

#include <algorithm>
#include <iterator>

#include "text/utf8.hpp"

namespace ds::edit {
namespace {

struct Fold {
  unsigned code_point;
  const char* ascii;
};

// Sorted by code point, for binary search.
constexpr Fold kFolds[] = {
    {0x00A0, " "},  {0x00AB, "\""}, {0x00AD, ""},    {0x00BB, "\""}, {0x2000, " "},  {0x2001, " "},
    {0x2002, " "},  {0x2003, " "},  {0x2004, " "},   {0x2005, " "},  {0x2006, " "},  {0x2007, " "},
    {0x2008, " "},  {0x2009, " "},  {0x200A, " "},   {0x200B, ""},   {0x200C, ""},   {0x200D, ""},
    {0x2010, "-"},  {0x2011, "-"},  {0x2012, "-"},   {0x2013, "-"},  {0x2014, "-"},  {0x2015, "-"},
    {0x2018, "'"},  {0x2019, "'"},  {0x201A, "'"},   {0x201B, "'"},  {0x201C, "\""}, {0x201D, "\""},
    {0x201E, "\""}, {0x201F, "\""}, {0x2026, "..."}, {0x202F, " "},  {0x2032, "'"},  {0x2033, "\""},
    {0x2035, "'"},  {0x2036, "\""}, {0x2039, "'"},   {0x203A, "'"},  {0x205F, " "},  {0x2060, ""},
    {0x2212, "-"},  {0x3000, " "},  {0xFE58, "-"},   {0xFE63, "-"},  {0xFEFF, ""},   {0xFF0D, "-"},
};

// The ASCII replacement for code point `cp`, or nullptr when it is kept.
const char* fold_code_point(unsigned cp) {
  auto it = std::lower_bound(std::begin(kFolds), std::end(kFolds), cp,
                             [](const Fold& f, unsigned c) { return f.code_point < c; });
  return it != std::end(kFolds) && it->code_point == cp ? it->ascii : nullptr;
}

unsigned decode(std::string_view s, size_t i, size_t len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  if (len == 2) return ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  if (len == 3) return ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  return ((b(0) & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
}

}  // namespace

bool may_fold(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string fold_punctuation(std::string_view s) {
  if (!may_fold(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out += s[i++];
      continue;
    }
    size_t len = text::utf8_sequence_length(s, i);
    if (len == 0) {  // invalid byte: keep it, it cannot be punctuation
      out += s[i++];
      continue;
    }
    const char* ascii = fold_code_point(decode(s, i, len));
    if (ascii) {
      out += ascii;
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace ds::edit
