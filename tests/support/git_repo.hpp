// A real temporary git repository driven by the git CLI (TempRepo), opened
// with ds::git (open_repo), and small file helpers: for the git, tools and
// batch tests.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "git/repository.hpp"
#include "support/temp_dir.hpp"

namespace ds::git::testing {

inline std::string make_temp_dir() { return ds::test::make_temp_dir("ds-git-"); }

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Runs `cmd` with /bin/sh in `dir`; returns stdout. Fails the test on a
// non-zero exit unless `allow_fail`.
inline std::string shell(const std::string& dir, const std::string& cmd, bool allow_fail = false,
                         int* status_out = nullptr) {
  std::string full = "cd '" + dir + "' && { " + cmd + " ; } 2>&1";
  FILE* p = ::popen(full.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (status_out) *status_out = code;
  if (!allow_fail) {
    INFO("command: " << cmd << "\noutput: " << out);
    REQUIRE(code == 0);
  }
  return out;
}

// A fresh repository (git init) in a temporary folder, removed at the end.
struct TempRepo {
  std::string root;
  explicit TempRepo(bool init = true) : root(make_temp_dir()) {
    if (init) {
      git("init -q -b main");
      git("config user.name 'Test User'");
      git("config user.email test@example.com");
      git("config core.autocrlf false");
    }
  }
  ~TempRepo() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;

  std::string path(const std::string& rel) const { return root + "/" + rel; }
  std::string sh(const std::string& cmd) const { return shell(root, cmd); }
  std::string git(const std::string& args) const { return shell(root, "git " + args); }
  void write(const std::string& rel, const std::string& data) const { write_file(path(rel), data); }
  std::string read(const std::string& rel) const { return read_file(path(rel)); }
  bool exists(const std::string& rel) const {
    struct stat st;
    return ::lstat(path(rel).c_str(), &st) == 0;
  }
  mode_t mode(const std::string& rel) const {
    struct stat st;
    REQUIRE(::lstat(path(rel).c_str(), &st) == 0);
    return st.st_mode & 07777;
  }
  void commit_all(const std::string& message = "commit") const {
    git("add -A");
    git("commit -q -m '" + message + "'");
  }
  // Waits until the index's mtime has moved past the files' and refreshes
  // it, so no entry is "racy" (for tests that count what a cache reuses).
  void settle_index() const {
    ::usleep(20000);
    git("update-index --really-refresh");
  }
};

// The repository at repo.root, opened with ds::git (after the files are
// written and committed).
inline Repository open_repo(const std::string& dir) {
  auto r = Repository::open(dir);
  REQUIRE(r.ok());
  return std::move(r).value();
}
inline Repository open_repo(const TempRepo& repo) { return open_repo(repo.root); }

}  // namespace ds::git::testing
