// Tag table, cache file and graph cache in isolation: round trips through
// real files, rejection of damaged or foreign files, and the rank and render
// stages on small hand-made tables.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "repomap/cache.hpp"
#include "repomap/graph.hpp"
#include "repomap/graph_cache.hpp"
#include "repomap/render.hpp"
#include "support/temp_dir.hpp"
#include "text/tokens.hpp"

using namespace ds::repomap;
namespace fs = std::filesystem;
using ds::test::TempDir;

namespace {

Oid oid_of(uint8_t b) {
  Oid o;
  o.bytes.fill(b);
  return o;
}

// A blob defining `defs` and referencing `refs` (once each, `hot` 9 times).
ParsedBlob blob(uint8_t id, std::vector<std::string> defs, std::vector<std::string> refs) {
  ParsedBlob p;
  p.oid = oid_of(id);
  p.lang = Language::kPython;
  uint32_t line = 1;
  for (auto& d : defs) p.defs.push_back({d, line++, DefKind::kFunction, 0, "def " + d + "():"});
  for (auto& r : refs) p.refs.emplace_back(r, r == "hot" ? 9u : 1u);
  return p;
}

std::vector<uint32_t> all(const TagTable& t) {
  std::vector<uint32_t> v(t.blob_count());
  for (uint32_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

}  // namespace

TEST_CASE("the tag cache round-trips through a file and is found by blob id") {
  TempDir dir("ds-repomap-cache-");
  TagTable t;
  t.add(blob(3, {"alpha", "beta"}, {"gamma", "alpha"}));
  t.add(blob(1, {"gamma"}, {"alpha"}));
  t.add(blob(2, {"unused"}, {}));
  std::string path = dir.path + "/sub/repomap.cache";
  auto gen = save_cache(t, {0, 1}, path);  // blob 2 is dropped
  REQUIRE(gen.ok());
  auto loaded = load_cache(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->generation() == *gen);
  CHECK(loaded->blob_count() == 2);
  CHECK(loaded->find(oid_of(2), Extractor::kBuiltin) == -1);
  CHECK(loaded->find(oid_of(3), Extractor::kCtags) == -1);  // the extractor is part of the key
  int64_t i = loaded->find(oid_of(3), Extractor::kBuiltin);
  REQUIRE(i >= 0);
  const BlobRec& b = loaded->blob(static_cast<uint32_t>(i));
  REQUIRE(b.def_count == 2);
  CHECK(loaded->name(loaded->def(b.def_begin).name) == "alpha");
  CHECK(loaded->signature(loaded->def(b.def_begin + 1)) == "def beta():");
  CHECK(loaded->def(b.def_begin + 1).line == 2);
  REQUIRE(b.ref_count == 2);
  CHECK(loaded->name(loaded->ref_name(b.ref_begin)) == "gamma");
  CHECK(loaded->name_count() == 3);  // "unused" was not written

  // Appending to a mapped table copies it first and keeps what was there.
  loaded->add(blob(9, {"delta"}, {"alpha"}));
  CHECK(loaded->generation() == 0);
  CHECK(loaded->name(loaded->def(b.def_begin).name) == "alpha");
  CHECK(loaded->intern("alpha") == loaded->def(b.def_begin).name);
}

TEST_CASE("damaged or foreign cache files are rejected, not trusted") {
  TempDir dir("ds-repomap-cache-");
  TagTable t;
  t.add(blob(1, {"alpha"}, {"beta"}));
  std::string path = dir.path + "/repomap.cache";
  REQUIRE(save_cache(t, {0}, path).ok());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto write = [&](const std::string& b) { std::ofstream(path, std::ios::binary | std::ios::trunc) << b; };

  CHECK(load_cache(dir.path + "/missing").error().kind == ErrorKind::CacheMissing);
  write(bytes.substr(0, bytes.size() - 3));
  CHECK(load_cache(path).error().kind == ErrorKind::CacheInvalid);
  std::string foreign = bytes;
  foreign[0] = 'X';
  write(foreign);
  CHECK(load_cache(path).error().kind == ErrorKind::CacheInvalid);
  std::string bad_index = bytes;
  bad_index.replace(64, 4, std::string("\xff\xff\xff\x7f", 4));  // the first name offset must be 0
  write(bad_index);
  CHECK_FALSE(load_cache(path).ok());
  write(bytes);
  CHECK(load_cache(path).ok());
}

TEST_CASE("the file everyone references ranks first, personalisation moves rank") {
  TagTable t;
  t.add(blob(1, {"hot"}, {}));                // 0: defines hot
  t.add(blob(2, {"a_fn"}, {"hot"}));          // 1
  t.add(blob(3, {"b_fn"}, {"hot", "a_fn"}));  // 2
  t.add(blob(4, {"c_fn"}, {"hot", "b_fn"}));  // 3
  t.add(blob(5, {"lonely"}, {}));             // 4: nobody uses it
  Graph g = build_graph(t, all(t));
  CHECK(g.edge_file.size() == 5);
  RankResult r = rank_graph(g, {}, 1);
  for (size_t f = 1; f < 5; ++f) CHECK(r.file_rank[0] > r.file_rank[f]);
  CHECK(r.file_rank[4] < r.file_rank[1]);
  double sum = 0;
  for (double x : r.file_rank) sum += x;
  CHECK(sum == Approx(1.0));

  RankResult p = rank_graph(g, {0, 0, 0, 0, 1}, 1);
  CHECK(p.file_rank[4] > r.file_rank[4] * 3);
  CHECK(p.file_rank[4] > p.file_rank[0]);
}

TEST_CASE("the graph cache is used only for the same table generation and node list") {
  TempDir dir("ds-repomap-cache-");
  TagTable t;
  t.add(blob(1, {"hot"}, {}));
  t.add(blob(2, {"a_fn"}, {"hot"}));
  Graph g = build_graph(t, all(t));
  std::string path = dir.path + "/repomap.graph";
  uint64_t key = graph_key(42, {0, 1});
  CHECK(graph_key(0, {0, 1}) == 0);
  CHECK(graph_key(42, {1, 0}) != key);
  CHECK(graph_key(43, {0, 1}) != key);
  REQUIRE(save_graph(g, key, path).ok());
  CHECK_FALSE(load_graph(path, graph_key(42, {1, 0})).ok());
  auto loaded = load_graph(path, key);
  REQUIRE(loaded.ok());
  RankResult a = rank_graph(g, {}, 1), b = rank_graph(*loaded, {}, 1);
  CHECK(a.file_rank == b.file_rank);
  std::ofstream(path, std::ios::binary | std::ios::app) << "x";
  CHECK_FALSE(load_graph(path, key).ok());
}

TEST_CASE("render: grouped by file in rank order, lines in source order, within budget") {
  TagTable t;
  t.add(blob(1, {"first", "second", "third"}, {}));
  t.add(blob(2, {"other"}, {}));
  std::vector<std::string_view> paths = {"a.py", "b.py"};
  std::vector<ScoredDef> defs = {{0, 0, 1.0, 0}, {0, 1, 0.1, 0}, {0, 2, 3.0, 0}, {1, 3, 2.0, 3}};
  std::vector<ScoredDef> copy = defs;
  std::string m = render_map(t, paths, copy, 1000);
  CHECK(m == "a.py:\n  def first():\n  def second():\n  def third():\nb.py:\n  def other():\n");
  copy = defs;
  std::string small = render_map(t, paths, copy, 8);  // 32 bytes: the best line and its header
  CHECK(small == "a.py:\n  def third():\n");
  CHECK(ds::text::estimate_tokens(small) <= 8);
  copy = defs;
  CHECK(render_map(t, paths, copy, 0).empty());
}
