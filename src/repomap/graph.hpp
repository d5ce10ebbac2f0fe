// The reference graph and its personalised PageRank. Files are nodes; a
// file that uses identifier x links to every file that defines x. Rank
// flows file -> identifier -> definers, so the work per iteration is the
// number of (file, identifier) links however many files define x.
//
// The graph does not depend on the task, so it is cached (graph_cache.hpp)
// and a warm run only iterates.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "repomap/column.hpp"
#include "repomap/tag_table.hpp"

namespace ds::repomap {

inline constexpr double kDamping = 0.85;
inline constexpr int kMaxIterations = 30;
inline constexpr double kTolerance = 1e-4;  // L1 change of the rank vector

struct Graph {
  uint32_t files = 0;
  uint32_t names = 0;
  Column<uint32_t> file_def_begin;      // files + 1: CSR into file_defs
  Column<uint32_t> file_defs;           // distinct names each file defines that others reference
  Column<uint32_t> definers;            // per name: files defining it
  Column<uint32_t> in_begin;            // names + 1: CSR into edge_file / edge_weight
  Column<uint32_t> edge_file;           // the referring file
  Column<float> edge_weight;            // share of that file's outgoing weight
  Column<uint8_t> dangling;             // per file: 1 when it links nowhere
  std::shared_ptr<const void> backing;  // a mapped graph cache, if loaded from one
};

// Nodes are `blobs[i]` (one per file, in the caller's order).
Graph build_graph(const TagTable& table, const std::vector<uint32_t>& blobs);

struct RankResult {
  std::vector<double> file_rank;   // per file, sums to 1
  std::vector<float> name_inflow;  // per name: rank reaching each definer through it
  int iterations = 0;
};

// personalization: per file, >= 0; empty or all zero means uniform.
RankResult rank_graph(const Graph& graph, const std::vector<double>& personalization, unsigned threads);

}  // namespace ds::repomap
