// The shared tokenizer: whitespace/comment skipping, literal forms per
// language, line and indentation bookkeeping.
#include "repomap/lexer.hpp"

#include <string>

namespace ds::repomap {

namespace {

LexRules make_rules(Language lang) {
  LexRules r;
  switch (lang) {
    case Language::kC:
    case Language::kCpp:
      r.cpp_literals = true;
      r.digit_separators = true;
      break;
    case Language::kPython:
      r.slash_comments = false;
      r.hash_comments = true;
      r.triple_quotes = true;
      r.string_prefixes = true;
      break;
    case Language::kJavaScript:
    case Language::kTypeScript:
      r.backtick_template = true;
      r.regex_literals = true;
      r.dollar_in_idents = true;
      break;
    case Language::kGo:
      r.backtick_raw = true;
      break;
    case Language::kRust:
      r.nested_block_comments = true;
      r.multiline_strings = true;
      r.rust_literals = true;
      break;
    case Language::kJava:
      r.triple_quotes = true;
      r.dollar_in_idents = true;
      break;
    case Language::kUnknown:
      r.hash_comments = false;
      break;
  }
  return r;
}

const LexRules kRules[] = {
    make_rules(Language::kUnknown), make_rules(Language::kC),          make_rules(Language::kCpp),
    make_rules(Language::kPython),  make_rules(Language::kJavaScript), make_rules(Language::kTypeScript),
    make_rules(Language::kGo),      make_rules(Language::kRust),       make_rules(Language::kJava),
};

bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Bytes in the UTF-8 sequence that starts with `c` (1 for ASCII and junk).
size_t utf8_len(unsigned char c) {
  if (c < 0xC0) return 1;
  if (c < 0xE0) return 2;
  if (c < 0xF0) return 3;
  return 4;
}

}  // namespace

const LexRules& lex_rules_for(Language lang) { return kRules[static_cast<size_t>(lang)]; }

Lexer::Lexer(std::string_view src, const LexRules& rules) : src_(src), rules_(rules) {
  newline_at(static_cast<size_t>(-1));
  line_ = 1;
}

bool Lexer::ident_char(unsigned char c) const {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c >= 0x80 ||
         (c == '$' && rules_.dollar_in_idents);
}

// Bookkeeping for a line break at nl_pos: the next line starts after it.
void Lexer::newline_at(size_t nl_pos) {
  ++line_;
  line_begin_ = static_cast<uint32_t>(nl_pos + 1);
  uint32_t width = 0;
  for (size_t i = line_begin_; i < src_.size(); ++i) {
    if (src_[i] == ' ')
      ++width;
    else if (src_[i] == '\t')
      width = (width / 8 + 1) * 8;
    else
      break;
  }
  indent_ = width;
}

void Lexer::skip_space_and_comments() {
  const size_t n = src_.size();
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\n') {
      newline_at(pos_);
      at_line_start_ = true;
      ++pos_;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '\\' && pos_ + 1 < n && (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
      // Line continuation: the next line continues this one.
      size_t nl = src_.find('\n', pos_);
      if (nl == std::string_view::npos) {
        pos_ = n;
        return;
      }
      newline_at(nl);
      pos_ = nl + 1;
    } else if (rules_.hash_comments && c == '#') {
      size_t nl = src_.find('\n', pos_);
      pos_ = nl == std::string_view::npos ? n : nl;
    } else if (rules_.slash_comments && c == '/' && pos_ + 1 < n && src_[pos_ + 1] == '/') {
      size_t nl = src_.find('\n', pos_);
      pos_ = nl == std::string_view::npos ? n : nl;
    } else if (rules_.slash_comments && c == '/' && pos_ + 1 < n && src_[pos_ + 1] == '*') {
      skip_block_comment();
    } else {
      return;
    }
  }
}

void Lexer::skip_block_comment() {
  const size_t n = src_.size();
  int depth = 0;
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '/' && pos_ + 1 < n && src_[pos_ + 1] == '*') {
      ++depth;
      pos_ += 2;
      if (!rules_.nested_block_comments) depth = 1;
    } else if (c == '*' && pos_ + 1 < n && src_[pos_ + 1] == '/') {
      pos_ += 2;
      if (--depth <= 0) return;
    } else {
      if (c == '\n') newline_at(pos_);
      ++pos_;
    }
  }
}

void Lexer::skip_line() {
  const size_t n = src_.size();
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '\n') return;
    if (c == '\\' && pos_ + 1 < n && (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
      size_t nl = src_.find('\n', pos_);
      if (nl == std::string_view::npos) {
        pos_ = n;
        return;
      }
      newline_at(nl);
      pos_ = nl + 1;
      continue;
    }
    if (rules_.slash_comments && c == '/' && pos_ + 1 < n && src_[pos_ + 1] == '*') {
      skip_block_comment();
      continue;
    }
    ++pos_;
  }
}

Token Lexer::make(TokKind kind, size_t begin) {
  Token t;
  t.kind = kind;
  t.first_on_line = at_line_start_;
  t.line = line_;
  t.indent = indent_;
  t.line_begin = line_begin_;
  t.text = src_.substr(begin, pos_ - begin);
  if (kind == TokKind::kPunct) t.punct = src_[begin];
  at_line_start_ = false;
  prev_kind_ = kind;
  prev_punct_ = t.punct;
  prev_text_ = t.text;
  return t;
}

