// --shard I/N: parsing, the stable hash, and the partition property: the N
// slices of any id set are disjoint, cover it, and do not depend on order.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "agent/batch/shard.hpp"

using namespace ds::agent;

TEST_CASE("batch shard: I/N is parsed with 0-based slices, bad values say what is wrong") {
  auto s = parse_shard("2/5");
  REQUIRE(s.ok());
  CHECK(s->index == 2);
  CHECK(s->count == 5);
  for (const char* bad : {"5/5", "-1/4", "1", "a/4", "1/0", "1/4x", "/4", ""}) {
    INFO(bad);
    auto r = parse_shard(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("--shard must be I/N") == 0);
  }
  CHECK(parse_shard("5/5").error().message.find("between 0 and N-1") != std::string::npos);
}

TEST_CASE("batch shard: the hash is FNV-1a 64 (published test vectors), the same on every machine") {
  CHECK(stable_hash("") == 0xcbf29ce484222325ull);
  CHECK(stable_hash("a") == 0xaf63dc4c8601ec8cull);
  CHECK(stable_hash("foobar") == 0x85944171f73967e8ull);
}

TEST_CASE("batch shard: every N partitions a set of SWE-bench-like ids exactly and roughly evenly") {
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back("owner__repo-" + std::to_string(10000 + i * 7));
  for (int n : {1, 2, 3, 4, 7, 16}) {
    INFO("N = " << n);
    std::map<std::string, int> owner;
    std::vector<size_t> sizes(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i)
      for (const auto& id : ids)
        if (in_shard(id, Shard{i, n})) {
          CHECK(owner.emplace(id, i).second);  // in no other slice
          ++sizes[static_cast<size_t>(i)];
        }
    CHECK(owner.size() == ids.size());  // every id in some slice
    for (size_t sz : sizes) {
      CHECK(sz > ids.size() / static_cast<size_t>(n) * 7 / 10);
      CHECK(sz < ids.size() / static_cast<size_t>(n) * 13 / 10 + 1);
    }
  }
}
