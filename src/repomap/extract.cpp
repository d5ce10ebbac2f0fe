// The built-in extractor's entry point and shared machinery: identifier
// counting, the definition sink, the look-ahead token stream, keywords.
#include <algorithm>
#include <array>

#include "repomap/extract_internal.hpp"
#include "repomap/symbols.hpp"

namespace ds::repomap {

namespace detail {

namespace {

inline uint64_t hash_name(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h ^ (h >> 29);
}

}  // namespace

IdentCounter::IdentCounter() : slots_(256) {}

void IdentCounter::add(std::string_view name) {
  if (name.size() < 2 || name.size() > 128) return;
  size_t mask = slots_.size() - 1;
  size_t i = hash_name(name) & mask;
  while (true) {
    Slot& s = slots_[i];
    if (s.count == 0) {
      s.name = name;
      s.count = 1;
      if (++used_ * 2 > slots_.size()) grow();
      return;
    }
    if (s.name == name) {
      ++s.count;
      return;
    }
    i = (i + 1) & mask;
  }
}

void IdentCounter::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.count == 0) continue;
    size_t i = hash_name(s.name) & mask;
    while (slots_[i].count != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void IdentCounter::append_to(std::vector<Reference>& out) const {
  for (const Slot& s : slots_)
    if (s.count != 0 && !is_keyword(s.name)) out.push_back(Reference{s.name, s.count});
}

void SymbolSink::def(const Token& name, DefKind kind, int depth) { def_at(name, name, kind, depth); }

void SymbolSink::def_at(const Token& name, const Token& line_of, DefKind kind, int depth) {
  if (name.text.size() < 2 || name.text.size() > 128) return;
  Definition d;
  d.name = name.text;
  d.line = line_of.line;
  d.kind = kind;
  d.depth = static_cast<uint8_t>(std::clamp(depth, 0, 8));
  d.signature = signature_at(content_, line_of.line_begin);
  defs_.push_back(d);
}

FileSymbols SymbolSink::finish() {
  FileSymbols out;
  out.defs = std::move(defs_);
  refs_.append_to(out.refs);
  return out;
}

Token TokenStream::pull() {
  Token t = lexer_.next();
  if (t.kind == TokKind::kIdent) sink_.ref(t.text);
  return t;
}

Token TokenStream::next() {
  if (!ahead_.empty()) {
    Token t = ahead_.front();
    ahead_.pop_front();
    return t;
  }
  return pull();
}

const Token& TokenStream::peek(size_t k) {
  while (ahead_.size() <= k) ahead_.push_back(pull());
  return ahead_[k];
}

void TokenStream::skip_line() {
  // Look-ahead tokens on the same line are dropped; the lexer skips the rest.
  if (!ahead_.empty()) {
    uint32_t line = ahead_.front().line;
    while (!ahead_.empty() && ahead_.front().line == line && !ahead_.front().first_on_line)
      ahead_.pop_front();
    if (!ahead_.empty()) return;  // the look-ahead already reached the next line
  }
  lexer_.skip_line();
}

bool TokenStream::skip_balanced(char open, char close) {
  int depth = 1;
  char prev = 0;
  while (true) {
    const Token& p = peek();
    if (p.end()) return false;
    // Angle brackets are not real brackets: never cross a statement or block.
    if (open == '<' && (p.is(';') || p.is('{') || p.is('}'))) return false;
    Token t = next();
    if (t.is(open)) {
      ++depth;
    } else if (t.is(close) && !(open == '<' && prev == '-')) {
      if (--depth == 0) return true;
    }
    prev = t.kind == TokKind::kPunct ? t.punct : 0;
  }
}

}  // namespace detail

std::string_view def_kind_name(DefKind kind) {
  switch (kind) {
    case DefKind::kFunction:
      return "function";
    case DefKind::kMethod:
      return "method";
    case DefKind::kClass:
      return "class";
    case DefKind::kStruct:
      return "struct";
    case DefKind::kInterface:
      return "interface";
    case DefKind::kTrait:
      return "trait";
    case DefKind::kEnum:
      return "enum";
    case DefKind::kType:
      return "type";
    case DefKind::kMacro:
      return "macro";
    case DefKind::kConstant:
      return "constant";
    case DefKind::kVariable:
      return "variable";
    case DefKind::kModule:
      return "module";
    case DefKind::kImpl:
      return "impl";
    case DefKind::kOther:
      break;
  }
  return "other";
}

std::string_view signature_at(std::string_view content, size_t line_begin) {
  if (line_begin >= content.size()) return {};
  size_t end = content.find('\n', line_begin);
  if (end == std::string_view::npos) end = content.size();
  std::string_view line = content.substr(line_begin, end - line_begin);
  size_t b = line.find_first_not_of(" \t\r\f\v");
  if (b == std::string_view::npos) return {};
  size_t e = line.find_last_not_of(" \t\r\f\v");
  line = line.substr(b, e - b + 1);
  if (line.size() > kMaxSignatureBytes) {
    size_t cut = kMaxSignatureBytes;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut);
  }
  return line;
}