Token Lexer::next() {
  skip_space_and_comments();
  const size_t n = src_.size();
  if (pos_ >= n) {
    Token t;
    t.line = line_;
    t.line_begin = line_begin_;
    return t;
  }
  // Line info for a literal that spans lines belongs to its first line.
  const uint32_t start_line = line_, start_line_begin = line_begin_, start_indent = indent_;
  auto finish = [&](TokKind kind, size_t begin) {
    uint32_t end_line = line_, end_begin = line_begin_, end_indent = indent_;
    line_ = start_line;
    line_begin_ = start_line_begin;
    indent_ = start_indent;
    Token t = make(kind, begin);
    line_ = end_line;
    line_begin_ = end_begin;
    indent_ = end_indent;
    return t;
  };

  const size_t begin = pos_;
  const unsigned char c = static_cast<unsigned char>(src_[pos_]);

  if (ident_char(c) && !is_digit(c)) {
    while (pos_ < n && ident_char(static_cast<unsigned char>(src_[pos_])))
      pos_ += utf8_len(static_cast<unsigned char>(src_[pos_]));
    if (pos_ > n) pos_ = n;
    std::string_view word = src_.substr(begin, pos_ - begin);
    char q = pos_ < n ? src_[pos_] : 0;
    if (q == '"' || q == '\'' || q == '#') {
      if (rules_.string_prefixes && word.size() <= 3 && q != '#' &&
          word.find_first_not_of("rRbBuUfF") == std::string_view::npos) {
        if (rules_.triple_quotes && pos_ + 2 < n && src_[pos_ + 1] == q && src_[pos_ + 2] == q)
          skip_triple(q);
        else
          skip_quoted(q, false);
        return finish(TokKind::kString, begin);
      }
      if (rules_.cpp_literals && q == '"' &&
          (word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR")) {
        skip_cpp_raw();
        return finish(TokKind::kString, begin);
      }
      if (rules_.cpp_literals && q != '#' && (word == "u8" || word == "u" || word == "U" || word == "L")) {
        skip_quoted(q, false);
        return finish(TokKind::kString, begin);
      }
      if (rules_.rust_literals && (word == "r" || word == "br") && q != '\'') {
        if (skip_rust_raw()) return finish(TokKind::kString, begin);
      }
      if (rules_.rust_literals && word == "b" && q != '#') {
        skip_quoted(q, q == '"');
        return finish(TokKind::kString, begin);
      }
    }
    return make(TokKind::kIdent, begin);
  }

  if (is_digit(c) || (c == '.' && pos_ + 1 < n && is_digit(static_cast<unsigned char>(src_[pos_ + 1])))) {
    ++pos_;
    while (pos_ < n) {
      unsigned char d = static_cast<unsigned char>(src_[pos_]);
      if (ident_char(d) || d == '.' || (d == '\'' && rules_.digit_separators))
        ++pos_;
      else
        break;
    }
    return make(TokKind::kNumber, begin);
  }

  if (c == '"' || c == '\'') {
    if (c == '\'' && rules_.rust_literals) {
      // 'x' and '\n' are chars; 'a (no closing quote) is a lifetime or label.
      size_t after = pos_ + 1;
      if (after < n && src_[after] == '\\') {
        skip_quoted('\'', false);
        return finish(TokKind::kString, begin);
      }
      size_t len = after < n ? utf8_len(static_cast<unsigned char>(src_[after])) : 1;
      if (after + len < n && src_[after + len] == '\'') {
        pos_ = after + len + 1;
        return make(TokKind::kString, begin);
      }
      ++pos_;  // lifetime: drop the quote, the name follows as an identifier
      return next();
    }
    if (rules_.triple_quotes && pos_ + 2 < n && src_[pos_ + 1] == static_cast<char>(c) &&
        src_[pos_ + 2] == static_cast<char>(c)) {
      skip_triple(static_cast<char>(c));
    } else {
      skip_quoted(static_cast<char>(c), rules_.multiline_strings && c == '"');
    }
    return finish(TokKind::kString, begin);
  }

  if (c == '`' && rules_.backtick_raw) {
    skip_backtick_raw();
    return finish(TokKind::kString, begin);
  }
  if (c == '`' && rules_.backtick_template) {
    ++pos_;
    skip_template_chars();
    return finish(TokKind::kString, begin);
  }
  if (!template_braces_.empty() && (c == '{' || c == '}')) {
    if (c == '{') {
      ++template_braces_.back();
    } else if (template_braces_.back() == 0) {
      template_braces_.pop_back();  // end of ${ ... }: back inside the template
      ++pos_;
      skip_template_chars();
      return finish(TokKind::kString, begin);
    } else {
      --template_braces_.back();
    }
  }
  if (c == '/' && rules_.regex_literals && regex_allowed()) {
    skip_regex();
    return finish(TokKind::kString, begin);
  }

  ++pos_;
  return make(TokKind::kPunct, begin);
}

}  // namespace ds::repomap
