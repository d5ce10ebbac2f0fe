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

Result<std::string> build_map(const std::string& repo_dir, const MapOptions& opt, MapStats* stats_out) {
  MapStats local_stats;
  MapStats& st = stats_out ? *stats_out : local_stats;
  st = MapStats{};
  if (opt.max_tokens == 0) return std::string();
  const auto t_start = Clock::now();
  const unsigned threads = opt.threads ? opt.threads : default_threads();

  // 1. Tracked files, the extractor, the tag cache.
  auto repo_r = list_repo_files(repo_dir);
  if (!repo_r) return repo_r.error();
  const RepoFiles& repo = *repo_r;
  st.files_tracked = repo.tracked;
  st.cache_path = repo.cache_dir + "/" + kCacheFileName;
  // Only a PATH lookup here: running `ctags --version` waits until some file
  // actually needs extracting, so a warm run starts no process.
  const bool ctags = opt.use_ctags && ctags_on_path();
  if (opt.use_ctags && !ctags) st.note += "ctags not on PATH, used the built-in extractor; ";
  st.used_ctags = ctags;
  const Extractor source = ctags ? Extractor::kCtags : Extractor::kBuiltin;
  TagTable table;
  if (opt.use_cache) {
    auto loaded = load_cache(st.cache_path);
    if (loaded) {
      table = std::move(*loaded);
      st.cache_loaded = true;
    } else if (loaded.error().kind != ErrorKind::CacheMissing) {
      st.note += loaded.error().message + "; ";
    }
  }

  // 2. What changed: stat against the index.
  std::vector<detail::Work> work = detail::collect_work(repo, ctags);
  st.files_considered = work.size();
  detail::check_worktree(work, repo, table, source, threads);
  st.ms_scan = ms_since(t_start);

  // 3. Extract what the cache lacks; 4. update the cache.
  const auto t_extract = Clock::now();
  detail::extract_missing(work, repo, table, source, ctags, threads, st);
  if (opt.use_cache) update_cache(table, work, st);
  st.ms_extract = ms_since(t_extract);

  // 5. Graph (cached by table generation + node list) and rank.
  const auto t_rank = Clock::now();
  std::vector<uint32_t> node_blobs;
  std::vector<std::string_view> paths;
  for (const detail::Work& w : work) {
    if (w.state == detail::State::kSkip) {
      ++st.files_skipped;
      continue;
    }
    const BlobRec& b = table.blob(static_cast<uint32_t>(w.blob));
    if (b.flags & kBlobBinary) continue;
    node_blobs.push_back(static_cast<uint32_t>(w.blob));
    paths.push_back(repo.files[w.file].path);
    st.definitions += b.def_count;
  }
  st.files_cached = work.size() - st.files_skipped - st.files_parsed;
  st.identifiers = table.name_count();

  const uint64_t key = opt.use_cache ? graph_key(table.generation(), node_blobs) : 0;
  const std::string graph_path = repo.cache_dir + "/" + kGraphFileName;
  Graph graph;
  auto cached_graph = key ? load_graph(graph_path, key) : Result<Graph>(make_error("no key"));
  if (cached_graph) {
    graph = std::move(*cached_graph);
    st.graph_cached = true;
  } else {
    graph = build_graph(table, node_blobs);
    if (key) {
      auto saved = save_graph(graph, key, graph_path);
      if (!saved) st.note += saved.error().message + "; ";
    }
  }
  st.graph_edges = graph.edge_file.size();
  Evidence evidence = gather_evidence(table, node_blobs, paths, opt.terms, threads);
  st.ms_lexical = ms_since(t_rank);
  detail::Boosts boosts = detail::compute_boosts(table, node_blobs, paths, opt.terms, opt.focus_files,
                                                 repo.workdir, evidence.lexical);
  evidence.defines = boosts.defines;
  RankResult rank = rank_graph(graph, boosts.personalization, threads);
  st.rank_iterations = rank.iterations;
  std::vector<float> hybrid = hybrid_scores(evidence, paths, rank.file_rank);
  detail::apply_hybrid(boosts, hybrid);
  std::vector<ScoredDef> scored = detail::score_definitions(table, node_blobs, rank, boosts);
  st.ms_rank = ms_since(t_rank);

  // 6. Render: the files most likely to matter, then the symbols.
  const auto t_render = Clock::now();
  std::string text = render_top_files(evidence, hybrid, paths, kTopFiles);
  const size_t header_tokens = text::estimate_tokens(text);
  if (header_tokens * 2 > opt.max_tokens) {
    text.clear();  // a tiny budget: symbols only
  }
  text += render_map(table, paths, scored, opt.max_tokens - text::estimate_tokens(text));
  st.ms_render = ms_since(t_render);
  st.map_tokens = text::estimate_tokens(text);
  st.ms_total = ms_since(t_start);
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
