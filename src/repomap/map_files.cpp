// build_map's file passes: which files the cache covers (index stat data,
// else content hash) and extraction of the rest, in parallel batches.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/file_io.hpp"
#include "repomap/ctags.hpp"
#include "repomap/map_internal.hpp"
#include "repomap/parallel.hpp"
#include "text/utf8.hpp"

namespace ds::repomap::detail {

namespace {

// Whether git's recorded stat data (size, mtime, ctime, as `git status`
// checks them) still describes the worktree file, so the index's blob id is
// the file's content id. Entries written in the same
// instant as the index are "racy" (a later write may keep size and mtime)
// and are never trusted.
bool index_describes(const IndexFile& f, const struct stat& st, const RepoFiles& repo) {
  if (static_cast<uint32_t>(st.st_size) != static_cast<uint32_t>(f.size)) return false;
  if (st.st_mtim.tv_sec != f.mtime_s) return false;
  if (f.mtime_ns != 0 && static_cast<uint32_t>(st.st_mtim.tv_nsec) != f.mtime_ns) return false;
  if (st.st_ctim.tv_sec != f.ctime_s) return false;
  if (f.ctime_ns != 0 && static_cast<uint32_t>(st.st_ctim.tv_nsec) != f.ctime_ns) return false;
  if (f.mtime_s > repo.index_mtime_s) return false;
  if (f.mtime_s == repo.index_mtime_s &&
      (f.mtime_ns == 0 || repo.index_mtime_ns == 0 || f.mtime_ns >= repo.index_mtime_ns))
    return false;
  return true;
}

// A tracked file's bytes; false (skip it) when it cannot be read or is
// larger than the map reads. (Only files the stat pass found regular get
// here.)
bool read_file(const std::string& path, std::string& out) {
  auto bytes = read_whole_file(path, kMaxFileBytes);
  if (!bytes) return false;
  out = std::move(*bytes);
  return true;
}

// Definitions from ctags for `content`, references from the built-in scanner.
FileSymbols symbols_with_ctags(Language lang, std::string_view content, const std::vector<CtagsDef>* defs) {
  FileSymbols syms = extract_symbols(lang, content);
  syms.defs.clear();
  if (defs == nullptr) return syms;
  std::vector<size_t> line_begin{0};
  for (size_t i = 0; i < content.size(); ++i)
    if (content[i] == '\n') line_begin.push_back(i + 1);
  for (const CtagsDef& d : *defs) {
    if (d.line == 0 || d.line > line_begin.size()) continue;
    Definition def;
    def.name = d.name;
    def.line = d.line;
    def.kind = d.kind;
    def.depth = d.depth;
    def.signature = signature_at(content, line_begin[d.line - 1]);
    syms.defs.push_back(def);
  }
  return syms;
}

// Parsing holds every new blob's strings until they are interned; batches
// bound that memory on a cold run.
constexpr size_t kBatch = 8192;

}  // namespace

std::vector<Work> collect_work(const RepoFiles& repo, bool ctags) {
  std::vector<Work> work;
  work.reserve(repo.files.size());
  for (uint32_t i = 0; i < repo.files.size(); ++i) {
    const IndexFile& f = repo.files[i];
    Language lang = language_for_path(f.path);
    if (lang == Language::kUnknown && !ctags) continue;
    Work w;
    w.file = i;
    w.lang = lang;
    w.oid = f.oid;
    work.push_back(w);
  }
  return work;
}

void check_worktree(std::vector<Work>& work, const RepoFiles& repo, const TagTable& table, Extractor source,
                    unsigned threads) {
  // Index order keeps a directory's files together: stat them relative to
  // an open directory handle rather than walking the whole path each time.
  // Chunks are large so that each worker reopens directories rarely.
  const size_t chunk = 1024;
  const size_t nchunks = (work.size() + chunk - 1) / chunk;
  parallel_for(nchunks, threads, 1, [&](size_t c) {
    std::string dir_path;
    int dir_fd = -1;
    for (size_t k = c * chunk; k < std::min(work.size(), (c + 1) * chunk); ++k) {
      Work& w = work[k];
      const IndexFile& f = repo.files[w.file];
      size_t slash = f.path.rfind('/');
      std::string_view dir =
          slash == std::string::npos ? std::string_view() : std::string_view(f.path).substr(0, slash);
      if (dir_fd < 0 || dir != dir_path) {
        if (dir_fd >= 0) ::close(dir_fd);
        dir_path.assign(dir);
        dir_fd = ::open((repo.workdir + dir_path).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
      }
      struct stat s {};
      const char* base = f.path.c_str() + (slash == std::string::npos ? 0 : slash + 1);
      if (dir_fd < 0 || ::fstatat(dir_fd, base, &s, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(s.st_mode) ||
          static_cast<size_t>(s.st_size) > kMaxFileBytes) {
        w.state = State::kSkip;
        continue;
      }
      if (index_describes(f, s, repo)) {
        w.blob = table.find(w.oid, source);
        w.state = w.blob >= 0 ? State::kCached : State::kRead;
      } else {
        w.hash = true;
        w.state = State::kRead;
      }
    }
    if (dir_fd >= 0) ::close(dir_fd);
  });
}

void extract_missing(std::vector<Work>& work, const RepoFiles& repo, TagTable& table, Extractor source,
                     bool ctags, unsigned threads, MapStats& st) {
  const bool ctags_mode = ctags;  // hashing was counted in the ctags pre-pass
  std::vector<size_t> to_read;
  for (size_t k = 0; k < work.size(); ++k)
    if (work[k].state == State::kRead) to_read.push_back(k);
  if (ctags) {
    // ctags reads files itself, so first settle by content hash which files
    // really need it (after a checkout or a touch, usually none).
    parallel_for(to_read.size(), threads, 16, [&](size_t j) {
      thread_local std::string content;
      Work& w = work[to_read[j]];
      if (!w.hash) return;
      if (!read_file(repo.workdir + repo.files[w.file].path, content)) {
        w.state = State::kSkip;
        return;
      }
      w.oid = hash_blob(content);
      w.hashed = true;
      w.hash = false;
      w.blob = table.find(w.oid, source);
      if (w.blob >= 0) w.state = State::kCached;
    });
    std::vector<size_t> still;
    for (size_t k : to_read) {
      if (work[k].hashed) ++st.files_hashed;
      if (work[k].state == State::kRead) still.push_back(k);
    }
    to_read.swap(still);
  }
  CtagsDefs ctags_defs;
  if (ctags && !to_read.empty() && !ctags_available()) {
    // Not Universal Ctags with JSON: extract with the built-in scanner and
    // key those blobs as such (they are retried with ctags next time).
    st.note += "ctags on PATH is not Universal Ctags with JSON output, used the built-in extractor; ";
    st.used_ctags = false;
    ctags = false;
    source = Extractor::kBuiltin;
  }
  if (ctags && !to_read.empty()) {
    std::vector<std::string> paths;
    paths.reserve(to_read.size());
    for (size_t k : to_read) paths.push_back(repo.files[work[k].file].path);
    auto r = run_ctags(repo.workdir, paths, threads);
    if (r)
      ctags_defs = std::move(*r);
    else
      st.note += r.error().message + "; ";
  }
  for (size_t batch = 0; batch < to_read.size(); batch += kBatch) {
    const size_t n = std::min(kBatch, to_read.size() - batch);
    std::vector<ParsedBlob> parsed(n);
    std::vector<uint8_t> has_parsed(n, 0);
    parallel_for(n, threads, 16, [&](size_t j) {
      thread_local std::string content;
      Work& w = work[to_read[batch + j]];
      const IndexFile& f = repo.files[w.file];
      if (!read_file(repo.workdir + f.path, content)) {
        w.state = State::kSkip;
        return;
      }
      if (w.hash) {
        w.oid = hash_blob(content);
        w.hashed = true;
        w.blob = table.find(w.oid, source);  // read-only while workers run
        if (w.blob >= 0) {
          w.state = State::kCached;
          return;
        }
      }
      if (text::looks_binary(content)) {
        parsed[j].oid = w.oid;
        parsed[j].source = source;
        parsed[j].lang = w.lang;
        parsed[j].flags = kBlobBinary;
      } else if (ctags) {
        auto it = ctags_defs.find(f.path);
        parsed[j] = make_parsed_blob(
            w.oid, source, w.lang,
            symbols_with_ctags(w.lang, content, it == ctags_defs.end() ? nullptr : &it->second), content);
      } else {
        parsed[j] = make_parsed_blob(w.oid, source, w.lang, extract_symbols(w.lang, content), content);
      }
      has_parsed[j] = 1;
    });
    for (size_t j = 0; j < n; ++j) {
      Work& w = work[to_read[batch + j]];
      if (w.hashed && !ctags_mode) ++st.files_hashed;
      if (!has_parsed[j]) continue;
      w.blob = table.add(parsed[j]);
      w.state = State::kCached;
      ++st.files_parsed;
    }
  }
}

}  // namespace ds::repomap::detail