namespace {

// Keywords by first letter; most identifiers are rejected by the first
// comparison of lengths.
constexpr std::string_view kKeywords[] = {
    "abstract", "alignas",    "alignof",   "and",      "as",       "assert",     "async",   "auto",
    "await",    "bool",       "boolean",   "break",    "byte",     "case",       "catch",   "char",
    "class",    "const",      "constexpr", "continue", "crate",    "def",        "default", "defer",
    "del",      "delete",     "do",        "double",   "dyn",      "elif",       "else",    "enum",
    "except",   "explicit",   "export",    "extends",  "extern",   "false",      "final",   "finally",
    "float",    "fn",         "for",       "from",     "func",     "go",         "goto",    "if",
    "impl",     "implements", "import",    "in",       "inline",   "instanceof", "int",     "interface",
    "is",       "lambda",     "let",       "long",     "loop",     "match",      "mod",     "move",
    "mut",      "namespace",  "new",       "nil",      "noexcept", "nonlocal",   "not",     "null",
    "nullptr",  "operator",   "or",        "override", "package",  "pass",       "private", "protected",
    "pub",      "public",     "raise",     "range",    "ref",      "return",     "select",  "self",
    "short",    "signed",     "sizeof",    "static",   "struct",   "super",      "switch",  "template",
    "this",     "throw",      "throws",    "trait",    "true",     "try",        "type",    "typedef",
    "typename", "typeof",     "uint",      "unsafe",   "unsigned", "use",        "using",   "var",
    "virtual",  "void",       "volatile",  "where",    "while",    "with",       "yield",   "True",
    "False",    "None",       "Self",
};

struct KeywordIndex {
  std::array<std::vector<std::string_view>, 128> by_first;
  KeywordIndex() {
    for (std::string_view k : kKeywords) by_first[static_cast<unsigned char>(k[0])].push_back(k);
  }
};

const KeywordIndex& keyword_index() {
  static const KeywordIndex index;
  return index;
}

}  // namespace

bool is_keyword(std::string_view word) {
  if (word.empty() || word.size() > 10) return false;
  unsigned char c = static_cast<unsigned char>(word[0]);
  if (c >= 128) return false;
  for (std::string_view k : keyword_index().by_first[c])
    if (k == word) return true;
  return false;
}

FileSymbols extract_symbols(Language lang, std::string_view content) {
  detail::SymbolSink sink(content);
  detail::TokenStream ts(content, lang, sink);
  switch (lang) {
    case Language::kC:
    case Language::kCpp:
    case Language::kJava:
      detail::extract_cfamily(ts, sink, lang);
      break;
    case Language::kJavaScript:
    case Language::kTypeScript:
      detail::extract_js(ts, sink, lang);
      break;
    case Language::kGo:
      detail::extract_go(ts, sink);
      break;
    case Language::kRust:
      detail::extract_rust(ts, sink);
      break;
    case Language::kPython:
      detail::extract_python(ts, sink);
      break;
    case Language::kUnknown:
      while (!ts.next().end()) {
      }
      break;
  }
  return sink.finish();
}

}  // namespace ds::repomap
