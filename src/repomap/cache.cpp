// Cache file encoding, validation, memory mapping and atomic replacement.
//
// Layout (native little-endian; every section starts 8-byte aligned):
//   Header | name offsets u32[n_names+1] | name bytes | BlobRec[n_blobs]
//   (sorted by oid, extractor) | DefRec[n_defs] | ref names u32[n_refs] |
//   ref counts u16[n_refs] | lexical terms u32[n_lex] | lexical counts
//   u16[n_lex] | signature bytes
#include "repomap/cache.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>

#include "base/atomic_write.hpp"
#include "repomap/mapped_file.hpp"

namespace ds::repomap {

namespace {

constexpr char kMagic[8] = {'D', 'S', 'R', 'M', 'A', 'P', '\0', '\1'};
constexpr uint32_t kVersion = 3;  // 3: the lexical index (term hashes)

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t n_names;
  uint32_t n_blobs;
  uint32_t n_defs;
  uint32_t n_refs;
  uint32_t n_lex;
  uint64_t name_bytes;
  uint64_t sig_bytes;
  uint64_t total_size;
  uint64_t generation;
};
static_assert(sizeof(Header) == 64);

struct Layout {
  size_t name_offsets, name_text, blobs, defs, ref_names, ref_counts, lex_terms, lex_counts, sigs, total;
};

Layout layout_for(const Header& h) {
  Layout l{};
  l.name_offsets = sizeof(Header);
  l.name_text = align8(l.name_offsets + (size_t{h.n_names} + 1) * 4);
  l.blobs = align8(l.name_text + h.name_bytes);
  l.defs = align8(l.blobs + size_t{h.n_blobs} * sizeof(BlobRec));
  l.ref_names = align8(l.defs + size_t{h.n_defs} * sizeof(DefRec));
  l.ref_counts = align8(l.ref_names + size_t{h.n_refs} * 4);
  l.lex_terms = align8(l.ref_counts + size_t{h.n_refs} * 2);
  l.lex_counts = align8(l.lex_terms + size_t{h.n_lex} * 4);
  l.sigs = align8(l.lex_counts + size_t{h.n_lex} * 2);
  l.total = l.sigs + h.sig_bytes;
  return l;
}

Error invalid(const std::string& what) {
  return make_error("repo map cache is invalid (" + what + "); it will be rebuilt", ErrorKind::CacheInvalid);
}

}  // namespace

