// Rust definitions: fns (methods inside impl/trait blocks), structs, enums,
// unions, traits, type aliases, consts and statics, modules, macro_rules!,
// and impl headers (named after their self type).
#include "repomap/extract_internal.hpp"

namespace ds::repomap::detail {

namespace {

bool item_keyword(const Token& t) {
  return t.is_ident("fn") || t.is_ident("pub") || t.is_ident("impl") || t.is_ident("struct") ||
         t.is_ident("enum") || t.is_ident("trait") || t.is_ident("mod") || t.is_ident("use") ||
         t.is_ident("const") || t.is_ident("static") || t.is_ident("type");
}

// The self type of an impl header: the first identifier after `for`, else
// the first identifier outside the generic parameters.
const Token* impl_self_type(TokenStream& ts) {
  const Token* first = nullptr;
  int angles = 0;
  char prev = 0;
  for (size_t k = 0; k < 64; ++k) {
    const Token& t = ts.peek(k);
    if (t.end() || t.is('{') || t.is(';') || t.is_ident("where")) break;
    if (t.is('<'))
      ++angles;
    else if (t.is('>') && prev != '-' && angles > 0)
      --angles;
    else if (t.is_ident("for") && angles == 0) {
      const Token& n = ts.peek(k + 1);
      if (n.is_ident()) first = &n;
      // `for<'a>` higher-ranked bounds are rare in impl headers; ignore them.
      break;
    } else if (t.is_ident() && angles == 0 && first == nullptr && !t.is_ident("dyn") &&
               !t.is_ident("unsafe")) {
      first = &t;
    }
    prev = t.kind == TokKind::kPunct ? t.punct : 0;
  }
  return first;
}

}  // namespace

void extract_rust(TokenStream& ts, SymbolSink& sink) {
  std::vector<char> blocks;  // 'T' module / extern block, 'I' impl or trait, 'B' body
  char pending = 0;          // what the next '{' opens

  auto impl_depth = [&] {
    int d = 0;
    for (char b : blocks) d += b == 'I';
    return d;
  };

  while (true) {
    Token t = ts.next();
    if (t.end()) break;
    if (t.first_on_line && t.indent == 0 && item_keyword(t)) {
      blocks.clear();  // rustfmt puts top-level items at column 0: resynchronise
      pending = 0;
    }
    if (t.is('{')) {
      blocks.push_back(pending ? pending : 'B');
      pending = 0;
      continue;
    }
    if (t.is('}')) {
      if (!blocks.empty()) blocks.pop_back();
      continue;
    }
    if (!blocks.empty() && blocks.back() == 'B') continue;
    if (t.is(';')) {
      pending = 0;
      continue;
    }
    if (t.is('#')) {  // attribute: #[...] or #![...]
      if (ts.peek().is('!')) ts.next();
      if (ts.peek().is('[')) {
        ts.next();
        if (!ts.skip_balanced('[', ']')) break;
      }
      continue;
    }
    if (!t.is_ident()) continue;
    const int depth = impl_depth();
    if (t.text == "pub" && ts.peek().is('(')) {
      ts.next();
      if (!ts.skip_balanced('(', ')')) break;
    } else if (t.text == "fn") {
      if (ts.peek().is_ident()) sink.def(ts.next(), depth > 0 ? DefKind::kMethod : DefKind::kFunction, depth);
      pending = 'B';
    } else if (t.text == "struct" || t.text == "enum" || t.text == "trait" || t.text == "mod" ||
               t.text == "type" ||
               (t.text == "union" && ts.peek().is_ident() && (ts.peek(1).is('{') || ts.peek(1).is('<')))) {
      if (!ts.peek().is_ident()) continue;
      Token name = ts.next();
      DefKind kind = t.text == "struct"  ? DefKind::kStruct
                     : t.text == "enum"  ? DefKind::kEnum
                     : t.text == "trait" ? DefKind::kTrait
                     : t.text == "mod"   ? DefKind::kModule
                     : t.text == "type"  ? DefKind::kType
                                         : DefKind::kStruct;
      sink.def(name, kind, depth);
      pending = t.text == "trait" ? 'I' : t.text == "mod" ? 'T' : 'B';
    } else if (t.text == "const" || t.text == "static") {
      if (ts.peek().is_ident("mut")) ts.next();
      if (ts.peek().is_ident() && ts.peek(1).is(':')) sink.def(ts.next(), DefKind::kConstant, depth);
    } else if (t.text == "impl") {
      if (const Token* self_type = impl_self_type(ts)) sink.def_at(*self_type, t, DefKind::kImpl, depth);
      pending = 'I';
    } else if (t.text == "macro_rules" && ts.peek().is('!')) {
      ts.next();
      if (ts.peek().is_ident()) sink.def(ts.next(), DefKind::kMacro, depth);
    } else if (t.text == "extern" && ts.peek().kind == TokKind::kString && ts.peek(1).is('{')) {
      pending = 'T';
    }
  }
}

}  // namespace ds::repomap::detail
