// The tokenizer's literal forms: quoted, triple-quoted and raw strings, C++
// R"d(...)d", Rust r#"..."#, Go raw strings, JS template literals (whose
// ${...} expressions are tokenized normally) and regex literals.
#include <string>

#include "repomap/lexer.hpp"

namespace ds::repomap {

// pos_ is at the opening quote.
void Lexer::skip_quoted(char quote, bool multiline) {
  const size_t n = src_.size();
  ++pos_;
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\\') {
      if (pos_ + 1 < n && src_[pos_ + 1] == '\n') {
        newline_at(pos_ + 1);
      }
      pos_ += 2;
    } else if (c == quote) {
      ++pos_;
      return;
    } else if (c == '\n') {
      if (!multiline) return;  // unterminated: stop at the line end
      newline_at(pos_);
      ++pos_;
    } else {
      ++pos_;
    }
  }
  if (pos_ > n) pos_ = n;
}

// pos_ is at the first of three quotes.
void Lexer::skip_triple(char quote) {
  const size_t n = src_.size();
  pos_ += 3;
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\\') {
      if (pos_ + 1 < n && src_[pos_ + 1] == '\n') newline_at(pos_ + 1);
      pos_ += 2;
    } else if (c == quote && pos_ + 2 < n && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote) {
      pos_ += 3;
      return;
    } else {
      if (c == '\n') newline_at(pos_);
      ++pos_;
    }
  }
  if (pos_ > n) pos_ = n;
}

// pos_ is at the quote of R"delim( ... )delim".
void Lexer::skip_cpp_raw() {
  const size_t n = src_.size();
  size_t open = src_.find('(', pos_);
  if (open == std::string_view::npos || open - pos_ > 17) {
    skip_quoted('"', false);
    return;
  }
  std::string closing = ")";
  closing.append(src_.substr(pos_ + 1, open - pos_ - 1));
  closing.push_back('"');
  size_t end = src_.find(closing, open + 1);
  size_t stop = end == std::string_view::npos ? n : end + closing.size();
  for (size_t i = pos_; i < stop; ++i)
    if (src_[i] == '\n') newline_at(i);
  pos_ = stop;
}

// pos_ is after the r/br prefix, at '#' or '"'. False when it is not a raw string.
bool Lexer::skip_rust_raw() {
  const size_t n = src_.size();
  size_t p = pos_;
  size_t hashes = 0;
  while (p < n && src_[p] == '#') {
    ++hashes;
    ++p;
  }
  if (p >= n || src_[p] != '"') return false;
  ++p;
  while (p < n) {
    if (src_[p] == '"') {
      size_t k = 0;
      while (k < hashes && p + 1 + k < n && src_[p + 1 + k] == '#') ++k;
      if (k == hashes) {
        p += 1 + hashes;
        break;
      }
    }
    if (src_[p] == '\n') newline_at(p);
    ++p;
  }
  pos_ = p > n ? n : p;
  return true;
}

void Lexer::skip_backtick_raw() {
  const size_t n = src_.size();
  ++pos_;
  while (pos_ < n && src_[pos_] != '`') {
    if (src_[pos_] == '\n') newline_at(pos_);
    ++pos_;
  }
  if (pos_ < n) ++pos_;
}

// Inside a template literal: runs to the closing backtick, or stops after
// "${" (pushing a brace counter) so the expression is tokenized normally.
void Lexer::skip_template_chars() {
  const size_t n = src_.size();
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\\') {
      if (pos_ + 1 < n && src_[pos_ + 1] == '\n') newline_at(pos_ + 1);
      pos_ += 2;
    } else if (c == '`') {
      ++pos_;
      return;
    } else if (c == '$' && pos_ + 1 < n && src_[pos_ + 1] == '{') {
      pos_ += 2;
      template_braces_.push_back(0);
      return;
    } else {
      if (c == '\n') newline_at(pos_);
      ++pos_;
    }
  }
  if (pos_ > n) pos_ = n;
}

bool Lexer::regex_allowed() const {
  switch (prev_kind_) {
    case TokKind::kEnd:
      return true;
    case TokKind::kNumber:
    case TokKind::kString:
      return false;
    case TokKind::kPunct:
      return prev_punct_ != ')' && prev_punct_ != ']' && prev_punct_ != '}';
    case TokKind::kIdent:
      return prev_text_ == "return" || prev_text_ == "typeof" || prev_text_ == "case" ||
             prev_text_ == "else" || prev_text_ == "in" || prev_text_ == "of" || prev_text_ == "new" ||
             prev_text_ == "delete" || prev_text_ == "void" || prev_text_ == "throw" ||
             prev_text_ == "instanceof" || prev_text_ == "yield" || prev_text_ == "await" ||
             prev_text_ == "do";
  }
  return false;
}

// pos_ is at the opening '/'. A regex never spans lines.
void Lexer::skip_regex() {
  const size_t n = src_.size();
  ++pos_;
  bool in_class = false;
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\n') return;
    if (c == '\\') {
      pos_ += 2;
      continue;
    }
    ++pos_;
    if (c == '[')
      in_class = true;
    else if (c == ']')
      in_class = false;
    else if (c == '/' && !in_class)
      break;
  }
  while (pos_ < n && ident_char(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  if (pos_ > n) pos_ = n;
}

}  // namespace ds::repomap
