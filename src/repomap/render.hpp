// Rendering the map: the highest-scoring definitions that fit the token
// budget, each with the lines of its enclosing definitions (a method brings
// its class), grouped under their file's path in order of the file's best
// definition, each file's lines in source order.
//
//   src/store.go:
//     type Store struct {
//     func (s *Store) Get(key string) (int, error) {
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "repomap/tag_table.hpp"

namespace ds::repomap {

struct ScoredDef {
  uint32_t file;  // index into `paths`
  uint32_t def;   // index into the table's definitions
  double score;
  uint32_t first_def;  // the file's first definition (its definitions are contiguous, in order)
};

// Fits the map into max_tokens as estimated by ds::text::estimate_tokens.
// `defs` is consumed (reordered).
std::string render_map(const TagTable& table, const std::vector<std::string_view>& paths,
                       std::vector<ScoredDef>& defs, size_t max_tokens);

}  // namespace ds::repomap
