// Which files a task is about: BM25 over each file's lexical terms (its
// identifiers' sub-words, string literals, comments) plus matches in its
// path, files the task names, and definitions of names the task uses,
// combined with the reference graph's rank. Files under tests/, fixtures,
// docs, examples and vendored folders count less unless the task names
// them. Feeds the map's personalisation, its definition scores, and the
// "files most likely to matter" list at the top of the map.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "repomap/graph.hpp"
#include "repomap/lexical.hpp"
#include "repomap/tag_table.hpp"

namespace ds::repomap {

struct LexicalHit {
  uint32_t file;
  uint16_t term;  // index into Evidence::query
  float score;    // what the term added to the file's lexical score
};

struct Evidence {
  std::vector<QueryTerm> query;
  std::vector<float> lexical;  // per file: BM25 over content + path matches (0: nothing matched)
  std::vector<uint8_t> named;  // per file: 1 when the task names it (path, or the file's stem as a name)
  std::vector<float>
      defines;  // per file: how many names the task uses it defines (code-like count 1, words 0.25)
  std::vector<LexicalHit> hits;  // sorted by file
  bool empty() const { return lexical.empty(); }
};

// Empty when the task has no terms. `paths[i]` is the path of the file
// whose blob is `node_blobs[i]`.
Evidence gather_evidence(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                         const std::vector<std::string_view>& paths, const std::vector<std::string>& texts,
                         unsigned threads);

// The hybrid score per file (0 for files without evidence): lexical
// evidence (normalised), files named in the task and definitions of task
// names, weighed by the graph rank, tests/docs/vendor down-weighted.
std::vector<float> hybrid_scores(const Evidence& ev, const std::vector<std::string_view>& paths,
                                 const std::vector<double>& file_rank);

// Files by hybrid score, best first, those with a positive score only.
std::vector<uint32_t> best_files(const std::vector<float>& hybrid, size_t limit);

// "Files most likely to matter" with the reason for each; empty when no
// file has a positive score.
std::string render_top_files(const Evidence& ev, const std::vector<float>& hybrid,
                             const std::vector<std::string_view>& paths, size_t limit);

}  // namespace ds::repomap
