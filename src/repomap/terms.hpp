// Task text to ranking terms: identifiers and path-like words pulled out of
// free prose (an issue, a user's request, a list of names).
#pragma once

#include <string>
#include <vector>

namespace ds::repomap {

struct TaskTerms {
  // Code-like names: snake_case, camelCase/CamelCase, digits, `backticked`,
  // followed by "(", or parts of a qualified name (a.b, A::b).
  std::vector<std::string> identifiers;
  // Other words of 4+ characters that are not common English: weak hints.
  std::vector<std::string> words;
  // Words with a '/' or a file extension ("src/a.cpp", "parser.py").
  std::vector<std::string> paths;
};

// Each list is sorted and free of duplicates.
TaskTerms extract_terms(const std::vector<std::string>& texts);

}  // namespace ds::repomap
