// What an extractor finds in one file: definitions (name, kind, line, the
// signature line) and references (every identifier used, with a count).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "repomap/language.hpp"

namespace ds::repomap {

enum class DefKind : uint8_t {
  kFunction,
  kMethod,
  kClass,
  kStruct,
  kInterface,
  kTrait,
  kEnum,
  kType,
  kMacro,
  kConstant,
  kVariable,
  kModule,
  kImpl,
  kOther,
};

std::string_view def_kind_name(DefKind kind);

// Signatures are the definition's source line, trimmed and cut to this many bytes.
inline constexpr size_t kMaxSignatureBytes = 100;

struct Definition {
  std::string_view name;
  uint32_t line = 0;  // 1-based
  DefKind kind = DefKind::kOther;
  uint8_t depth = 0;  // 0 top level, 1 member of a class/impl/interface, ...
  std::string_view signature;
};

struct Reference {
  std::string_view name;
  uint32_t count = 0;
};

// Views point into the content that was scanned.
struct FileSymbols {
  std::vector<Definition> defs;
  std::vector<Reference> refs;
};

// The built-in extractor. Never fails: unparseable input just yields less.
// Language::kUnknown yields references only.
FileSymbols extract_symbols(Language lang, std::string_view content);

// The source line starting at `line_begin`, trimmed, cut to
// kMaxSignatureBytes at a UTF-8 boundary.
std::string_view signature_at(std::string_view content, size_t line_begin);

// Keywords of the supported languages; never recorded as references.
bool is_keyword(std::string_view word);

}  // namespace ds::repomap
