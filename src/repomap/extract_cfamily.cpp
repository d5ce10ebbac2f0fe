// C, C++ and Java definitions from a statement-level scan: classes, structs,
// unions, enums, interfaces and records; functions and methods (declared or
// defined, in class bodies, at namespace scope, or out of line as A::f);
// typedefs, `using X =` aliases and #define macros. Function bodies and
// initializers are skipped by brace matching.
#include <array>

#include "repomap/extract_internal.hpp"

namespace ds::repomap::detail {

namespace {

// Names followed by '(' that are never the name of a function being declared.
bool not_a_function(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "if",       "for",      "while",          "switch",        "return",   "sizeof",        "alignof",
      "alignas",  "decltype", "catch",          "static_assert", "defined",  "__attribute__", "__declspec",
      "noexcept", "throw",    "typeof",         "__typeof__",    "operator", "new",           "delete",
      "assert",   "_Alignas", "_Static_assert", "synchronized",  "super",    "this",          "requires"};
  for (std::string_view k : kWords)
    if (k == w) return true;
  return false;
}

// Words that cannot be the type before a declared function's name.
bool not_a_type(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "return",   "new",      "delete",   "throw", "case",    "goto",   "else", "co_return",
      "co_await", "co_yield", "operator", "using", "typedef", "sizeof", "do",   "assert"};
  for (std::string_view k : kWords)
    if (k == w) return true;
  return false;
}

bool access_label(std::string_view w) {
  return w == "public" || w == "private" || w == "protected" || w == "signals" || w == "slots" ||
         w == "Q_SLOTS" || w == "Q_SIGNALS";
}

DefKind class_kind(std::string_view kw) {
  if (kw == "struct" || kw == "union") return DefKind::kStruct;
  if (kw == "enum") return DefKind::kEnum;
  if (kw == "interface") return DefKind::kInterface;
  return DefKind::kClass;
}

struct Block {
  char kind;  // 'T' top/namespace/extern "C", 'C' class body, 'B' anything else
  std::string_view class_name;
  bool typedef_open;  // opened inside `typedef struct { … } Name;`
};

// The declaration being read at namespace or class scope.
struct Statement {
  int ntok = 0;
  std::array<Token, 5> last{};  // last[0] is the most recent token
  bool has_eq = false;
  bool is_typedef = false;
  bool is_namespace = false;
  bool is_extern_c = false;
  bool function_def = false;
  std::string_view class_kw;
  Token class_name;
  bool class_name_fixed = false;

  void push(const Token& t) {
    for (size_t i = last.size() - 1; i > 0; --i) last[i] = last[i - 1];
    last[0] = t;
    ++ntok;
  }
  const Token* back(size_t i) const {
    return static_cast<int>(i) < ntok && i < last.size() ? &last[i] : nullptr;
  }
};

class CFamilyScanner {
 public:
  CFamilyScanner(TokenStream& ts, SymbolSink& sink, Language lang)
      : ts_(ts), sink_(sink), java_(lang == Language::kJava) {}

  void run() {
    while (true) {
      Token t = ts_.next();
      if (t.end()) return;
      if (!blocks_.empty() && blocks_.back().kind == 'B') {
        if (t.is('{'))
          blocks_.push_back(Block{'B', {}, false});
        else if (t.is('}'))
          blocks_.pop_back();
        else if (t.is('#') && !java_)
          skip_directive();
        continue;
      }
      if (!declaration_token(t)) return;
    }
  }

 private:
  int class_depth() const {
    int d = 0;
    for (const Block& b : blocks_) d += b.kind == 'C';
    return d;
  }
  char where() const { return blocks_.empty() ? 'T' : blocks_.back().kind; }

  void skip_directive() {
    if (ts_.peek().is_ident("define")) {
      ts_.next();
      if (ts_.peek().is_ident()) {
        Token name = ts_.next();
        sink_.def(name, DefKind::kMacro, 0);
      }
    }
    ts_.skip_line();
  }

  // False at end of input.
  bool declaration_token(const Token& t) {
    if (t.is('#') && !java_) {
      skip_directive();
      return true;
    }
    if (t.is('@') && java_) {
      if (ts_.peek().is_ident("interface")) return true;  // @interface: the keyword follows
      while (ts_.peek().is_ident() && ts_.peek(1).is('.')) {
        ts_.next();
        ts_.next();
      }
      if (ts_.peek().is_ident()) ts_.next();
      if (ts_.peek().is('(')) {
        ts_.next();
        return ts_.skip_balanced('(', ')');
      }
      return true;
    }
    if (t.is(';')) {
      end_statement();
      return true;
    }
    if (t.is('{')) {
      open_block();
      return true;
    }
    if (t.is('}')) {
      bool typedef_open = !blocks_.empty() && blocks_.back().typedef_open;
      if (!blocks_.empty()) blocks_.pop_back();
      st_ = Statement{};
      st_.is_typedef = typedef_open;
      return true;
    }
    if (t.is(':') && where() == 'C' && st_.ntok > 0 && st_.last[0].is_ident() &&
        access_label(st_.last[0].text) && !ts_.peek().is(':')) {
      st_ = Statement{};
      return true;
    }
    if (t.is('(')) return paren_group();
    if (t.is_ident()) {
      ident(t);
      return true;
    }
    if (t.is('=')) st_.has_eq = true;
    if (!st_.class_kw.empty() && !st_.class_name.text.empty()) st_.class_name_fixed = true;
    st_.push(t);
    return true;
  }

