// Path-to-language mapping by file extension.
#include "repomap/language.hpp"

namespace ds::repomap {

namespace {

struct ExtEntry {
  std::string_view ext;
  Language lang;
};

constexpr ExtEntry kExtensions[] = {
    {"c", Language::kC},
    {"h", Language::kCpp},
    {"cc", Language::kCpp},
    {"cpp", Language::kCpp},
    {"cxx", Language::kCpp},
    {"c++", Language::kCpp},
    {"hh", Language::kCpp},
    {"hpp", Language::kCpp},
    {"hxx", Language::kCpp},
    {"h++", Language::kCpp},
    {"ipp", Language::kCpp},
    {"inl", Language::kCpp},
    {"py", Language::kPython},
    {"pyi", Language::kPython},
    {"js", Language::kJavaScript},
    {"jsx", Language::kJavaScript},
    {"mjs", Language::kJavaScript},
    {"cjs", Language::kJavaScript},
    {"ts", Language::kTypeScript},
    {"tsx", Language::kTypeScript},
    {"mts", Language::kTypeScript},
    {"cts", Language::kTypeScript},
    {"go", Language::kGo},
    {"rs", Language::kRust},
    {"java", Language::kJava},
};

}  // namespace

Language language_for_path(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return Language::kUnknown;
  std::string_view ext = base.substr(dot + 1);
  if (ext.size() > 4) return Language::kUnknown;
  char lower[4];
  for (size_t i = 0; i < ext.size(); ++i) {
    char c = ext[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view low(lower, ext.size());
  // Minified bundles are generated, huge on one line, and useless in a map.
  if (base.size() > 7 && (base.ends_with(".min.js") || base.ends_with(".min.mjs"))) return Language::kUnknown;
  for (const auto& e : kExtensions)
    if (e.ext == low) return e.lang;
  return Language::kUnknown;
}

std::string_view language_name(Language lang) {
  switch (lang) {
    case Language::kC:
      return "c";
    case Language::kCpp:
      return "c++";
    case Language::kPython:
      return "python";
    case Language::kJavaScript:
      return "javascript";
    case Language::kTypeScript:
      return "typescript";
    case Language::kGo:
      return "go";
    case Language::kRust:
      return "rust";
    case Language::kJava:
      return "java";
    case Language::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace ds::repomap
