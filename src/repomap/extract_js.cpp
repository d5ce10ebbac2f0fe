// JavaScript / TypeScript definitions: functions, classes and their methods,
// const/let/var bound to functions or classes (arrow functions included),
// exported constants, CommonJS `exports.x =`, and in TypeScript interfaces
// (with their methods), type aliases, enums and namespaces.
#include "repomap/extract_internal.hpp"

namespace ds::repomap::detail {

namespace {

bool top_keyword(const Token& t) {
  return t.is_ident("export") || t.is_ident("function") || t.is_ident("class") || t.is_ident("import") ||
         t.is_ident("const") || t.is_ident("let") || t.is_ident("var") || t.is_ident("interface") ||
         t.is_ident("type") || t.is_ident("enum") || t.is_ident("async") || t.is_ident("abstract") ||
         t.is_ident("declare") || t.is_ident("namespace");
}

bool member_modifier(const Token& t) {
  return t.is_ident("static") || t.is_ident("async") || t.is_ident("get") || t.is_ident("set") ||
         t.is_ident("public") || t.is_ident("private") || t.is_ident("protected") || t.is_ident("readonly") ||
         t.is_ident("override") || t.is_ident("abstract") || t.is_ident("declare") || t.is_ident("accessor");
}

// Does the look-ahead at k start a function value: `function`, `async`,
// `x =>`, `(…) =>` or `(…): T =>`?
bool function_value_at(TokenStream& ts, size_t k) {
  const Token& v = ts.peek(k);
  if (v.is_ident("function") || v.is_ident("async")) return true;
  if (v.is_ident()) return ts.peek(k + 1).is('=') && ts.peek(k + 2).is('>');
  if (!v.is('(') && !v.is('<')) return false;
  int depth = 0;
  for (size_t i = k; i < k + 96; ++i) {
    const Token& t = ts.peek(i);
    if (t.end() || t.is(';')) return false;
    if (t.is('('))
      ++depth;
    else if (t.is(')') && --depth == 0) {
      const Token& a = ts.peek(i + 1);
      return (a.is('=') && ts.peek(i + 2).is('>')) || a.is(':');
    }
  }
  return false;
}

}  // namespace

void extract_js(TokenStream& ts, SymbolSink& sink, Language lang) {
  const bool ts_lang = lang == Language::kTypeScript;
  std::vector<char> blocks;  // 'T' namespace, 'C' class body, 'I' interface, 'B' body
  char pending = 0;
  bool exported = false;
  bool member_start = false;

  auto member_depth = [&] {
    int d = 0;
    for (char b : blocks) d += (b == 'C' || b == 'I');
    return d;
  };

  while (true) {
    Token t = ts.next();
    if (t.end()) break;
    if (t.first_on_line && t.indent == 0 && top_keyword(t)) {
      blocks.clear();  // top-level declarations sit at column 0: resynchronise
      pending = 0;
    }
    if (t.is('{')) {
      blocks.push_back(pending ? pending : 'B');
      pending = 0;
      exported = false;
      member_start = true;
      continue;
    }
    if (t.is('}')) {
      if (!blocks.empty()) blocks.pop_back();
      exported = false;
      member_start = true;
      continue;
    }
    const char where = blocks.empty() ? 'T' : blocks.back();
    if (where == 'B') continue;
    if (t.is('@')) {  // decorator
      while (ts.peek().is_ident() && ts.peek(1).is('.')) {
        ts.next();
        ts.next();
      }
      if (ts.peek().is_ident()) ts.next();
      if (ts.peek().is('(')) {
        ts.next();
        if (!ts.skip_balanced('(', ')')) break;
      }
      continue;
    }
    if (t.is('(')) {
      if (!ts.skip_balanced('(', ')')) break;
      continue;
    }
    if (t.is(';')) {
      pending = 0;
      exported = false;
      member_start = true;
      continue;
    }

    if (where == 'C' || where == 'I') {
      if (t.first_on_line) member_start = true;
      if (!member_start) continue;
      if (member_modifier(t) && (ts.peek().is_ident() || ts.peek().is('#') || ts.peek().is('*'))) continue;
      if (t.is('*')) continue;
      Token name = t;
      if (t.is('#') && ts.peek().is_ident()) name = ts.next();
      member_start = false;
      if (!name.is_ident() || name.text == "constructor") continue;
      size_t k = ts.peek().is('?') ? 1 : 0;
      const Token& after = ts.peek(k);
      bool method =
          after.is('(') || after.is('<') || (where == 'C' && after.is('=') && function_value_at(ts, k + 1));
      if (method) {
        sink.def(name, DefKind::kMethod, member_depth());
        pending = 'B';
      }
      continue;
    }

    // Top level or a namespace body.
    if (!t.is_ident()) {
      exported = false;
      continue;
    }
    std::string_view w = t.text;
    if (w == "export" || w == "default" || w == "declare" || w == "async" || w == "abstract") {
      exported = exported || w != "async";
      if (w == "declare" && ts.peek().is_ident("global")) {
        ts.next();
        pending = 'T';
      }
      if (w == "declare" && ts.peek().is_ident("module") && ts.peek(1).kind == TokKind::kString) {
        ts.next();
        ts.next();
        pending = 'T';
      }
      continue;
    }
    if (w == "function") {
      if (ts.peek().is('*')) ts.next();
      if (ts.peek().is_ident()) sink.def_at(ts.next(), t, DefKind::kFunction, 0);
      pending = 'B';
    } else if (w == "class") {
      if (ts.peek().is_ident() && !ts.peek().is_ident("extends") && !ts.peek().is_ident("implements"))
        sink.def(ts.next(), DefKind::kClass, 0);
      pending = 'C';
    } else if (ts_lang && w == "interface" && ts.peek().is_ident()) {
      sink.def(ts.next(), DefKind::kInterface, 0);
      pending = 'I';
    } else if (ts_lang && w == "type" && ts.peek().is_ident() && (ts.peek(1).is('=') || ts.peek(1).is('<'))) {
      sink.def(ts.next(), DefKind::kType, 0);
    } else if (ts_lang && w == "enum" && ts.peek().is_ident()) {
      sink.def(ts.next(), DefKind::kEnum, 0);
      pending = 'B';
    } else if (ts_lang && (w == "namespace" || w == "module") && ts.peek().is_ident()) {
      sink.def(ts.next(), DefKind::kModule, 0);
      while (ts.peek().is('.') && ts.peek(1).is_ident()) {
        ts.next();
        ts.next();
      }
      pending = 'T';
    } else if ((w == "const" || w == "let" || w == "var") && ts.peek().is_ident() &&
               !ts.peek().is_ident("enum")) {
      const Token& after = ts.peek(1);
      if (after.is('=') && !ts.peek(2).is('=')) {
        if (function_value_at(ts, 2))
          sink.def_at(ts.next(), t, DefKind::kFunction, 0);
        else if (ts.peek(2).is_ident("class"))
          sink.def_at(ts.next(), t, DefKind::kClass, 0);
        else if (exported)
          sink.def_at(ts.next(), t, DefKind::kConstant, 0);
      } else if (after.is(':') && exported) {
        sink.def_at(ts.next(), t, DefKind::kConstant, 0);
      }
    } else if (w == "exports" && ts.peek().is('.') && ts.peek(1).is_ident() && ts.peek(2).is('=') &&
               !ts.peek(3).is('=')) {
      ts.next();
      Token name = ts.next();
      sink.def_at(name, t, function_value_at(ts, 1) ? DefKind::kFunction : DefKind::kConstant, 0);
    }
    exported = false;
  }
}

}  // namespace ds::repomap::detail
