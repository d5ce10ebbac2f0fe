// Files embedded in the binary at build time (cmake/embed_files.cmake): the
// prompts and the offline demo (its repository and recorded session).
#pragma once

#include <span>
#include <string_view>

namespace ds {

struct EmbeddedFile {
  std::string_view name;  // "prompts/system.md", "demo/repo/dates.py"
  std::string_view data;
};

std::span<const EmbeddedFile> embedded_files();

// The file's contents, or an empty view when absent.
inline std::string_view embedded(std::string_view name) {
  for (const auto& f : embedded_files())
    if (f.name == name) return f.data;
  return {};
}

// The prompt prompts/<name>.
inline std::string_view prompt(std::string_view name) {
  for (const auto& f : embedded_files())
    if (f.name.size() == name.size() + 8 && f.name.substr(0, 8) == "prompts/" && f.name.substr(8) == name)
      return f.data;
  return {};
}

}  // namespace ds
