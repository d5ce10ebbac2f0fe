// Budgeted rendering: choose the longest prefix of the score order that
// fits, then print it grouped by file.
#include "repomap/render.hpp"

#include <algorithm>
#include <unordered_set>

namespace ds::repomap {

namespace {

size_t indent_of(const DefRec& d) { return 2 * (1 + static_cast<size_t>(std::min<uint8_t>(d.depth, 3))); }

std::string_view line_text(const TagTable& t, const DefRec& d) {
  std::string_view sig = t.signature(d);
  return sig.empty() ? t.name(d.name) : sig;
}

}  // namespace

std::string render_map(const TagTable& table, const std::vector<std::string_view>& paths,
                       std::vector<ScoredDef>& defs, size_t max_tokens) {
  if (max_tokens == 0 || defs.empty()) return {};
  const size_t budget_bytes = max_tokens * 4;  // estimate_tokens: 4 bytes a token
  auto better = [](const ScoredDef& a, const ScoredDef& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.file != b.file) return a.file < b.file;
    return a.def < b.def;
  };
  // No line is shorter than 6 bytes, so no more than this many can fit.
  size_t top = std::min(defs.size(), budget_bytes / 6 + 1);
  std::partial_sort(defs.begin(), defs.begin() + static_cast<ptrdiff_t>(top), defs.end(), better);
  defs.resize(top);

  // Longest prefix that fits. A member brings its enclosing definitions
  // (nearest earlier definitions of smaller depth); a line already shown
  // costs nothing.
  std::vector<uint8_t> file_seen(paths.size(), 0);
  std::unordered_set<uint64_t> lines_seen;
  std::vector<ScoredDef> chosen;
  std::vector<ScoredDef> group;
  size_t bytes = 0;
  size_t misses = 0;  // after a line that does not fit, try a few shorter ones
  auto line_key = [&](const ScoredDef& s) { return (uint64_t{s.file} << 32) | table.def(s.def).line; };
  for (const ScoredDef& s : defs) {
    if (lines_seen.count(line_key(s))) continue;
    group.assign(1, s);
    uint8_t depth = table.def(s.def).depth;
    for (uint32_t k = s.def; depth > 0 && k-- > s.first_def;) {
      const DefRec& p = table.def(k);
      if (p.depth >= depth) continue;
      depth = p.depth;
      ScoredDef parent{s.file, k, s.score, s.first_def};
      if (!lines_seen.count(line_key(parent))) group.push_back(parent);
    }
    size_t cost = file_seen[s.file] ? 0 : paths[s.file].size() + 2;
    for (const ScoredDef& g : group) {
      const DefRec& d = table.def(g.def);
      cost += indent_of(d) + line_text(table, d).size() + 1;
    }
    if (bytes + cost > budget_bytes) {
      if (++misses > 64) break;
      continue;
    }
    bytes += cost;
    file_seen[s.file] = 1;
    for (const ScoredDef& g : group) {
      lines_seen.insert(line_key(g));
      chosen.push_back(g);
    }
  }

  // Group by file (files in order of their best definition), lines in order.
  std::vector<uint32_t> file_order;
  std::vector<uint32_t> rank_of_file(paths.size(), UINT32_MAX);
  for (const ScoredDef& s : chosen) {
    if (rank_of_file[s.file] == UINT32_MAX) {
      rank_of_file[s.file] = static_cast<uint32_t>(file_order.size());
      file_order.push_back(s.file);
    }
  }
  std::sort(chosen.begin(), chosen.end(), [&](const ScoredDef& a, const ScoredDef& b) {
    if (a.file != b.file) return rank_of_file[a.file] < rank_of_file[b.file];
    return table.def(a.def).line < table.def(b.def).line;
  });
  std::string out;
  out.reserve(bytes);
  uint32_t current = UINT32_MAX;
  for (const ScoredDef& s : chosen) {
    if (s.file != current) {
      current = s.file;
      out.append(paths[s.file]);
      out.append(":\n");
    }
    const DefRec& d = table.def(s.def);
    out.append(indent_of(d), ' ');
    out.append(line_text(table, d));
    out.push_back('\n');
  }
  return out;
}

}  // namespace ds::repomap
