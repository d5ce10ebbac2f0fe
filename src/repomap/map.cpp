// build_map, pass by pass: list tracked files -> decide per file whether the
// cached tags still apply (index stat data, else content hash) -> extract
// the rest on all cores -> update the tag cache -> load or build the
// reference graph -> personalised PageRank -> score -> render.
#include "repomap/map.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "repomap/cache.hpp"
#include "repomap/ctags.hpp"
#include "repomap/graph_cache.hpp"
#include "repomap/hybrid.hpp"
#include "repomap/map_internal.hpp"
#include "repomap/parallel.hpp"
#include "text/tokens.hpp"

namespace ds::repomap {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Writes the tag cache when something was parsed, then continues with the
// table as written (its compact name numbering is what the graph cache is
// keyed by). Blobs no current file uses stay (switching branches back and
// forth reparses nothing) until they outnumber the current ones.
void update_cache(TagTable& table, std::vector<detail::Work>& work, MapStats& st) {
  std::vector<uint8_t> used(table.blob_count(), 0);
  for (const detail::Work& w : work)
    if (w.state == detail::State::kCached) used[static_cast<size_t>(w.blob)] = 1;
  std::vector<uint32_t> keep;
  for (uint32_t i = 0; i < used.size(); ++i)
    if (used[i]) keep.push_back(i);
  const size_t stale = table.blob_count() - keep.size();
  const bool collect = stale > std::max<size_t>(256, keep.size());
  if (st.files_parsed == 0 && !collect) return;
  if (!collect) {
    keep.resize(table.blob_count());
    for (uint32_t i = 0; i < keep.size(); ++i) keep[i] = i;
  }
  auto saved = save_cache(table, keep, st.cache_path);
  if (!saved) {
    st.note += saved.error().message + "; ";
    return;
  }
  st.cache_written = true;
  auto reloaded = load_cache(st.cache_path);
  if (!reloaded || reloaded->generation() != *saved) return;  // another run replaced it meanwhile
  std::vector<int64_t> moved(work.size(), -1);
  for (size_t k = 0; k < work.size(); ++k) {
    const detail::Work& w = work[k];
    if (w.state != detail::State::kCached) continue;
    moved[k] = reloaded->find(w.oid, table.blob(static_cast<uint32_t>(w.blob)).source);
    if (moved[k] < 0) return;  // cannot happen for a file we just wrote; keep the old table
  }
  for (size_t k = 0; k < work.size(); ++k)
    if (work[k].state == detail::State::kCached) work[k].blob = moved[k];
  table = std::move(*reloaded);
}

}  // namespace

