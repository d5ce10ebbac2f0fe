// Retrieval figures of the repo map for one task on one checkout: for each
// token budget, the files the map lists (the "files most likely to matter"
// first, then each file of the symbols in order) and the position of the
// first file the real fix changed; and the same for plain BM25 over file
// contents (whole words, lower-cased, no stop words) listing as many files.
// bench/map_recall.py runs it over many commits and makes the table.
//
//   bench_repomap_recall DIR TASK_FILE ANSWER_PATH...
//
// Prints one JSON object: {"budgets":[{"tokens":N,"listed":N,"rank":R,
// "bm25_rank":R},...],"bm25_rank":R,"files":N} where a rank is 1-based and
// 0 means not listed (for bm25_rank at a budget: not within the same number
// of files; the top-level bm25_rank is over all files). The map runs
// without the cache (the checkout's git dir is left alone).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "repomap/language.hpp"
#include "repomap/map.hpp"
#include "repomap/repo_files.hpp"

using namespace ds::repomap;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

template <class Fn>
void words(const std::string& text, Fn&& fn) {
  size_t i = 0;
  while (i < text.size()) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < text.size() && word_char(text[i])) ++i;
    std::string w = text.substr(b, i - b);
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    fn(w);
  }
}

// Files in map order: the top list, then the symbols' files.
std::vector<std::string> listed_files(const std::string& map) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::istringstream in(map);
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (line == "Files most likely to matter:") {
      header = true;
      continue;
    }
    if (header) {
      if (line.empty()) {
        header = false;
        continue;
      }
      std::string path = line.substr(
          2, line.find(" (", 2) == std::string::npos ? std::string::npos : line.find(" (", 2) - 2);
      if (seen.insert(path).second) out.push_back(path);
      continue;
    }
    if (!line.empty() && line[0] != ' ' && line.back() == ':') {
      std::string path = line.substr(0, line.size() - 1);
      if (seen.insert(path).second) out.push_back(path);
    }
  }
  return out;
}

size_t first_rank(const std::vector<std::string>& listed, const std::unordered_set<std::string>& answer) {
  for (size_t i = 0; i < listed.size(); ++i)
    if (answer.count(listed[i])) return i + 1;
  return 0;
}

// Plain BM25 (k1 1.2, b 0.75) over the files the map considers.
std::vector<std::string> bm25_order(const std::string& dir, const std::string& task) {
  auto repo = list_repo_files(dir);
  if (!repo) return {};
  std::unordered_map<std::string, float> query;
  words(task, [&](const std::string& w) { query[w] += 1; });
  std::vector<std::string> paths;
  std::vector<std::unordered_map<std::string, float>> tfs;
  std::vector<float> lens;
  std::unordered_map<std::string, float> df;
  for (const IndexFile& f : repo->files) {
    if (language_for_path(f.path) == Language::kUnknown) continue;
    std::string content = slurp(repo->workdir + f.path);
    if (content.size() > kMaxFileBytes) continue;
    std::unordered_map<std::string, float> tf;
    float len = 0;
    words(content, [&](const std::string& w) {
      ++len;
      if (query.count(w)) tf[w] += 1;
    });
    for (const auto& [w, n] : tf) df[w] += 1;
    paths.push_back(f.path);
    tfs.push_back(std::move(tf));
    lens.push_back(len);
  }
  double avg = 0;
  for (float l : lens) avg += l;
  avg = std::max(1.0, avg / std::max<size_t>(1, lens.size()));
  const double n = static_cast<double>(paths.size());
  std::vector<std::pair<double, size_t>> scored;
  for (size_t i = 0; i < paths.size(); ++i) {
    double s = 0;
    for (const auto& [w, tf] : tfs[i]) {
      double idf = std::log(1 + (n - df[w] + 0.5) / (df[w] + 0.5));
      s += query[w] * idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * lens[i] / avg));
    }
    scored.emplace_back(-s, i);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [s, i] : scored) out.push_back(paths[i]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s DIR TASK_FILE ANSWER_PATH...\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string task = slurp(argv[2]);
  std::unordered_set<std::string> answer(argv + 3, argv + argc);
  std::vector<std::string> bm25 = bm25_order(dir, task);
  const size_t bm25_rank = first_rank(bm25, answer);
  std::string out = "{\"budgets\":[";
  const size_t budgets[] = {1024, 2048, 4096, 8192};
  double ms = 0;
  for (size_t k = 0; k < 4; ++k) {
    MapOptions opt;
    opt.max_tokens = budgets[k];
    opt.terms = {task};
    opt.use_cache = false;
    MapStats st;
    auto map = build_map(dir, opt, &st);
    if (!map) {
      std::fprintf(stderr, "build_map: %s\n", map.error().message.c_str());
      return 1;
    }
    ms += st.ms_total;
    std::vector<std::string> listed = listed_files(*map);
    size_t rank = first_rank(listed, answer);
    size_t b_rank = bm25_rank != 0 && bm25_rank <= listed.size() ? bm25_rank : 0;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s{\"tokens\":%zu,\"listed\":%zu,\"rank\":%zu,\"bm25_rank\":%zu}",
                  k ? "," : "", budgets[k], listed.size(), rank, b_rank);
    out += buf;
  }
  char tail[128];
  std::snprintf(tail, sizeof tail, "],\"bm25_rank\":%zu,\"files\":%zu,\"map_ms\":%.1f}", bm25_rank,
                bm25.size(), ms / 4);
  out += tail;
  std::puts(out.c_str());
  return 0;
}
