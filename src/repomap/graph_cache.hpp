// The graph cache (.git/diffsmith/repomap.graph): the reference graph of the
// last run, keyed by the tag cache's generation and the list of file blobs,
// so a warm run with nothing changed maps it instead of rebuilding it.
// Written atomically like the tag cache.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "repomap/graph.hpp"

namespace ds::repomap {

inline constexpr const char* kGraphFileName = "repomap.graph";

// Identifies a graph: the tag table generation (its name numbering) and
// the node blobs in order. 0 when the table matches no cache file.
uint64_t graph_key(uint64_t table_generation, const std::vector<uint32_t>& blobs);

// Errors when missing, invalid, or built for another key.
Result<Graph> load_graph(const std::string& path, uint64_t key);
Status save_graph(const Graph& graph, uint64_t key, const std::string& path);

}  // namespace ds::repomap
