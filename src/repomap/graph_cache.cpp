// Graph cache file: a header and the graph's arrays, 8-byte aligned, mapped
// read-only on load.
#include "repomap/graph_cache.hpp"

#include <atomic>
#include <cstring>

#include "base/atomic_write.hpp"
#include "repomap/mapped_file.hpp"

namespace ds::repomap {

namespace {

constexpr char kMagic[8] = {'D', 'S', 'R', 'G', 'R', 'P', 'H', '\2'};

struct Header {
  char magic[8];
  uint64_t key;
  uint32_t files, names;
  uint64_t file_defs, edges;
  uint64_t total_size;
};
static_assert(sizeof(Header) == 48);

struct Layout {
  size_t file_def_begin, file_defs, definers, in_begin, edge_file, edge_weight, dangling, total;
};

Layout layout_for(const Header& h) {
  Layout l{};
  l.file_def_begin = sizeof(Header);
  l.file_defs = align8(l.file_def_begin + (size_t{h.files} + 1) * 4);
  l.definers = align8(l.file_defs + h.file_defs * 4);
  l.in_begin = align8(l.definers + size_t{h.names} * 4);
  l.edge_file = align8(l.in_begin + (size_t{h.names} + 1) * 4);
  l.edge_weight = align8(l.edge_file + h.edges * 4);
  l.dangling = align8(l.edge_weight + h.edges * 4);
  l.total = align8(l.dangling + h.files);
  return l;
}

}  // namespace

uint64_t graph_key(uint64_t generation, const std::vector<uint32_t>& blobs) {
  if (generation == 0) return 0;
  uint64_t h = generation ^ 0x9E3779B97F4A7C15ull;
  auto mix = [&](uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
  };
  mix(blobs.size());
  for (uint32_t b : blobs) mix(b);
  return h == 0 ? 1 : h;
}

Result<Graph> load_graph(const std::string& path, uint64_t key) {
  if (key == 0) return make_error("no graph key");
  auto m = map_file(path);
  if (!m) return make_error("graph cache: " + m.error().message);
  if (m->size < sizeof(Header)) return make_error("graph cache " + path + " is truncated");
  Header h;
  std::memcpy(&h, m->data, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.key != key || h.total_size != m->size ||
      layout_for(h).total != h.total_size)
    return make_error("graph cache " + path + " is stale or invalid");
  const char* data = m->data;
  Layout l = layout_for(h);
  Graph g;
  g.backing = std::move(m->backing);
  g.files = h.files;
  g.names = h.names;
  g.file_def_begin.attach(reinterpret_cast<const uint32_t*>(data + l.file_def_begin), h.files + 1);
  g.file_defs.attach(reinterpret_cast<const uint32_t*>(data + l.file_defs), h.file_defs);
  g.definers.attach(reinterpret_cast<const uint32_t*>(data + l.definers), h.names);
  g.in_begin.attach(reinterpret_cast<const uint32_t*>(data + l.in_begin), h.names + 1);
  g.edge_file.attach(reinterpret_cast<const uint32_t*>(data + l.edge_file), h.edges);
  g.edge_weight.attach(reinterpret_cast<const float*>(data + l.edge_weight), h.edges);
  g.dangling.attach(reinterpret_cast<const uint8_t*>(data + l.dangling), h.files);
  // Bounds: every index the rank loop follows must stay inside its array.
  if (g.file_def_begin[h.files] != h.file_defs || g.in_begin[h.names] != h.edges)
    return make_error("graph cache " + path + " is invalid");
  for (size_t i = 0; i < h.file_defs; ++i)
    if (g.file_defs[i] >= h.names) return make_error("graph cache " + path + " is invalid");
  for (size_t i = 0; i < h.edges; ++i)
    if (g.edge_file[i] >= h.files) return make_error("graph cache " + path + " is invalid");
  for (uint32_t i = 0; i < h.files; ++i)
    if (g.file_def_begin[i] > g.file_def_begin[i + 1])
      return make_error("graph cache " + path + " is invalid");
  for (uint32_t i = 0; i < h.names; ++i)
    if (g.in_begin[i] > g.in_begin[i + 1] || (g.in_begin[i] != g.in_begin[i + 1] && g.definers[i] == 0))
      return make_error("graph cache " + path + " is invalid");
  return g;
}

Status save_graph(const Graph& g, uint64_t key, const std::string& path) {
  if (key == 0) return make_error("no graph key");
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.key = key;
  h.files = g.files;
  h.names = g.names;
  h.file_defs = g.file_defs.size();
  h.edges = g.edge_file.size();
  Layout l = layout_for(h);
  h.total_size = l.total;
  std::string out(l.total, '\0');
  std::memcpy(out.data(), &h, sizeof h);
  auto put = [&](size_t off, const void* p, size_t n) {
    if (n) std::memcpy(out.data() + off, p, n);
  };
  put(l.file_def_begin, g.file_def_begin.data(), g.file_def_begin.size() * 4);
  put(l.file_defs, g.file_defs.data(), g.file_defs.size() * 4);
  put(l.definers, g.definers.data(), g.definers.size() * 4);
  put(l.in_begin, g.in_begin.data(), g.in_begin.size() * 4);
  put(l.edge_file, g.edge_file.data(), g.edge_file.size() * 4);
  put(l.edge_weight, g.edge_weight.data(), g.edge_weight.size() * 4);
  put(l.dangling, g.dangling.data(), g.dangling.size());

  Status st = write_file_atomic(path, out, 0644);
  if (!st) return make_error("cannot write graph cache " + path + ": " + st.error().message);
  return Ok{};
}

}  // namespace ds::repomap
