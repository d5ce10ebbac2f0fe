// A hand-written tokenizer shared by the built-in extractors: identifiers,
// single-character punctuation, numbers and string literals, with comments
// skipped. Per-language rules cover the literal forms that would otherwise
// derail a scanner (raw strings, template literals, regexes, lifetimes).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "repomap/language.hpp"

namespace ds::repomap {

enum class TokKind : uint8_t { kEnd, kIdent, kPunct, kString, kNumber };

struct Token {
  TokKind kind = TokKind::kEnd;
  char punct = 0;              // the character, for kPunct
  bool first_on_line = false;  // nothing but whitespace before it on its line
  uint32_t line = 0;           // 1-based
  uint32_t indent = 0;         // width of the line's leading whitespace (tab = 8)
  uint32_t line_begin = 0;     // byte offset where the token's line starts
  std::string_view text;

  bool is(char c) const { return kind == TokKind::kPunct && punct == c; }
  bool is_ident() const { return kind == TokKind::kIdent; }
  bool is_ident(std::string_view s) const { return kind == TokKind::kIdent && text == s; }
  bool end() const { return kind == TokKind::kEnd; }
};

struct LexRules {
  bool slash_comments = true;          // // and /* */
  bool nested_block_comments = false;  // Rust: /* /* */ */
  bool hash_comments = false;          // Python: #
  bool multiline_strings = false;      // "..." may span lines (Rust)
  bool triple_quotes = false;          // Python """/''' and Java """ text blocks
  bool string_prefixes = false;        // Python r"", b"", f""
  bool backtick_raw = false;           // Go `...`
  bool backtick_template = false;      // JS/TS `...${expr}...`
  bool cpp_literals = false;           // C++ R"d(...)d", u8"", L'x'
  bool rust_literals = false;          // r#"..."#, b"", b'x', 'lifetimes
  bool regex_literals = false;         // JS/TS /re/flags
  bool digit_separators = false;       // C++ 1'000'000
  bool dollar_in_idents = false;       // JS, Java
};

const LexRules& lex_rules_for(Language lang);

class Lexer {
 public:
  Lexer(std::string_view src, const LexRules& rules);

  Token next();
  // Skips the rest of the current line, following backslash continuations
  // (for C preprocessor directives).
  void skip_line();
  std::string_view source() const { return src_; }

 private:
  void skip_space_and_comments();
  void newline_at(size_t nl_pos);
  void skip_block_comment();
  void skip_quoted(char quote, bool multiline);
  void skip_triple(char quote);
  void skip_cpp_raw();
  bool skip_rust_raw();
  void skip_backtick_raw();
  void skip_template_chars();  // JS template body until ` or ${
  void skip_regex();
  bool regex_allowed() const;
  bool ident_char(unsigned char c) const;
  Token make(TokKind kind, size_t begin);

  std::string_view src_;
  const LexRules& rules_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t line_begin_ = 0;
  uint32_t indent_ = 0;
  bool at_line_start_ = true;
  TokKind prev_kind_ = TokKind::kEnd;
  char prev_punct_ = 0;
  std::string_view prev_text_;
  // JS template literals: for each open ${ … }, the count of { opened inside it.
  std::vector<int> template_braces_;
};

}  // namespace ds::repomap
