// --shard I/N: parsing and the id → slice mapping (FNV-1a, then modulo N).
#include "agent/batch/shard.hpp"

#include <charconv>

namespace ds::agent {

Result<Shard> parse_shard(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return make_error(
        "--shard must be I/N with 0 <= I < N (e.g. --shard 0/4, or --shard $JOB_COMPLETION_INDEX/4); got '" +
        std::string(text) + "': " + why);
  };
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad("no '/'");
  Shard s;
  auto num = [](std::string_view part, int& out) {
    if (part.empty()) return false;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && p == part.data() + part.size();
  };
  if (!num(text.substr(0, slash), s.index)) return bad("I is not a whole number");
  if (!num(text.substr(slash + 1), s.count)) return bad("N is not a whole number");
  if (s.count < 1) return bad("N must be at least 1");
  if (s.index < 0 || s.index >= s.count)
    return bad("I must be between 0 and N-1 (slices are numbered from 0)");
  return s;
}

uint64_t stable_hash(std::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool in_shard(std::string_view id, const Shard& shard) {
  if (shard.count <= 1) return true;
  return stable_hash(id) % static_cast<uint64_t>(shard.count) == static_cast<uint64_t>(shard.index);
}

}  // namespace ds::agent
