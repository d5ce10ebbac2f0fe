// Levenshtein distance of two short words, for "did you mean" hints.
#pragma once

#include <cstddef>
#include <string_view>

namespace ds::text {

size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace ds::text
