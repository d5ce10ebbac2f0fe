// The passes of build_map (not a public header): deciding per file whether
// cached tags apply and extracting the rest (map_files.cpp), and turning
// task terms and ranks into scored definitions (map_rank.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "repomap/graph.hpp"
#include "repomap/map.hpp"
#include "repomap/render.hpp"
#include "repomap/repo_files.hpp"
#include "repomap/tag_table.hpp"

namespace ds::repomap::detail {

enum class State : uint8_t { kSkip, kCached, kRead };

struct Work {
  uint32_t file = 0;  // index into RepoFiles::files
  Language lang = Language::kUnknown;
  State state = State::kSkip;
  bool hash = false;  // the worktree may differ from the index: hash the content
  bool hashed = false;
  int64_t blob = -1;  // index into the tag table once known
  Oid oid;
};

// Files the map considers: regular files in a language we extract (any
// language with ctags).
std::vector<Work> collect_work(const RepoFiles& repo, bool ctags);

// Stats every file against the index; trusted entries are looked up in the
// table by their index blob id, the rest are marked for reading.
void check_worktree(std::vector<Work>& work, const RepoFiles& repo, const TagTable& table, Extractor source,
                    unsigned threads);

// Reads the marked files (hashing those the index cannot vouch for),
// extracts what the table lacks and adds it. Updates the file counters.
void extract_missing(std::vector<Work>& work, const RepoFiles& repo, TagTable& table, Extractor source,
                     bool ctags, unsigned threads, MapStats& st);

struct Boosts {
  std::vector<float> name_boost;        // per name, or empty when no term matched
  std::vector<float> file_boost;        // per node, or empty: multiplies its definitions' scores
  std::vector<double> personalization;  // per node, or empty for uniform
  std::vector<float> defines;           // per node: task names it defines (code-like 1, words 0.25), or empty
};

// Names in the task terms, paths in the terms, and focus files, as boosts.
// `lexical` (per node, or empty) adds restart mass to the files the task's
// words point at (hybrid.hpp).
Boosts compute_boosts(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                      const std::vector<std::string_view>& paths, const std::vector<std::string>& terms,
                      const std::vector<std::string>& focus_files, const std::string& workdir,
                      const std::vector<float>& lexical = {});

// Multiplies the definition scores of the files the hybrid ranking puts
// first, so the map's symbols follow it.
void apply_hybrid(Boosts& boosts, const std::vector<float>& hybrid);

// Scores the definitions of the best-ranked files (and of every boosted file).
std::vector<ScoredDef> score_definitions(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                                         const RankResult& rank, const Boosts& boosts);

}  // namespace ds::repomap::detail
