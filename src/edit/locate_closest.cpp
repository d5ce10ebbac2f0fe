// The closest region of a file to a SEARCH text that was not found: the
// place where most of its lines occur at the right offsets, or failing that
// the line most similar to its first line. Shown to the model so that it can
// copy the real lines.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "edit/line_numbers.hpp"
#include "edit/locate.hpp"
#include "text/lines.hpp"

namespace ds::edit {
namespace {

using text::trim;

// A SEARCH line occurring more often than this in the file ("}", "end",
// "return") says nothing about where the block is; it gets no votes.
constexpr size_t kMaxOccurrences = 64;
constexpr size_t kContext = 2;
constexpr size_t kMaxSimilarityChars = 200;

std::vector<uint16_t> bigrams(std::string_view s) {
  s = s.substr(0, kMaxSimilarityChars);
  std::vector<uint16_t> out;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    out.push_back(static_cast<uint16_t>((static_cast<unsigned char>(s[i]) << 8) |
                                        static_cast<unsigned char>(s[i + 1])));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Dice coefficient over character bigrams, in [0, 1].
double similarity(const std::vector<uint16_t>& a, std::string_view b_text) {
  std::vector<uint16_t> b = bigrams(b_text);
  if (a.empty() || b.empty()) return 0;
  size_t common = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common, ++i, ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// Start line (may be negative: the block would begin before the file) where
// the most SEARCH lines occur at their own offset; nullopt when none occurs.
std::optional<long> vote_for_start(const LineViews& file, const Lines& search) {
  std::unordered_map<std::string_view, std::vector<size_t>> wanted;  // trimmed line -> offsets
  for (size_t j = 0; j < search.size(); ++j) {
    std::string_view t = trim(search[j]);
    if (!t.empty()) wanted[t].push_back(j);
  }
  if (wanted.empty()) return std::nullopt;
  std::unordered_map<std::string_view, size_t> seen;
  for (const auto& line : file) {
    std::string_view t = trim(line);
    if (!t.empty() && wanted.count(t)) ++seen[t];
  }
  std::unordered_map<long, size_t> votes;
  for (size_t i = 0; i < file.size(); ++i) {
    std::string_view t = trim(file[i]);
    if (t.empty()) continue;
    auto it = wanted.find(t);
    if (it == wanted.end() || seen[t] > kMaxOccurrences) continue;
    for (size_t j : it->second) ++votes[static_cast<long>(i) - static_cast<long>(j)];
  }
  std::optional<long> best;
  size_t best_votes = 0;
  for (const auto& [start, n] : votes) {
    if (n > best_votes || (n == best_votes && start < *best)) {
      best = start;
      best_votes = n;
    }
  }
  return best;
}

}  // namespace

ClosestRegion closest_region(const LineViews& file, const Lines& search, size_t max_lines) {
  ClosestRegion out;
  if (file.empty()) return out;
  std::optional<long> start = vote_for_start(file, search);
  if (!start) {
    size_t anchor = 0;
    while (anchor < search.size() && trim(search[anchor]).empty()) ++anchor;
    if (anchor == search.size()) return out;
    auto want = bigrams(trim(search[anchor]));
    double best = 0;
    for (size_t i = 0; i < file.size(); ++i) {
      std::string_view t = trim(file[i]);
      if (t.size() * 3 < want.size() || want.size() * 3 < t.size()) continue;
      double s = similarity(want, t);
      if (s > best) {
        best = s;
        start = static_cast<long>(i) - static_cast<long>(anchor);
      }
    }
    if (!start || best < 0.3) return out;  // nothing resembles it: better show nothing
  }
  long last_line = static_cast<long>(file.size()) - 1;
  size_t first = static_cast<size_t>(std::clamp(*start, 0L, last_line));
  out.line = first + 1;
  size_t from = first > kContext ? first - kContext : 0;
  size_t to = std::min(file.size(), first + std::max<size_t>(search.size(), 1) + kContext);
  to = std::min(to, from + max_lines);
  out.first = from + 1;
  out.last = to;
  for (size_t i = from; i < to; ++i) {
    out.text += number_line(i + 1, file[i]);
    out.text += '\n';
  }
  return out;
}

}  // namespace ds::edit