namespace {

// One map being built: what each pass reads and what it leaves for the next.
struct MapBuild {
  const MapOptions& opt;
  MapStats& st;
  unsigned threads = 1;
  Clock::time_point started = Clock::now();
  RepoFiles repo;
  bool ctags = false;
  Extractor source = Extractor::kBuiltin;
  TagTable table;
  std::vector<detail::Work> work;
  std::vector<uint32_t> node_blobs;  // the files the map may show, as blobs of `table`
  std::vector<std::string_view> paths;
  Graph graph;
  Evidence evidence;
  std::vector<float> hybrid;
  std::vector<ScoredDef> scored;
};

// Tracked files, the extractor, the tag cache.
Status list_files(MapBuild& b, const std::string& repo_dir) {
  auto repo = list_repo_files(repo_dir);
  if (!repo) return repo.error();
  b.repo = std::move(*repo);
  b.st.files_tracked = b.repo.tracked;
  b.st.cache_path = b.repo.cache_dir + "/" + kCacheFileName;
  // Only a PATH lookup here: running `ctags --version` waits until some file
  // actually needs extracting, so a warm run starts no process.
  b.ctags = b.opt.use_ctags && ctags_on_path();
  if (b.opt.use_ctags && !b.ctags) b.st.note += "ctags not on PATH, used the built-in extractor; ";
  b.st.used_ctags = b.ctags;
  b.source = b.ctags ? Extractor::kCtags : Extractor::kBuiltin;
  if (!b.opt.use_cache) return Ok{};
  auto loaded = load_cache(b.st.cache_path);
  if (loaded) {
    b.table = std::move(*loaded);
    b.st.cache_loaded = true;
  } else if (loaded.error().kind != ErrorKind::CacheMissing) {
    b.st.note += loaded.error().message + "; ";
  }
  return Ok{};
}

// What changed since the cache: stat data against the index, else a hash.
void scan(MapBuild& b) {
  b.work = detail::collect_work(b.repo, b.ctags);
  b.st.files_considered = b.work.size();
  detail::check_worktree(b.work, b.repo, b.table, b.source, b.threads);
  b.st.ms_scan = ms_since(b.started);
}

// Extract what the cache lacks on all cores; write the cache back.
void extract(MapBuild& b) {
  const auto t = Clock::now();
  detail::extract_missing(b.work, b.repo, b.table, b.source, b.ctags, b.threads, b.st);
  if (b.opt.use_cache) update_cache(b.table, b.work, b.st);
  b.st.ms_extract = ms_since(t);
}

// The files the map may show: not skipped, not binary.
void choose_nodes(MapBuild& b) {
  for (const detail::Work& w : b.work) {
    if (w.state == detail::State::kSkip) {
      ++b.st.files_skipped;
      continue;
    }
    const BlobRec& blob = b.table.blob(static_cast<uint32_t>(w.blob));
    if (blob.flags & kBlobBinary) continue;
    b.node_blobs.push_back(static_cast<uint32_t>(w.blob));
    b.paths.push_back(b.repo.files[w.file].path);
    b.st.definitions += blob.def_count;
  }
  b.st.files_cached = b.work.size() - b.st.files_skipped - b.st.files_parsed;
  b.st.identifiers = b.table.name_count();
}

// The reference graph, from its cache (keyed by the table's generation and
// the node list) or built and saved.
void load_or_build_graph(MapBuild& b) {
  const uint64_t key = b.opt.use_cache ? graph_key(b.table.generation(), b.node_blobs) : 0;
  const std::string graph_path = b.repo.cache_dir + "/" + kGraphFileName;
  auto cached = key ? load_graph(graph_path, key) : Result<Graph>(make_error("no key"));
  if (cached) {
    b.graph = std::move(*cached);
    b.st.graph_cached = true;
  } else {
    b.graph = build_graph(b.table, b.node_blobs);
    if (key) {
      auto saved = save_graph(b.graph, key, graph_path);
      if (!saved) b.st.note += saved.error().message + "; ";
    }
  }
  b.st.graph_edges = b.graph.edge_file.size();
}

// Lexical evidence for the task's terms, boosts, personalised PageRank, the
// hybrid file scores and the scored definitions.
void rank(MapBuild& b, Clock::time_point t_rank) {
  b.evidence = gather_evidence(b.table, b.node_blobs, b.paths, b.opt.terms, b.threads);
  b.st.ms_lexical = ms_since(t_rank);
  detail::Boosts boosts = detail::compute_boosts(b.table, b.node_blobs, b.paths, b.opt.terms,
                                                 b.opt.focus_files, b.repo.workdir, b.evidence.lexical);
  b.evidence.defines = boosts.defines;
  RankResult ranked = rank_graph(b.graph, boosts.personalization, b.threads);
  b.st.rank_iterations = ranked.iterations;
  b.hybrid = hybrid_scores(b.evidence, b.paths, ranked.file_rank);
  detail::apply_hybrid(boosts, b.hybrid);
  b.scored = detail::score_definitions(b.table, b.node_blobs, ranked, boosts);
  b.st.ms_rank = ms_since(t_rank);
}

// The files most likely to matter, then the symbols, within the budget.
std::string render(MapBuild& b) {
  std::string text = render_top_files(b.evidence, b.hybrid, b.paths, kTopFiles);
  const size_t header_tokens = text::estimate_tokens(text);
  if (header_tokens * 2 > b.opt.max_tokens) text.clear();  // a tiny budget: symbols only
  text += render_map(b.table, b.paths, b.scored, b.opt.max_tokens - text::estimate_tokens(text));
  return text;
}

}  // namespace

Result<std::string> build_map(const std::string& repo_dir, const MapOptions& opt, MapStats* stats_out) {
  MapStats local_stats;
  MapStats& st = stats_out ? *stats_out : local_stats;
  st = MapStats{};
  if (opt.max_tokens == 0) return std::string();
  MapBuild b{opt, st};
  b.threads = opt.threads ? opt.threads : default_threads();

  if (Status listed = list_files(b, repo_dir); !listed) return listed.error();
  scan(b);
  extract(b);
  const auto t_rank = Clock::now();
  choose_nodes(b);
  load_or_build_graph(b);
  rank(b, t_rank);
  const auto t_render = Clock::now();
  std::string text = render(b);
  st.ms_render = ms_since(t_render);
  st.map_tokens = text::estimate_tokens(text);
  st.ms_total = ms_since(b.started);
  return text;
}

std::string format_stats(const MapStats& s) {
  char buf[1024];
  std::snprintf(
      buf, sizeof buf,
      "files: %zu tracked, %zu considered, %zu parsed, %zu cached, %zu hashed, %zu skipped\n"
      "symbols: %zu definitions, %zu identifiers, %zu graph edges, %d rank iterations\n"
      "cache: %s%s, graph %s (%s)\n"
      "extractor: %s\n"
      "time: %.1f ms total (scan %.1f, extract %.1f, rank %.1f of which lexical %.1f, render %.1f)\n"
      "map: %zu tokens\n",
      s.files_tracked, s.files_considered, s.files_parsed, s.files_cached, s.files_hashed, s.files_skipped,
      s.definitions, s.identifiers, s.graph_edges, s.rank_iterations,
      s.cache_loaded ? "loaded" : "not loaded", s.cache_written ? ", written" : "",
      s.graph_cached ? "cached" : "built", s.cache_path.c_str(),
      s.used_ctags ? "universal-ctags" : "built-in", s.ms_total, s.ms_scan, s.ms_extract, s.ms_rank,
      s.ms_lexical, s.ms_render, s.map_tokens);
  std::string out = buf;
  if (!s.note.empty()) out += "note: " + s.note + "\n";
  return out;
}

}  // namespace ds::repomap
