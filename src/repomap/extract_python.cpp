// Python definitions: classes, functions and methods (by indentation), and
// module-level constants / type aliases (UPPER_CASE or CamelCase names).
#include "repomap/extract_internal.hpp"

namespace ds::repomap::detail {

namespace {

struct Scope {
  uint32_t indent;
  bool is_class;
};

bool upper_or_camel(std::string_view name) { return !name.empty() && name[0] >= 'A' && name[0] <= 'Z'; }

}  // namespace

void extract_python(TokenStream& ts, SymbolSink& sink) {
  std::vector<Scope> scopes;
  int brackets = 0;  // inside ( [ {, lines continue
  while (true) {
    Token t = ts.next();
    if (t.end()) break;
    if (t.kind == TokKind::kPunct) {
      if (t.punct == '(' || t.punct == '[' || t.punct == '{')
        ++brackets;
      else if ((t.punct == ')' || t.punct == ']' || t.punct == '}') && brackets > 0)
        --brackets;
    }
    if (!t.first_on_line) continue;
    if (t.kind == TokKind::kPunct) continue;  // brackets and operators never start a definition
    if (brackets > 0) continue;               // a continuation line inside brackets
    while (!scopes.empty() && scopes.back().indent >= t.indent) scopes.pop_back();
    if (t.is('@')) continue;  // decorator line

    bool in_function = false;
    int class_depth = 0;
    for (const Scope& s : scopes) {
      if (s.is_class)
        ++class_depth;
      else
        in_function = true;
    }

    Token kw = t;
    if (kw.is_ident("async") && ts.peek().is_ident("def")) kw = ts.next();
    if (kw.is_ident("def") || kw.is_ident("class")) {
      bool is_class = kw.text == "class";
      const Token& name = ts.peek();
      if (name.is_ident() && !in_function) {
        DefKind kind = is_class ? DefKind::kClass : (class_depth > 0 ? DefKind::kMethod : DefKind::kFunction);
        sink.def_at(name, t, kind, class_depth);
      }
      scopes.push_back(Scope{t.indent, is_class});
      continue;
    }
    if (scopes.empty() && t.is_ident() && t.indent == 0 && upper_or_camel(t.text)) {
      const Token& after = ts.peek();
      if ((after.is('=') && !ts.peek(1).is('=')) || after.is(':')) sink.def(t, DefKind::kConstant, 0);
    }
  }
}

}  // namespace ds::repomap::detail
