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

// Query terms by hash: open addressing in a table small enough for L1.
class QueryIndex {
 public:
  explicit QueryIndex(const std::vector<QueryTerm>& query) {
    size_t size = 64;
    while (size < query.size() * 4) size *= 2;
    keys_.assign(size, 0);
    values_.assign(size, kNoTerm);
    mask_ = size - 1;
    for (size_t q = 0; q < query.size(); ++q) {
      uint32_t h = term_hash(query[q].term);
      size_t i = slot(h);
      while (keys_[i] != 0 && keys_[i] != h) i = (i + 1) & mask_;
      if (keys_[i] == 0) {
        keys_[i] = h;
        values_[i] = static_cast<uint16_t>(q);
      }
      filter_[(h >> 6) & 63] |= uint64_t{1} << (h & 63);
    }
  }
  // A 4096-bit filter first: most of a file's terms are no query term.
  bool maybe(uint32_t h) const { return (filter_[(h >> 6) & 63] >> (h & 63)) & 1; }
  uint16_t find(uint32_t h) const {
    for (size_t i = slot(h);; i = (i + 1) & mask_) {
      if (keys_[i] == h) return values_[i];
      if (keys_[i] == 0) return kNoTerm;
    }
  }

 private:
  size_t slot(uint32_t h) const { return (h * 2654435761u) & mask_; }
  std::vector<uint32_t> keys_;
  std::vector<uint16_t> values_;
  size_t mask_ = 0;
  uint64_t filter_[64] = {};
};

// A match before scoring: the term's count in the file, and whether the path has it.
struct RawHit {
  uint32_t file;
  uint16_t term;
  uint16_t tf;
  uint8_t in_path;
};

constexpr size_t kChunk = 512;  // files per parallel work item
size_t nchunks_for(size_t nfiles) { return (nfiles + kChunk - 1) / kChunk; }

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

  QueryIndex qindex(ev.query);
  std::unordered_set<std::string_view> strong(task.identifiers.begin(), task.identifiers.end());

  // One pass over every file's terms, definitions and path.
  const size_t nq = ev.query.size();
  std::vector<uint32_t> df(nq, 0), path_df(nq, 0);
  std::vector<std::vector<RawHit>> chunk_hits(nchunks_for(nfiles));
  uint64_t total_len = 0;   // over the files that are no tests, docs, ...: many small
  size_t source_files = 0;  // test files would make every real source file look long
  std::mutex mu;
  parallel_for(chunk_hits.size(), threads, 1, [&](size_t c) {
    std::vector<RawHit>& out = chunk_hits[c];
    std::vector<RawHit> content;
    std::vector<uint32_t> cdf(nq, 0), pdf(nq, 0);
    struct DirInfo {
      std::vector<uint16_t> terms;  // query terms among the directory's path sub-words
      bool low = false;             // tests/, docs/, vendor/ ...
    };
    std::unordered_map<std::string_view, DirInfo> dirs;
    std::vector<uint16_t> matched;
    std::vector<uint32_t> hashes;
    uint64_t len = 0;
    size_t sources = 0;
    for (size_t f = c * kChunk; f < std::min(nfiles, (c + 1) * kChunk); ++f) {
      const BlobRec& b = table.blob(node_blobs[f]);
      content.clear();
      for (uint32_t i = 0; i < b.lex_count; ++i) {
        const uint32_t h = table.lex_term(b.lex_begin + i);
        if (!qindex.maybe(h)) continue;
        uint16_t q = qindex.find(h);
        if (q == kNoTerm) continue;
        content.push_back(RawHit{static_cast<uint32_t>(f), q, table.lex_tf(b.lex_begin + i), 0});
        ++cdf[q];
      }
      // Path components: a directory's terms are looked up once per chunk.
      matched.clear();
      std::string_view path = paths[f];
      size_t slash = path.rfind('/');
      std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
      bool low = low_priority_path(base);
      if (slash != std::string_view::npos) {
        std::string_view dir = path.substr(0, slash);
        auto it = dirs.find(dir);
        if (it == dirs.end()) {
          DirInfo info;
          info.low = low_priority_path(std::string(dir) + "/");
          hashes.clear();
          size_t p = 0;
          while (p < dir.size()) {
            size_t e = std::min(dir.find('/', p), dir.size());
            path_term_hashes(dir.substr(p, e - p), hashes);
            p = e + 1;
          }
          for (uint32_t h : hashes)
            if (uint16_t q = qindex.find(h); q != kNoTerm) info.terms.push_back(q);
          it = dirs.emplace(dir, std::move(info)).first;
        }
        matched = it->second.terms;
        low = low || it->second.low;
      }
      if (!low) {
        len += b.lex_len;
        ++sources;
      }
      size_t dot = base.rfind('.');
      if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
      hashes.clear();
      path_term_hashes(base, hashes);
      for (uint32_t h : hashes)
        if (uint16_t q = qindex.find(h); q != kNoTerm) matched.push_back(q);
      std::sort(matched.begin(), matched.end());
      matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
      for (uint16_t q : matched) ++pdf[q];
      // This file's hits, one per term, in term order.
      std::sort(content.begin(), content.end(),
                [](const RawHit& x, const RawHit& y) { return x.term < y.term; });
      size_t ci = 0, pi = 0;
      while (ci < content.size() || pi < matched.size()) {
        if (pi == matched.size() || (ci < content.size() && content[ci].term < matched[pi])) {
          out.push_back(content[ci++]);
        } else if (ci == content.size() || matched[pi] < content[ci].term) {
          out.push_back(RawHit{static_cast<uint32_t>(f), matched[pi++], 0, 1});
        } else {
          out.push_back(content[ci++]);
          out.back().in_path = 1;
          ++pi;
        }
      }
      for (const std::string& t : task.paths)
        if (names_path(path, t)) ev.named[f] = 1;
      std::string_view stem = file_stem(path);
      if (distinctive_name(stem) && strong.count(stem)) ev.named[f] = 1;
    }
    std::lock_guard<std::mutex> lock(mu);
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
  size_t total_hits = 0;
  for (const auto& v : chunk_hits) total_hits += v.size();
  ev.hits.reserve(total_hits);
  for (const auto& v : chunk_hits) {
    for (const RawHit& r : v) {
      const QueryTerm& q = ev.query[r.term];
      float score = 0;
      if (r.tf > 0) {
        const float tf = static_cast<float>(r.tf);
        const float len = static_cast<float>(table.blob(node_blobs[r.file]).lex_len);
        score +=
            q.weight * idf(nfiles, df[r.term]) * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * len / avg_len));
      }
      if (r.in_path) score += q.weight * idf(nfiles, path_df[r.term]) * kPathWeight;
      ev.hits.push_back(LexicalHit{r.file, r.term, score});
    }
  }
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
    if (!ev.defines.empty()) h += kDefineBonus * std::min(ev.defines[f], 3.0f);
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
    if (!ev.defines.empty() && ev.defines[f] >= 1)
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
