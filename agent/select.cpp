// Best of N: normalized patches, the vote and the choice (select.hpp).
#include "agent/select.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "text/lines.hpp"

namespace ds::agent {

namespace {

// A line without comments (`#`, `//` to the end, `/* … */` within it) and
// without any white space.
std::string code_of(const std::string& line) {
  std::string out;
  bool in_block = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    char next = i + 1 < line.size() ? line[i + 1] : '\0';
    if (in_block) {
      if (c == '*' && next == '/') in_block = false, ++i;
      continue;
    }
    if (c == '/' && next == '*') {
      in_block = true, ++i;
      continue;
    }
    if (c == '#' || (c == '/' && next == '/')) break;
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// One file's or hunk's normalized lines: removed and added lines that are
// equal after normalization cancel out (a comment changed on a code line).
void flush(std::vector<std::string>& removed, std::vector<std::string>& added, std::string& out) {
  std::multiset<std::string> plus(added.begin(), added.end());
  std::vector<std::string> kept_minus;
  for (auto& r : removed) {
    auto it = plus.find(r);
    if (it != plus.end())
      plus.erase(it);
    else
      kept_minus.push_back(r);
  }
  for (auto& r : kept_minus) out += "-" + r + "\n";
  for (auto& a : added) {
    auto it = plus.find(a);
    if (it == plus.end()) continue;
    plus.erase(it);
    out += "+" + a + "\n";
  }
  removed.clear();
  added.clear();
}

int tier_of(const Candidate& c) {
  if (c.diff.empty()) return 4;
  if (c.solved && c.fails_of.empty()) return 1;
  if (c.solved) return 2;
  return 3;
}

std::string list_of(const std::vector<int>& attempts) {
  std::string out;
  for (int a : attempts) out += (out.empty() ? "" : ", ") + std::to_string(a + 1);
  return out;
}

}  // namespace

std::string normalize_patch(const std::string& diff) {
  std::string out;
  std::vector<std::string> removed, added;
  for (const auto& line : text::split_lines(diff)) {
    if (line.rfind("diff --git ", 0) == 0) {
      flush(removed, added, out);
      out += line + "\n";
      continue;
    }
    if (line.rfind("+++ ", 0) == 0 || line.rfind("--- ", 0) == 0) continue;
    if (line.rfind("@@", 0) == 0) {
      flush(removed, added, out);
      continue;
    }
    if (line.empty() || (line[0] != '+' && line[0] != '-')) continue;
    std::string code = code_of(line.substr(1));
    if (code.empty()) continue;
    (line[0] == '+' ? added : removed).push_back(std::move(code));
  }
  flush(removed, added, out);
  return out;
}

size_t diff_size(const std::string& diff) {
  size_t n = 0;
  for (const auto& line : text::split_lines(diff)) {
    if (line.rfind("+++ ", 0) == 0 || line.rfind("--- ", 0) == 0) continue;
    if (!line.empty() && (line[0] == '+' || line[0] == '-')) ++n;
  }
  return n;
}

Selection select_candidate(const std::vector<Candidate>& cands) {
  Selection s;
  s.why.resize(cands.size());
  int best_tier = 4;
  for (const auto& c : cands) best_tier = std::min(best_tier, tier_of(c));
  for (size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    int t = tier_of(c);
    if (t == 4)
      s.why[i] = "no change";
    else if (!c.solved)
      s.why[i] = "not verified (its own reproduction or the regression tests)";
    else if (!c.fails_of.empty())
      s.why[i] = "fails the reproduction of attempt " + list_of(c.fails_of);
    else
      s.why[i] = "verified";
  }
  if (best_tier == 4) {
    s.reason = "no attempt made a change";
    return s;
  }
  s.tier = best_tier;
  // The vote: groups of equal normalized patches within the best tier.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < cands.size(); ++i)
    if (tier_of(cands[i]) == best_tier) groups[normalize_patch(cands[i].diff)].push_back(i);
  size_t best = cands.size();
  size_t best_votes = 0;
  for (const auto& [norm, members] : groups) {
    for (size_t i : members) {
      bool better = members.size() > best_votes ||
                    (members.size() == best_votes && diff_size(cands[i].diff) < diff_size(cands[best].diff));
      if (better) best = i, best_votes = members.size();
    }
  }
  s.winner = static_cast<int>(best);
  s.votes = static_cast<int>(best_votes);
  size_t rivals = 0;
  for (size_t i = 0; i < cands.size(); ++i)
    if (tier_of(cands[i]) == best_tier) ++rivals;
  std::string what = best_tier == 1   ? "verified and passes every other attempt's reproduction"
                     : best_tier == 2 ? "solved on its own (no attempt passes every other's reproduction)"
                                      : "a change (no attempt was verified)";
  std::string how;
  if (rivals == 1)
    how = "the only such attempt";
  else if (best_votes > 1 && groups.size() > 1)
    how =
        std::to_string(best_votes) + " of " + std::to_string(rivals) + " such attempts made the same change";
  else if (best_votes > 1)
    how = "all " + std::to_string(rivals) + " such attempts made the same change; the smallest diff";
  else
    how = "no two such attempts agree; the smallest diff";
  s.reason = "attempt " + std::to_string(cands[best].index + 1) + ": " + what + "; " + how;
  for (size_t i = 0; i < cands.size(); ++i) {
    if (i == best)
      s.why[i] = "winner: " + s.why[i];
    else if (tier_of(cands[i]) == best_tier)
      s.why[i] += normalize_patch(cands[i].diff) == normalize_patch(cands[best].diff)
                      ? "; the same change as the winner"
                      : "; outvoted or larger";
  }
  return s;
}

int agreeing(const std::vector<Candidate>& cands) {
  std::map<std::string, int> groups;
  int best = 0;
  for (const auto& c : cands)
    if (tier_of(c) == 1) best = std::max(best, ++groups[normalize_patch(c.diff)]);
  return best;
}

}  // namespace ds::agent
