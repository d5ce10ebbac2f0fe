// build_map's ranking inputs and outputs: boosts from task terms, pinned
// files and mentioned paths; definition scores from the file ranks.
#include <algorithm>
#include <unordered_set>

#include "repomap/hybrid.hpp"
#include "repomap/lexical.hpp"
#include "repomap/map_internal.hpp"
#include "repomap/terms.hpp"

namespace ds::repomap::detail {

namespace {

constexpr float kStrongBoost = 10.0f;    // a code-like name from the task
constexpr float kWeakBoost = 3.0f;       // a plain word that happens to be a name
constexpr double kFocusShare = 0.75;     // restart mass that goes to boosted files
constexpr float kNamedFileBoost = 5.0f;  // a file the task names: its definitions
constexpr float kFocusFileBoost = 3.0f;  // a pinned or edited file
constexpr size_t kScoredFiles = 5000;    // only the best-ranked files compete for the map
constexpr double kLexicalRestart = 3.0;  // restart mass of the best lexical match
constexpr float kHybridBoost = 30.0f;    // definition multiplier of the best hybrid file
constexpr size_t kHybridFiles = 300;     // files whose definitions the hybrid rank lifts

std::string normalize_path(std::string p, const std::string& workdir) {
  if (!workdir.empty() && p.rfind(workdir, 0) == 0) p.erase(0, workdir.size());
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  return p;
}

bool path_matches(std::string_view path, std::string_view term) {
  if (path == term) return true;
  return path.size() > term.size() && path.ends_with(term) && path[path.size() - term.size() - 1] == '/';
}

// "src/session_store.py" -> "session_store"
std::string_view file_stem(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  size_t dot = path.find('.');
  return dot == std::string_view::npos || dot == 0 ? path : path.substr(0, dot);
}

}  // namespace

Boosts compute_boosts(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                      const std::vector<std::string_view>& paths, const std::vector<std::string>& term_texts,
                      const std::vector<std::string>& focus_files, const std::string& workdir,
                      const std::vector<float>& lexical) {
  Boosts out;
  TaskTerms terms = extract_terms(term_texts);
  std::unordered_set<std::string_view> strong(terms.identifiers.begin(), terms.identifiers.end());
  std::unordered_set<std::string_view> weak(terms.words.begin(), terms.words.end());
  if (!terms.identifiers.empty() || !terms.words.empty()) {
    uint64_t lengths = 0;  // a cheap filter before hashing every name
    for (const auto& s : terms.identifiers) lengths |= uint64_t{1} << std::min<size_t>(s.size(), 63);
    for (const auto& s : terms.words) lengths |= uint64_t{1} << std::min<size_t>(s.size(), 63);
    out.name_boost.assign(table.name_count(), 1.0f);
    for (uint32_t x = 0; x < table.name_count(); ++x) {
      std::string_view n = table.name(x);
      if (!(lengths & (uint64_t{1} << std::min<size_t>(n.size(), 63)))) continue;
      if (strong.count(n))
        out.name_boost[x] = kStrongBoost;
      else if (weak.count(n))
        out.name_boost[x] = kWeakBoost;
    }
  }
  std::vector<std::string> focus;
  for (const std::string& p : focus_files) focus.push_back(normalize_path(p, workdir));
  if (focus.empty() && terms.paths.empty() && strong.empty() && weak.empty() && lexical.empty()) return out;
  float max_lex = 0;
  for (float s : lexical) max_lex = std::max(max_lex, s);

  // Files the task names (by path or by stem) show their definitions; pinned
  // files are already in the context, so they mostly pull in neighbours.
  std::vector<double> boost(node_blobs.size(), 0.0);
  out.file_boost.assign(node_blobs.size(), 1.0f);
  if (!out.name_boost.empty()) out.defines.assign(node_blobs.size(), 0.0f);
  double total = 0;
  for (size_t f = 0; f < node_blobs.size(); ++f) {
    double b = 0;
    for (const std::string& p : focus)
      if (paths[f] == p) {
        b += 5;
        out.file_boost[f] = std::max(out.file_boost[f], kFocusFileBoost);
      }
    for (const std::string& p : terms.paths)
      if (path_matches(paths[f], p)) {
        b += 3;
        out.file_boost[f] = kNamedFileBoost;
      }
    if (!strong.empty() || !weak.empty()) {  // "the session_store module": a file's stem
      std::string_view stem = file_stem(paths[f]);
      if (strong.count(stem) && distinctive_name(stem)) {
        b += 3;
        out.file_boost[f] = kNamedFileBoost;
      } else if (weak.count(stem) && !low_priority_path(paths[f])) {
        b += 1;
        out.file_boost[f] = std::max(out.file_boost[f], kFocusFileBoost);
      }
    }
    if (!out.name_boost.empty()) {
      const BlobRec& blob = table.blob(node_blobs[f]);
      float defines = 0;
      for (uint32_t i = 0; i < blob.def_count; ++i) {
        float nb = out.name_boost[table.def(blob.def_begin + i).name];
        if (nb >= kStrongBoost) {
          b += 2;
          defines += 1;
        } else if (nb > 1) {
          b += 0.5;
          defines += 0.25f;
        }
      }
      out.defines[f] = defines;
    }
    if (max_lex > 0) {  // the strongest lexical matches pull rank their way
      float share = lexical[f] / max_lex;
      if (share > 0.2f) b += kLexicalRestart * share * share * (low_priority_path(paths[f]) ? 0.3 : 1.0);
    }
    boost[f] = b;
    total += b;
  }
  if (total > 0) {
    out.personalization.resize(node_blobs.size());
    const double uniform = (1 - kFocusShare) / static_cast<double>(node_blobs.size());
    for (size_t f = 0; f < node_blobs.size(); ++f)
      out.personalization[f] = uniform + kFocusShare * boost[f] / total;
  }
  return out;
}

void apply_hybrid(Boosts& boosts, const std::vector<float>& hybrid) {
  std::vector<uint32_t> top = best_files(hybrid, kHybridFiles);
  if (top.empty()) return;
  if (boosts.file_boost.empty()) boosts.file_boost.assign(hybrid.size(), 1.0f);
  const float best = hybrid[top.front()];
  for (uint32_t f : top) boosts.file_boost[f] *= 1.0f + kHybridBoost * hybrid[f] / best;
}

std::vector<ScoredDef> score_definitions(const TagTable& table, const std::vector<uint32_t>& node_blobs,
                                         const RankResult& rank, const Boosts& boosts) {
  const size_t nfiles = node_blobs.size();
  // The best-ranked files, plus every file holding a boosted name.
  std::vector<uint32_t> files(nfiles);
  for (uint32_t f = 0; f < nfiles; ++f) files[f] = f;
  if (nfiles > kScoredFiles) {
    auto by_rank = [&](uint32_t a, uint32_t b) { return rank.file_rank[a] > rank.file_rank[b]; };
    std::nth_element(files.begin(), files.begin() + kScoredFiles, files.end(), by_rank);
    std::vector<uint32_t> rest(files.begin() + kScoredFiles, files.end());
    files.resize(kScoredFiles);
    for (uint32_t f : rest) {
      bool boosted = (!boosts.personalization.empty() &&
                      boosts.personalization[f] > (1 - kFocusShare) / static_cast<double>(nfiles) * 1.0001) ||
                     (!boosts.file_boost.empty() && boosts.file_boost[f] > 1.0f);
      if (boosted) files.push_back(f);
    }
  }
  // Score: rank arriving through the name, plus a share of the file's own
  // rank so definitions nobody references can still show. A name defined
  // again in the same file (overloads, constructors after their class)
  // brings its inflow to the first definition only.
  std::vector<ScoredDef> scored;
  std::vector<uint32_t> seen_in(table.name_count(), UINT32_MAX);
  for (uint32_t f : files) {
    const BlobRec& b = table.blob(node_blobs[f]);
    if (b.def_count == 0) continue;
    double base = 0.15 * rank.file_rank[f] / b.def_count;
    for (uint32_t i = 0; i < b.def_count; ++i) {
      const DefRec& d = table.def(b.def_begin + i);
      double inflow = rank.name_inflow[d.name];
      if (seen_in[d.name] == f) inflow *= 0.1;
      seen_in[d.name] = f;
      double score = inflow + base;
      if (!boosts.name_boost.empty()) score *= boosts.name_boost[d.name];
      if (!boosts.file_boost.empty()) score *= boosts.file_boost[f];
      scored.push_back(ScoredDef{f, b.def_begin + i, score, b.def_begin});
    }
  }
  return scored;
}

}  // namespace ds::repomap::detail