Result<TagTable> CacheCodec::decode(std::shared_ptr<const void> backing, const char* data, size_t size) {
  if (size < sizeof(Header)) return invalid("too short");
  Header h;
  std::memcpy(&h, data, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return invalid("bad magic");
  if (h.version != kVersion) return invalid("version " + std::to_string(h.version));
  if (h.total_size != size || h.name_bytes > size || h.sig_bytes > size) return invalid("size mismatch");
  Layout l = layout_for(h);
  if (l.total != size) return invalid("section sizes");

  TagTable t;
  t.backing_ = std::move(backing);
  t.generation_ = h.generation;
  const auto* offsets = reinterpret_cast<const uint32_t*>(data + l.name_offsets);
  const char* text = data + l.name_text;
  t.names_.resize(h.n_names);
  if (offsets[0] != 0 || offsets[h.n_names] != h.name_bytes) return invalid("name table");
  for (uint32_t i = 0; i < h.n_names; ++i) {
    if (offsets[i + 1] < offsets[i]) return invalid("name offsets");
    t.names_[i] = std::string_view(text + offsets[i], offsets[i + 1] - offsets[i]);
  }
  const auto* blobs = reinterpret_cast<const BlobRec*>(data + l.blobs);
  const auto* defs = reinterpret_cast<const DefRec*>(data + l.defs);
  const auto* ref_names = reinterpret_cast<const uint32_t*>(data + l.ref_names);
  const auto* ref_counts = reinterpret_cast<const uint16_t*>(data + l.ref_counts);
  const auto* lex_terms = reinterpret_cast<const uint32_t*>(data + l.lex_terms);
  const auto* lex_counts = reinterpret_cast<const uint16_t*>(data + l.lex_counts);
  for (uint32_t i = 0; i < h.n_blobs; ++i) {
    const BlobRec& b = blobs[i];
    if (size_t{b.def_begin} + b.def_count > h.n_defs || size_t{b.ref_begin} + b.ref_count > h.n_refs ||
        size_t{b.lex_begin} + b.lex_count > h.n_lex)
      return invalid("blob ranges");
    if (i > 0 && !(blobs[i - 1].oid < b.oid || (blobs[i - 1].oid == b.oid && blobs[i - 1].source < b.source)))
      return invalid("blob order");
  }
  for (uint32_t i = 0; i < h.n_defs; ++i) {
    const DefRec& d = defs[i];
    if (d.name >= h.n_names || size_t{d.sig_off} + d.sig_len > h.sig_bytes) return invalid("definitions");
  }
  for (uint32_t i = 0; i < h.n_refs; ++i)
    if (ref_names[i] >= h.n_names) return invalid("references");

  t.blobs_.attach(blobs, h.n_blobs);
  t.sorted_blobs_ = h.n_blobs;
  t.defs_.attach(defs, h.n_defs);
  t.ref_names_.attach(ref_names, h.n_refs);
  t.ref_counts_.attach(ref_counts, h.n_refs);
  t.lex_terms_.attach(lex_terms, h.n_lex);
  t.lex_counts_.attach(lex_counts, h.n_lex);
  t.sigs_.attach(data + l.sigs, h.sig_bytes);
  return t;
}

std::string CacheCodec::encode(const TagTable& t, const std::vector<uint32_t>& keep_in, uint64_t generation) {
  // Sorted, one blob per key.
  std::vector<uint32_t> keep = keep_in;
  auto key_less = [&](uint32_t a, uint32_t b) {
    const BlobRec& x = t.blobs_[a];
    const BlobRec& y = t.blobs_[b];
    if (x.oid != y.oid) return x.oid < y.oid;
    return x.source < y.source;
  };
  std::sort(keep.begin(), keep.end(), key_less);
  keep.erase(std::unique(keep.begin(), keep.end(),
                         [&](uint32_t a, uint32_t b) { return !key_less(a, b) && !key_less(b, a); }),
             keep.end());

  // Renumber the names the kept blobs use, in order of first use.
  constexpr uint32_t kUnset = UINT32_MAX;
  std::vector<uint32_t> remap(t.names_.size(), kUnset);
  std::vector<uint32_t> used;
  auto map_name = [&](uint32_t id) {
    if (remap[id] == kUnset) {
      remap[id] = static_cast<uint32_t>(used.size());
      used.push_back(id);
    }
    return remap[id];
  };
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.generation = generation;
  h.n_blobs = static_cast<uint32_t>(keep.size());
  for (uint32_t b : keep) {
    h.n_defs += t.blobs_[b].def_count;
    h.n_refs += t.blobs_[b].ref_count;
    h.n_lex += t.blobs_[b].lex_count;
    for (uint32_t i = 0; i < t.blobs_[b].def_count; ++i)
      h.sig_bytes += t.defs_[t.blobs_[b].def_begin + i].sig_len;
  }
  std::vector<BlobRec> blobs;
  std::vector<DefRec> defs;
  std::vector<uint32_t> ref_names;
  std::vector<uint16_t> ref_counts;
  std::vector<uint32_t> lex_terms;
  std::vector<uint16_t> lex_counts;
  std::string sigs;
  blobs.reserve(keep.size());
  defs.reserve(h.n_defs);
  ref_names.reserve(h.n_refs);
  ref_counts.reserve(h.n_refs);
  lex_terms.reserve(h.n_lex);
  lex_counts.reserve(h.n_lex);
  sigs.reserve(h.sig_bytes);
  for (uint32_t b : keep) {
    BlobRec r = t.blobs_[b];
    uint32_t def_begin = static_cast<uint32_t>(defs.size());
    for (uint32_t i = 0; i < r.def_count; ++i) {
      DefRec d = t.defs_[r.def_begin + i];
      std::string_view sig = t.signature(d);
      d.name = map_name(d.name);
      d.sig_off = static_cast<uint32_t>(sigs.size());
      sigs.append(sig);
      defs.push_back(d);
    }
    uint32_t ref_begin = static_cast<uint32_t>(ref_names.size());
    for (uint32_t i = 0; i < r.ref_count; ++i) {
      ref_names.push_back(map_name(t.ref_names_[r.ref_begin + i]));
      ref_counts.push_back(t.ref_counts_[r.ref_begin + i]);
    }
    uint32_t lex_begin = static_cast<uint32_t>(lex_terms.size());
    lex_terms.insert(lex_terms.end(), t.lex_terms_.data() + r.lex_begin,
                     t.lex_terms_.data() + r.lex_begin + r.lex_count);
    lex_counts.insert(lex_counts.end(), t.lex_counts_.data() + r.lex_begin,
                      t.lex_counts_.data() + r.lex_begin + r.lex_count);
    r.def_begin = def_begin;
    r.ref_begin = ref_begin;
    r.lex_begin = lex_begin;
    blobs.push_back(r);
  }
  h.n_names = static_cast<uint32_t>(used.size());
  std::vector<uint32_t> offsets(used.size() + 1, 0);
  for (size_t i = 0; i < used.size(); ++i)
    offsets[i + 1] = offsets[i] + static_cast<uint32_t>(t.names_[used[i]].size());
  h.name_bytes = offsets.back();
  Layout l = layout_for(h);
  h.total_size = l.total;

  std::string out(l.total, '\0');
  std::memcpy(out.data(), &h, sizeof h);
  std::memcpy(out.data() + l.name_offsets, offsets.data(), offsets.size() * 4);
  char* text = out.data() + l.name_text;
  for (size_t i = 0; i < used.size(); ++i) {
    std::string_view n = t.names_[used[i]];
    std::memcpy(text + offsets[i], n.data(), n.size());
  }
  if (!blobs.empty()) std::memcpy(out.data() + l.blobs, blobs.data(), blobs.size() * sizeof(BlobRec));
  if (!defs.empty()) std::memcpy(out.data() + l.defs, defs.data(), defs.size() * sizeof(DefRec));
  if (!ref_names.empty()) {
    std::memcpy(out.data() + l.ref_names, ref_names.data(), ref_names.size() * 4);
    std::memcpy(out.data() + l.ref_counts, ref_counts.data(), ref_counts.size() * 2);
  }
  if (!lex_terms.empty()) {
    std::memcpy(out.data() + l.lex_terms, lex_terms.data(), lex_terms.size() * 4);
    std::memcpy(out.data() + l.lex_counts, lex_counts.data(), lex_counts.size() * 2);
  }
  if (!sigs.empty()) std::memcpy(out.data() + l.sigs, sigs.data(), sigs.size());
  return out;
}

Result<TagTable> load_cache(const std::string& path) {
  auto m = map_file(path);
  if (!m) {
    if (m.error().is(ErrorKind::CacheInvalid)) return invalid(m.error().message);
    return make_error("repo map cache: " + m.error().message, m.error().kind);
  }
  return CacheCodec::decode(std::move(m->backing), m->data, m->size);
}

Result<uint64_t> save_cache(const TagTable& table, const std::vector<uint32_t>& keep,
                            const std::string& path) {
  uint64_t generation = (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}() ^
                        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  if (generation == 0) generation = 1;
  std::string bytes = CacheCodec::encode(table, keep, generation);
  std::error_code ec;
  std::filesystem::path target(path);
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec)
    return make_error("cannot create " + target.parent_path().string() + ": " + ec.message(),
                      ErrorKind::CacheIo);

  Status st = write_file_atomic(path, bytes, 0644);
  if (!st) return make_error(st.error().message, ErrorKind::CacheIo);
  return generation;
}

}  // namespace ds::repomap
