// Graph construction (CSR arrays by counting sort) and the power iteration.
#include "repomap/graph.hpp"

#include <algorithm>
#include <barrier>
#include <cmath>
#include <numeric>
#include <thread>

namespace ds::repomap {

namespace {

// Long snake_case or camelCase names mean one thing; short plain words
// ("path", "data", "item") are also every other file's local variables, so
// a match on them says little about a dependency.
bool compound_name(std::string_view name) {
  if (name.size() < 8) return false;
  bool lower_seen = false;
  for (size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' && i + 1 < name.size()) return true;
    if (c >= 'a' && c <= 'z')
      lower_seen = true;
    else if (c >= 'A' && c <= 'Z' && lower_seen)
      return true;
  }
  return false;
}

}  // namespace

Graph build_graph(const TagTable& t, const std::vector<uint32_t>& blobs) {
  const uint32_t nfiles = static_cast<uint32_t>(blobs.size());
  const uint32_t nnames = static_cast<uint32_t>(t.name_count());
  Graph g;
  g.files = nfiles;
  g.names = nnames;

  // 1. Distinct defined names per file, and definer counts per name.
  struct NameInfo {
    uint32_t definers = 0;
    uint32_t last_file = UINT32_MAX;
    float factor = 0;  // weight multiplier for references to this name
  };
  std::vector<NameInfo> info(nnames);
  std::vector<uint32_t> file_def_begin(nfiles + 1, 0);
  std::vector<uint32_t> file_defs;
  for (uint32_t f = 0; f < nfiles; ++f) {
    const BlobRec& b = t.blob(blobs[f]);
    for (uint32_t i = 0; i < b.def_count; ++i) {
      const DefRec& d = t.def(b.def_begin + i);
      NameInfo& n = info[d.name];
      if (d.kind == DefKind::kImpl || n.last_file == f) continue;
      n.last_file = f;
      ++n.definers;
      file_defs.push_back(d.name);
    }
    file_def_begin[f + 1] = static_cast<uint32_t>(file_defs.size());
  }
  std::vector<uint32_t> definers(nnames);
  for (uint32_t x = 0; x < nnames; ++x) {
    NameInfo& n = info[x];
    definers[x] = n.definers;
    if (n.definers == 0) continue;
    std::string_view name = t.name(x);
    n.factor = 1.0f;
    if (compound_name(name)) n.factor *= 10.0f;                             // parse_config, SessionStore
    if (!name.empty() && name[0] == '_') n.factor *= 0.1f;                  // private by convention
    if (n.definers > 5) n.factor *= 5.0f / static_cast<float>(n.definers);  // get, run, init, ...
  }

  // 2. Weights of references to names defined elsewhere: sqrt of the count,
  // times the name's factor, times an inverse document frequency so names
  // nearly every file mentions (str, print, value) do not drown the rest.
  auto linked = [&](uint32_t f, const NameInfo& n) {
    return n.definers > 1 || (n.definers == 1 && n.last_file != f);
  };
  std::vector<uint32_t> in_begin(nnames + 1, 0);  // first the number of referring files
  for (uint32_t f = 0; f < nfiles; ++f) {
    const BlobRec& b = t.blob(blobs[f]);
    for (uint32_t i = 0; i < b.ref_count; ++i) {
      uint32_t x = t.ref_name(b.ref_begin + i);
      if (linked(f, info[x])) ++in_begin[x + 1];
    }
  }
  for (uint32_t x = 0; x < nnames; ++x)
    if (in_begin[x + 1] > 0)
      info[x].factor *= static_cast<float>(std::log(1.0 + static_cast<double>(nfiles) / in_begin[x + 1]));
  // Names nobody else references bring their definers nothing: drop them
  // from the per-file lists the rank loop walks.
  {
    size_t out = 0;
    uint32_t begin = 0;
    for (uint32_t f = 0; f < nfiles; ++f) {
      uint32_t end = file_def_begin[f + 1];
      for (uint32_t k = begin; k < end; ++k)
        if (in_begin[file_defs[k] + 1] > 0) file_defs[out++] = file_defs[k];
      begin = end;
      file_def_begin[f + 1] = static_cast<uint32_t>(out);
    }
    file_defs.resize(out);
  }
  std::vector<float> ref_weight;
  std::vector<uint8_t> dangling(nfiles, 1);
  std::vector<float> out_total(nfiles, 0);
  for (uint32_t f = 0; f < nfiles; ++f) {
    const BlobRec& b = t.blob(blobs[f]);
    float total = 0;
    for (uint32_t i = 0; i < b.ref_count; ++i) {
      uint32_t x = t.ref_name(b.ref_begin + i);
      const NameInfo& n = info[x];
      float w = linked(f, n) ? std::sqrt(static_cast<float>(t.ref_count(b.ref_begin + i))) * n.factor : 0.0f;
      ref_weight.push_back(w);
      total += w;
    }
    out_total[f] = total;
    if (total > 0) dangling[f] = 0;
  }
  std::partial_sum(in_begin.begin(), in_begin.end(), in_begin.begin());

  // 3. Incoming (file, normalised weight) lists per name.
  const size_t nedges = in_begin[nnames];
  std::vector<uint32_t> edge_file(nedges);
  std::vector<float> edge_weight(nedges);
  std::vector<uint32_t> fill(in_begin.begin(), in_begin.end() - 1);
  size_t k = 0;
  for (uint32_t f = 0; f < nfiles; ++f) {
    const BlobRec& b = t.blob(blobs[f]);
    for (uint32_t i = 0; i < b.ref_count; ++i, ++k) {
      float w = ref_weight[k];
      if (w <= 0) continue;
      uint32_t slot = fill[t.ref_name(b.ref_begin + i)]++;
      edge_file[slot] = f;
      edge_weight[slot] = w / out_total[f];
    }
  }

  g.file_def_begin.adopt(std::move(file_def_begin));
  g.file_defs.adopt(std::move(file_defs));
  g.definers.adopt(std::move(definers));
  g.in_begin.adopt(std::move(in_begin));
  g.edge_file.adopt(std::move(edge_file));
  g.edge_weight.adopt(std::move(edge_weight));
  g.dangling.adopt(std::move(dangling));
  return g;
}

RankResult rank_graph(const Graph& g, const std::vector<double>& personalization, unsigned threads) {
  const size_t nfiles = g.files;
  const size_t nnames = g.names;
  RankResult out;
  out.name_inflow.assign(nnames, 0.0f);
  if (nfiles == 0) return out;

  std::vector<double> v(nfiles, 1.0 / static_cast<double>(nfiles));
  double vsum = 0;
  for (double p : personalization) vsum += p;
  if (vsum > 0 && personalization.size() == nfiles)
    for (size_t f = 0; f < nfiles; ++f) v[f] = personalization[f] / vsum;

  // Power iteration: rank -> names (pull over incoming edges) -> definers.
  // Each thread owns a slice of names and a slice of files, cut so the
  // slices carry equal work; threads meet at a barrier between phases.
  const unsigned nthreads = static_cast<unsigned>(std::clamp<size_t>(threads, 1, nfiles < 4096 ? 1 : 16));
  std::vector<size_t> name_cut(nthreads + 1, nnames), file_cut(nthreads + 1, nfiles);
  name_cut[0] = file_cut[0] = 0;
  for (unsigned t = 1; t < nthreads; ++t) {
    uint64_t edge_target = uint64_t{g.in_begin[nnames]} * t / nthreads;
    name_cut[t] = static_cast<size_t>(
        std::lower_bound(g.in_begin.data(), g.in_begin.data() + nnames, edge_target) - g.in_begin.data());
    uint64_t def_target = uint64_t{g.file_def_begin[nfiles]} * t / nthreads;
    file_cut[t] = static_cast<size_t>(
        std::lower_bound(g.file_def_begin.data(), g.file_def_begin.data() + nfiles, def_target) -
        g.file_def_begin.data());
  }
  std::vector<double> r = v;
  std::vector<double> next(nfiles);
  std::vector<float>& mass = out.name_inflow;
  double dangling = 0;
  bool done = false;
  auto dangling_mass = [&] {
    double d = 0;
    for (size_t f = 0; f < nfiles; ++f)
      if (g.dangling[f]) d += r[f];
    return d;
  };
  dangling = dangling_mass();
  std::barrier sync(static_cast<std::ptrdiff_t>(nthreads));
  auto work = [&](unsigned t) {
    for (int it = 0; it < kMaxIterations; ++it) {
      for (size_t x = name_cut[t]; x < name_cut[t + 1]; ++x) {
        uint32_t b = g.in_begin[x], e = g.in_begin[x + 1];
        if (b == e) continue;
        double m = 0;
        for (uint32_t k = b; k < e; ++k) m += r[g.edge_file[k]] * g.edge_weight[k];
        mass[x] = static_cast<float>(m / g.definers[x]);
      }
      sync.arrive_and_wait();
      for (size_t f = file_cut[t]; f < file_cut[t + 1]; ++f) {
        double s = 0;
        for (uint32_t k = g.file_def_begin[f]; k < g.file_def_begin[f + 1]; ++k) s += mass[g.file_defs[k]];
        next[f] = (1 - kDamping) * v[f] + kDamping * (s + dangling * v[f]);
      }
      sync.arrive_and_wait();
      if (t == 0) {
        double total = std::accumulate(next.begin(), next.end(), 0.0);
        double diff = 0;
        for (size_t f = 0; f < nfiles; ++f) {
          next[f] /= total;  // float rounding leaks a little mass
          diff += std::fabs(next[f] - r[f]);
        }
        r.swap(next);
        dangling = dangling_mass();
        out.iterations = it + 1;
        done = diff < kTolerance;
      }
      sync.arrive_and_wait();
      if (done) return;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < nthreads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  out.file_rank = std::move(r);
  return out;
}

}  // namespace ds::repomap
