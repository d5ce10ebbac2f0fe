// build_map: the repository map for a task. Lists the tracked files
// (libgit2), takes each file's definitions and references from the cache
// (keyed by blob id) or extracts them (built-in scanner, or universal-ctags
// on request), ranks files by personalised PageRank over the reference graph
// mixed with a lexical match of the task against each file's words
// (hybrid.hpp), and renders within a token budget a short list of the files
// most likely to matter, then the best definitions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "repomap/repo_files.hpp"

namespace ds::repomap {

// Files larger than this are skipped (generated code, data, bundles).
inline constexpr size_t kMaxFileBytes = 1u << 20;

// Length of the "files most likely to matter" list that opens a map built
// for a task (hybrid.hpp ranks them).
inline constexpr size_t kTopFiles = 10;

struct MapOptions {
  size_t max_tokens = 4096;              // 0 disables the map (empty text, no work)
  std::vector<std::string> terms;        // task text or words: identifiers and paths are boosted
  std::vector<std::string> focus_files;  // pinned or edited files (repo-relative or absolute)
  // Definitions from universal-ctags (when installed) for every tracked
  // text file in any language it knows; the built-in extractor otherwise,
  // and always when ctags is missing. Off by default: the built-in scanner
  // is several times faster and covers C, C++, Python, JS/TS, Go, Rust, Java.
  bool use_ctags = false;
  bool use_cache = true;  // read and update <git common dir>/diffsmith/repomap.cache
  unsigned threads = 0;   // 0 = all cores
};

struct MapStats {
  size_t files_tracked = 0;     // index entries
  size_t files_considered = 0;  // regular files in a language we extract
  size_t files_parsed = 0;      // extracted this run
  size_t files_cached = 0;      // taken from the cache
  size_t files_hashed = 0;      // worktree content hashed (stat differs from the index)
  size_t files_skipped = 0;     // missing, unreadable, binary or larger than kMaxFileBytes
  size_t definitions = 0;       // over the files considered
  size_t identifiers = 0;       // distinct names in the tag table
  size_t graph_edges = 0;
  int rank_iterations = 0;
  bool cache_loaded = false;
  bool cache_written = false;
  bool graph_cached = false;  // the reference graph came from repomap.graph
  bool used_ctags = false;
  std::string cache_path;
  std::string note;  // e.g. why the cache or ctags was not used
  double ms_scan = 0, ms_extract = 0, ms_rank = 0, ms_render = 0, ms_total = 0;
  double ms_lexical = 0;  // part of ms_rank: matching the task against the lexical index
  size_t map_tokens = 0;
};

// The rendered map (possibly empty). Errors: git::ErrorKind::NotARepo,
// Bare, GitError (see repo_files.hpp). Cache problems never fail
// the map: they are reported in stats->note.
Result<std::string> build_map(const std::string& repo_dir, const MapOptions& options,
                              MapStats* stats = nullptr);

// Multi-line human summary of the stats, for `diffsmith map --stats` and benches.
std::string format_stats(const MapStats& stats);

}  // namespace ds::repomap
