// The hybrid file ranking: lexical evidence gathered over the cached
// lexical index in one parallel pass, BM25, path matches, and the mix with
// the graph rank.
#include "repomap/hybrid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "repomap/parallel.hpp"
#include "repomap/terms.hpp"

namespace ds::repomap {

namespace {

constexpr float kK1 = 1.2f;            // BM25 term saturation
constexpr float kB = 0.75f;            // BM25 length normalisation
constexpr float kPathWeight = 1.5f;    // a term in the path, against one in the content
constexpr float kNamedBonus = 1.0f;    // a file the task names: above any lexical score
constexpr float kDefineBonus = 0.15f;  // per task name the file defines (at most 3)
constexpr float kLowPriority = 0.3f;   // tests, fixtures, docs, vendored code
constexpr float kGraphPrior = 0.1f;    // weight of log(1 + rank x files)
constexpr uint16_t kNoTerm = 0xFFFF;

std::string_view file_stem(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  size_t dot = path.find('.');
  return dot == std::string_view::npos || dot == 0 ? path : path.substr(0, dot);
}

// The task's path names this file: "src/a/b.py", "a/b.py", or a stack
// trace's absolute ".../site-packages/pkg/a/b.py" ending in the file's
// last two components.
bool names_path(std::string_view path, std::string_view term) {
  if (path == term) return true;
  if (path.size() > term.size() && path.ends_with(term) && path[path.size() - term.size() - 1] == '/')
    return true;
  size_t last = path.rfind('/');
  if (last == std::string_view::npos || last == 0) return false;
  size_t prev = path.rfind('/', last - 1);
  std::string_view tail = prev == std::string_view::npos ? path : path.substr(prev + 1);
  return term.size() > tail.size() && term.ends_with(tail) && term[term.size() - tail.size() - 1] == '/';
}

float idf(size_t n, size_t df) {
  return std::log(1.0f +
                  (static_cast<float>(n) - static_cast<float>(df) + 0.5f) / (static_cast<float>(df) + 0.5f));
}

}  // namespace

Evidence gather_evidence(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                         const std::vector<std::string_view>& paths, const std::vector<std::string>& texts,
                         unsigned threads) {
  Evidence ev;
  const size_t nfiles = node_blobs.size();
  TaskTerms task = extract_terms(texts);
  ev.query = query_terms(texts);
  if (ev.query.size() >= kNoTerm) ev.query.resize(kNoTerm - 1);
  if (nfiles == 0 || (ev.query.empty() && task.paths.empty())) return ev;
  ev.lexical.assign(nfiles, 0.0f);
  ev.named.assign(nfiles, 0);
  ev.defines.assign(nfiles, 0.0f);

  // Query terms and task names as name ids (one pass over the names, a
  // length filter before hashing).
  std::unordered_map<std::string_view, uint16_t> qindex;
  for (size_t q = 0; q < ev.query.size(); ++q) qindex.emplace(ev.query[q].term, static_cast<uint16_t>(q));
  std::unordered_set<std::string_view> strong(task.identifiers.begin(), task.identifiers.end());
  std::unordered_set<std::string_view> weak(task.words.begin(), task.words.end());
  uint64_t lengths = 0;
  auto len_bit = [](size_t n) { return uint64_t{1} << std::min<size_t>(n, 63); };
  for (const QueryTerm& t : ev.query) lengths |= len_bit(t.term.size());
  for (std::string_view s : strong) lengths |= len_bit(s.size());
  for (std::string_view s : weak) lengths |= len_bit(s.size());
  std::vector<uint16_t> term_of(table.name_count(), kNoTerm);
  std::vector<uint8_t> task_name(table.name_count(), 0);  // 2 code-like, 1 plain word
  for (uint32_t x = 0; x < table.name_count(); ++x) {
    std::string_view n = table.name(x);
    if (!(lengths & len_bit(n.size()))) continue;
    auto it = qindex.find(n);
    if (it != qindex.end()) term_of[x] = it->second;
    if (strong.count(n))
      task_name[x] = 2;
    else if (weak.count(n))
      task_name[x] = 1;
  }

  // One pass over every file's terms, definitions and path.
  const size_t nq = ev.query.size();
  std::vector<uint32_t> df(nq, 0), path_df(nq, 0);
  std::vector<LexicalHit> content_hits, path_hits;  // score holds the term frequency for now
  uint64_t total_len = 0;                           // over the files that are no tests, docs, ...: many small
  size_t source_files = 0;                          // test files would make every real source file look long
  std::mutex mu;
  const size_t chunk = 512;
  const size_t nchunks = (nfiles + chunk - 1) / chunk;
  parallel_for(nchunks, threads, 1, [&](size_t c) {
    std::vector<LexicalHit> ch, ph;
    std::vector<uint32_t> cdf(nq, 0), pdf(nq, 0);
    std::unordered_map<std::string_view, std::vector<uint16_t>> component_terms;
    std::vector<uint16_t> matched;
    uint64_t len = 0;
    size_t sources = 0;
    for (size_t f = c * chunk; f < std::min(nfiles, (c + 1) * chunk); ++f) {
      const BlobRec& b = table.blob(node_blobs[f]);
      if (!low_priority_path(paths[f])) {
        len += b.lex_len;
        ++sources;
      }
      for (uint32_t i = 0; i < b.lex_count; ++i) {
        uint16_t q = term_of[table.lex_term(b.lex_begin + i)];
        if (q == kNoTerm) continue;
        ch.push_back(
            LexicalHit{static_cast<uint32_t>(f), q, static_cast<float>(table.lex_tf(b.lex_begin + i))});
        ++cdf[q];
      }
      float defines = 0;
      for (uint32_t i = 0; i < b.def_count; ++i) {
        uint8_t t = task_name[table.def(b.def_begin + i).name];
        defines += t == 2 ? 1.0f : t == 1 ? 0.25f : 0.0f;
      }
      ev.defines[f] = defines;
      // Path components: a directory's terms are looked up once per chunk.
      matched.clear();
      std::string_view path = paths[f];
      size_t p = 0;
      while (p <= path.size()) {
        size_t e = path.find('/', p);
        if (e == std::string_view::npos) e = path.size();
        std::string_view comp = path.substr(p, e - p);
        auto it = component_terms.find(comp);
        if (it == component_terms.end()) {
          std::vector<uint16_t> qs;
          for (const std::string& t : path_terms(comp)) {
            auto q = qindex.find(t);
            if (q != qindex.end()) qs.push_back(q->second);
          }
          it = component_terms.emplace(comp, std::move(qs)).first;
        }
        matched.insert(matched.end(), it->second.begin(), it->second.end());
        p = e + 1;
      }
      std::sort(matched.begin(), matched.end());
      matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
      for (uint16_t q : matched) {
        ph.push_back(LexicalHit{static_cast<uint32_t>(f), q, 1.0f});
        ++pdf[q];
      }
      for (const std::string& t : task.paths)
        if (names_path(path, t)) ev.named[f] = 1;
      std::string_view stem = file_stem(path);
      if (distinctive_name(stem) && strong.count(stem)) ev.named[f] = 1;
    }
    std::lock_guard<std::mutex> lock(mu);
    content_hits.insert(content_hits.end(), ch.begin(), ch.end());
    path_hits.insert(path_hits.end(), ph.begin(), ph.end());
    for (size_t q = 0; q < nq; ++q) {
      df[q] += cdf[q];
      path_df[q] += pdf[q];
    }
    total_len += len;
    source_files += sources;
  });

  // BM25 over content, plus path matches (weighted by how rare the term is
  // among paths), one hit per (file, term).
  const float avg_len =
      std::max(1.0f, static_cast<float>(total_len) / static_cast<float>(std::max<size_t>(1, source_files)));
  for (LexicalHit& h : content_hits) {
    const float tf = h.score;
    const float len = static_cast<float>(table.blob(node_blobs[h.file]).lex_len);
    h.score = ev.query[h.term].weight * idf(nfiles, df[h.term]) * tf * (kK1 + 1) /
              (tf + kK1 * (1 - kB + kB * len / avg_len));
  }
  for (LexicalHit& h : path_hits)
    h.score = ev.query[h.term].weight * idf(nfiles, path_df[h.term]) * kPathWeight;
  ev.hits = std::move(content_hits);
  ev.hits.insert(ev.hits.end(), path_hits.begin(), path_hits.end());
  std::sort(ev.hits.begin(), ev.hits.end(), [](const LexicalHit& a, const LexicalHit& b) {
    return a.file != b.file ? a.file < b.file : a.term < b.term;
  });
  size_t out = 0;
  for (size_t i = 0; i < ev.hits.size(); ++i) {
    if (out > 0 && ev.hits[out - 1].file == ev.hits[i].file && ev.hits[out - 1].term == ev.hits[i].term)
      ev.hits[out - 1].score += ev.hits[i].score;
    else
      ev.hits[out++] = ev.hits[i];
  }
  ev.hits.resize(out);
  for (const LexicalHit& h : ev.hits) ev.lexical[h.file] += h.score;
  return ev;
}

std::vector<float> hybrid_scores(const Evidence& ev, const std::vector<std::string_view>& paths,
                                 const std::vector<double>& file_rank) {
  std::vector<float> out(paths.size(), 0.0f);
  if (ev.empty()) return out;
  float max_lex = 0;
  for (float s : ev.lexical) max_lex = std::max(max_lex, s);
  const double nfiles = static_cast<double>(paths.size());
  for (size_t f = 0; f < paths.size(); ++f) {
    float h = max_lex > 0 ? ev.lexical[f] / max_lex : 0.0f;
    h += kDefineBonus * std::min(ev.defines[f], 3.0f);
    if (ev.named[f]) h += kNamedBonus;
    if (h <= 0) continue;
    if (f < file_rank.size()) h *= 1.0f + kGraphPrior * static_cast<float>(std::log1p(file_rank[f] * nfiles));
    if (!ev.named[f] && low_priority_path(paths[f])) h *= kLowPriority;
    out[f] = h;
  }
  return out;
}

std::vector<uint32_t> best_files(const std::vector<float>& hybrid, size_t limit) {
  std::vector<uint32_t> files;
  for (uint32_t f = 0; f < hybrid.size(); ++f)
    if (hybrid[f] > 0) files.push_back(f);
  auto better = [&](uint32_t a, uint32_t b) {
    return hybrid[a] != hybrid[b] ? hybrid[a] > hybrid[b] : a < b;
  };
  limit = std::min(limit, files.size());
  std::partial_sort(files.begin(), files.begin() + static_cast<ptrdiff_t>(limit), files.end(), better);
  files.resize(limit);
  return files;
}

std::string render_top_files(const Evidence& ev, const std::vector<float>& hybrid,
                             const std::vector<std::string_view>& paths, size_t limit) {
  std::vector<uint32_t> top = best_files(hybrid, limit);
  if (top.empty()) return {};
  std::string out = "Files most likely to matter:\n";
  for (uint32_t f : top) {
    out += "  ";
    out.append(paths[f]);
    std::vector<const LexicalHit*> hits;
    auto it = std::lower_bound(ev.hits.begin(), ev.hits.end(), f,
                               [](const LexicalHit& h, uint32_t file) { return h.file < file; });
    for (; it != ev.hits.end() && it->file == f; ++it) hits.push_back(&*it);
    std::sort(hits.begin(), hits.end(),
              [](const LexicalHit* a, const LexicalHit* b) { return a->score > b->score; });
    std::string reason;
    if (ev.named[f]) reason = "named in the task";
    if (ev.defines[f] >= 1)
      reason += std::string(reason.empty() ? "" : "; ") + "defines a name from the task";
    if (!hits.empty()) {
      reason += std::string(reason.empty() ? "" : "; ") + "matches ";
      for (size_t i = 0; i < std::min<size_t>(hits.size(), 5); ++i) {
        if (i) reason += ", ";
        reason += ev.query[hits[i]->term].term;
      }
    }
    if (!reason.empty()) out += " (" + reason + ")";
    out += "\n";
  }
  out += "\n";
  return out;
}

}  // namespace ds::repomap
