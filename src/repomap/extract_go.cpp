// Go definitions: funcs, methods with receivers, types (struct, interface and
// others, also in `type ( … )` groups), interface methods, exported
// top-level vars and consts.
#include "repomap/extract_internal.hpp"

namespace ds::repomap::detail {

namespace {

bool exported(std::string_view name) { return !name.empty() && name[0] >= 'A' && name[0] <= 'Z'; }

DefKind type_kind(TokenStream& ts) {
  // After the type name: `struct`, `interface`, or anything else.
  const Token& k = ts.peek();
  if (k.is_ident("struct")) return DefKind::kStruct;
  if (k.is_ident("interface")) return DefKind::kInterface;
  return DefKind::kType;
}

bool top_level_keyword(const Token& t) {
  return t.is_ident("func") || t.is_ident("type") || t.is_ident("var") || t.is_ident("const") ||
         t.is_ident("import");
}

}  // namespace

void extract_go(TokenStream& ts, SymbolSink& sink) {
  std::vector<char> blocks;  // 'I' interface body, 'B' anything else
  char group = 0;            // inside `type (`, `const (`, `var (`: 't', 'c', 'v'; imports 'i'
  int group_parens = 0;
  bool next_brace_interface = false;

  while (true) {
    Token t = ts.next();
    if (t.end()) break;
    // gofmt puts top-level declarations at column 0: resynchronise there.
    if (t.first_on_line && t.indent == 0 && top_level_keyword(t)) {
      blocks.clear();
      group = 0;
      group_parens = 0;
    }
    if (t.is('{')) {
      blocks.push_back(next_brace_interface ? 'I' : 'B');
      next_brace_interface = false;
      continue;
    }
    if (t.is('}')) {
      if (!blocks.empty()) blocks.pop_back();
      continue;
    }
    if (t.is_ident("interface") && ts.peek().is('{')) {
      next_brace_interface = true;
      continue;
    }
    if (!blocks.empty()) {
      if (blocks.size() == 1 && blocks.back() == 'I' && t.first_on_line && t.is_ident() && ts.peek().is('('))
        sink.def(t, DefKind::kMethod, 1);
      continue;
    }
    if (group != 0) {
      if (t.is('('))
        ++group_parens;
      else if (t.is(')') && --group_parens == 0)
        group = 0;
      else if (group_parens == 1 && t.first_on_line && t.is_ident()) {
        if (group == 't')
          sink.def(t, type_kind(ts), 0);
        else if ((group == 'c' || group == 'v') && exported(t.text))
          sink.def(t, group == 'c' ? DefKind::kConstant : DefKind::kVariable, 0);
      }
      continue;
    }
    if (t.is_ident("func")) {
      if (ts.peek().is('(')) {  // method: func (r *T) Name(
        ts.next();
        if (!ts.skip_balanced('(', ')')) break;
        if (ts.peek().is_ident()) sink.def_at(ts.next(), t, DefKind::kMethod, 0);
      } else if (ts.peek().is_ident()) {
        sink.def_at(ts.next(), t, DefKind::kFunction, 0);
      }
      continue;
    }
    if (t.is_ident("type") || t.is_ident("const") || t.is_ident("var") || t.is_ident("import")) {
      if (ts.peek().is('(')) {
        ts.next();
        group = t.text[0] == 'i' ? 'i' : t.text[0] == 'v' ? 'v' : t.text[0] == 'c' ? 'c' : 't';
        group_parens = 1;
        continue;
      }
      if (!ts.peek().is_ident()) continue;
      Token name = ts.next();
      if (t.text == "type")
        sink.def_at(name, t, type_kind(ts), 0);
      else if (t.text == "const" && exported(name.text))
        sink.def_at(name, t, DefKind::kConstant, 0);
      else if (t.text == "var" && exported(name.text))
        sink.def_at(name, t, DefKind::kVariable, 0);
    }
  }
}

}  // namespace ds::repomap::detail
