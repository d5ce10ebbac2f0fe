// The languages the built-in extractor knows, and how a path maps to one.
#pragma once

#include <cstdint>
#include <string_view>

namespace ds::repomap {

enum class Language : uint8_t {
  kUnknown = 0,
  kC,
  kCpp,
  kPython,
  kJavaScript,
  kTypeScript,
  kGo,
  kRust,
  kJava,
};

// By file extension (".h" counts as C++, whose scanner also reads C).
Language language_for_path(std::string_view path);

std::string_view language_name(Language lang);

}  // namespace ds::repomap
