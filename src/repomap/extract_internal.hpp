// Shared machinery of the built-in extractors (not a public header): a token
// stream with look-ahead that counts every identifier it passes, and the sink
// that collects definitions.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "repomap/lexer.hpp"
#include "repomap/symbols.hpp"

namespace ds::repomap::detail {

// Counts identifier occurrences: a flat open-addressing table keyed by the
// identifier's text (views into the content).
class IdentCounter {
 public:
  IdentCounter();
  void add(std::string_view name);
  void append_to(std::vector<Reference>& out) const;

 private:
  struct Slot {
    std::string_view name;
    uint32_t count = 0;
  };
  void grow();
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

class SymbolSink {
 public:
  explicit SymbolSink(std::string_view content) : content_(content) {}
  void def(const Token& name, DefKind kind, int depth);
  // A definition whose signature line is another token's line.
  void def_at(const Token& name, const Token& line_of, DefKind kind, int depth);
  void ref(std::string_view name) { refs_.add(name); }
  FileSymbols finish();

 private:
  std::string_view content_;
  std::vector<Definition> defs_;
  IdentCounter refs_;
};

class TokenStream {
 public:
  TokenStream(std::string_view content, Language lang, SymbolSink& sink)
      : lexer_(content, lex_rules_for(lang)), sink_(sink) {}

  Token next();
  const Token& peek(size_t k = 0);  // k-th token ahead without consuming it
  void skip_line();                 // drops look-ahead and the rest of the line
  // Consumes tokens through the bracket that closes the one just consumed
  // (open is '(', '[', '{' or '<'); false at end of input.
  bool skip_balanced(char open, char close);

 private:
  Token pull();
  Lexer lexer_;
  SymbolSink& sink_;
  std::deque<Token> ahead_;
};

void extract_cfamily(TokenStream& ts, SymbolSink& sink, Language lang);
void extract_js(TokenStream& ts, SymbolSink& sink, Language lang);
void extract_go(TokenStream& ts, SymbolSink& sink);
void extract_rust(TokenStream& ts, SymbolSink& sink);
void extract_python(TokenStream& ts, SymbolSink& sink);

}  // namespace ds::repomap::detail