  void ident(const Token& t) {
    std::string_view w = t.text;
    if (st_.ntok == 0 && w == "template" && ts_.peek().is('<')) {
      ts_.next();
      ts_.skip_balanced('<', '>');
      return;
    }
    if (w == "class" || w == "struct" || w == "union" || w == "enum" ||
        (java_ && (w == "interface" || w == "record"))) {
      if (st_.class_kw.empty()) st_.class_kw = w;
    } else if (w == "namespace") {
      st_.is_namespace = true;
    } else if (w == "extern" && ts_.peek().kind == TokKind::kString) {
      st_.is_extern_c = true;
    } else if (w == "extends" || w == "implements" || w == "permits" || w == "final") {
      if (!st_.class_name.text.empty()) st_.class_name_fixed = true;
    } else if (w == "typedef") {
      st_.is_typedef = true;
    } else if (w == "using" && !java_ && ts_.peek().is_ident() && ts_.peek(1).is('=')) {
      sink_.def(ts_.peek(), DefKind::kType, class_depth());
    } else if (!st_.class_kw.empty() && !st_.class_name_fixed && w != "final" && w != "sealed" &&
               w != "abstract" && w != "alignas" && w != "static" && w != "public" && w != "private" &&
               w != "protected") {
      st_.class_name = t;
    }
    st_.push(t);
  }

  bool paren_group() {
    const Token* name = st_.back(0);
    bool candidate = !st_.function_def && !st_.has_eq && !st_.is_typedef && name && name->is_ident() &&
                     !not_a_function(name->text) && !(java_ && st_.class_kw == "record");
    DefKind kind = where() == 'C' ? DefKind::kMethod : DefKind::kFunction;
    if (candidate) {
      const Token* prev = st_.back(1);
      if (prev == nullptr) {
        // Only a constructor may have nothing before its name.
        candidate =
            where() == 'C' && !blocks_.back().class_name.empty() && name->text == blocks_.back().class_name;
      } else if (prev->is(':')) {
        // A::f( — qualified: an out-of-line method (or A::A constructor).
        const Token* colon2 = st_.back(2);
        const Token* owner = st_.back(3);
        candidate = colon2 && colon2->is(':') && owner &&
                    (st_.back(4) != nullptr || (owner->is_ident() && owner->text == name->text));
        kind = DefKind::kMethod;
      } else if (prev->is_ident()) {
        candidate = !not_a_type(prev->text);
      } else {
        candidate = prev->is('*') || prev->is('&') || prev->is('>');
      }
    }
    // `Foo bar(3);` and `int x("a");` construct objects; parameters do not
    // start with a literal.
    const Token& first_inside = ts_.peek();
    if (first_inside.kind == TokKind::kNumber || first_inside.kind == TokKind::kString) candidate = false;
    Token name_tok = name ? *name : Token{};
    if (!ts_.skip_balanced('(', ')')) return false;
    if (candidate) {
      const Token& after = ts_.peek();
      bool accept = after.is('{') || after.is(';') || after.is(':') || after.is('-') || after.is('=') ||
                    after.is('&') || after.is('[') || after.is_ident();
      if (accept) {
        if (kind == DefKind::kFunction && java_) kind = DefKind::kMethod;
        sink_.def(name_tok, kind, class_depth());
        st_.function_def = true;
      }
    }
    Token close;
    close.kind = TokKind::kPunct;
    close.punct = ')';
    st_.push(close);
    return true;
  }

  void open_block() {
    Block b{'B', {}, st_.is_typedef};
    if (st_.function_def) {
      b.kind = 'B';
    } else if (!st_.class_kw.empty() && !st_.has_eq) {
      const Token& name = st_.class_name;
      DefKind kind = class_kind(st_.class_kw);
      if (!name.text.empty()) sink_.def(name, kind, class_depth());
      if (kind != DefKind::kEnum) {
        b.kind = 'C';
        b.class_name = name.text;
      }
    } else if (st_.is_namespace || st_.is_extern_c) {
      b.kind = 'T';
    }
    blocks_.push_back(b);
    st_ = Statement{};
  }

  void end_statement() {
    if (st_.is_typedef && st_.ntok > 0 && st_.last[0].is_ident())
      sink_.def(st_.last[0], DefKind::kType, class_depth());
    st_ = Statement{};
  }

  TokenStream& ts_;
  SymbolSink& sink_;
  bool java_;
  std::vector<Block> blocks_;
  Statement st_;
};

}  // namespace

void extract_cfamily(TokenStream& ts, SymbolSink& sink, Language lang) {
  CFamilyScanner(ts, sink, lang).run();
}

}  // namespace ds::repomap::detail
