// Big and binary files in checkpoints, restores and diffs (issue 21): a
// file of hundreds of MB is streamed into and out of the object database
// (the memory of a checkpoint does not grow with it), undo puts a big file
// back byte for byte, and diffs name binary files and files over the size
// limit with their size instead of showing them.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>

#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "support/git_repo.hpp"

using namespace ds::git;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

namespace {

long rss_now_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

// Runs `work` in a forked child (which must succeed) and returns how far
// the child's peak resident memory rose above the parent's at the fork
// (negative when the child never touched all it inherited).
long child_growth_kb(const std::function<bool()>& work) {
  long at_fork = rss_now_kb();
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(work() ? 0 : 1);
  int status = 0;
  struct rusage usage {};
  REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
  INFO("the forked child failed");
  REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  return usage.ru_maxrss - at_fork;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("checkpoint streams a 512 MB file into the object database: memory does not grow with it") {
  TempRepo repo;
  repo.write("a.txt", "hello\n");
  repo.commit_all("base");
  repo.sh("truncate -s 512M big.bin");

  std::string commit;
  long growth = child_growth_kb([&] {
    auto r = Repository::open(repo.root);
    return r.ok() && checkpoint(*r, "refs/diffsmith/big", "snap").ok();
  });
  INFO("the checkpoint's peak memory rose by " << growth << " KiB");
  CHECK(growth < 64 * 1024);  // reading it whole took 512 MB and more
  // The checkpoint holds the file, byte for byte.
  CHECK(trimmed(repo.git("cat-file -s refs/diffsmith/big:big.bin")) == "536870912");
  CHECK(trimmed(repo.git("rev-parse refs/diffsmith/big:big.bin")) ==
        trimmed(repo.git("hash-object big.bin")));
}

TEST_CASE("checkpoint blobs are git's, around 1 MiB and after same-size rewrites") {
  TempRepo repo;
  repo.write("a.txt", "hello\n");
  repo.commit_all("base");
  auto r = open_repo(repo);
  auto blob_of = [&](const std::string& path) {
    auto c = checkpoint(r, "refs/diffsmith/ids", "snap");
    REQUIRE(c.ok());
    return trimmed(repo.git("rev-parse " + *c + ":" + path));
  };
  for (size_t size : {size_t{1 << 20} - 1, size_t{1 << 20}, size_t{3 << 20}}) {
    std::string data(size, 'a');
    for (size_t i = 0; i < size; i += 4093) data[i] = static_cast<char>('a' + i % 26);
    repo.write("f.dat", data);
    INFO("size " << size);
    CHECK(blob_of("f.dat") == trimmed(repo.git("hash-object f.dat")));
  }
  // Rewritten at once with other bytes of the same size: a new blob, never
  // the one stored a moment ago (its times may not have moved).
  repo.write("f.dat", std::string(3 << 20, 'b'));
  CHECK(blob_of("f.dat") == trimmed(repo.git("hash-object f.dat")));
  // A file last written long ago and stored is not read again, but one
  // rewritten since is, even with its old mtime put back (its ctime moved).
  repo.sh("touch -d '1 hour ago' f.dat");
  CHECK(blob_of("f.dat") == trimmed(repo.git("hash-object f.dat")));
  std::string settled = blob_of("f.dat");
  repo.write("f.dat", std::string(3 << 20, 'c'));
  repo.sh("touch -d '1 hour ago' f.dat");
  std::string rewritten = blob_of("f.dat");
  CHECK(rewritten != settled);
  CHECK(rewritten == trimmed(repo.git("hash-object f.dat")));
}

TEST_CASE("restore puts back a big tracked file a command changed and removes a big file it made") {
  TempRepo repo;
  repo.sh("truncate -s 64M big.dat && printf 'text\\n' > a.txt");
  repo.commit_all("base");
  auto r = open_repo(repo);
  auto start = checkpoint(r, "refs/diffsmith/undo", "start");
  REQUIRE(start.ok());
  std::string want = trimmed(repo.git("hash-object big.dat"));
  repo.sh("printf x | dd of=big.dat bs=1 seek=5000000 conv=notrunc 2>/dev/null && truncate -s 200M new.bin");
  auto now = checkpoint(r, "refs/diffsmith/undo", "after the command");
  REQUIRE(now.ok());
  REQUIRE(trimmed(repo.git("hash-object big.dat")) != want);

  long growth = child_growth_kb([&] {
    auto child = Repository::open(repo.root);
    return child.ok() && restore_worktree(*child, *now, *start).ok();
  });
  INFO("the restore's peak memory rose by " << growth << " KiB");
  CHECK(growth < 64 * 1024);
  CHECK(trimmed(repo.git("hash-object big.dat")) == want);
  CHECK_FALSE(repo.exists("new.bin"));
  CHECK(repo.git("status --porcelain").empty());
}

TEST_CASE(
    "diff_for_display names binary files and files over the limit with their sizes, never their bytes") {
  TempRepo repo;
  repo.write("a.txt", "old\n");
  repo.write("gone.bin", std::string("\x89PNG\0\0\0", 7));
  repo.commit_all("base");
  auto r = open_repo(repo);
  auto start = checkpoint(r, "refs/diffsmith/show", "start");
  REQUIRE(start.ok());
  repo.write("a.txt", "new\n");
  repo.sh("rm gone.bin && printf 'ab\\0cd' > x.bin && truncate -s 50M zeros.bin");
  repo.write("big.txt", std::string(4000, 'y') + "\n");
  auto end = checkpoint(r, "refs/diffsmith/show", "end");
  REQUIRE(end.ok());

  auto d = diff_for_display(r, *start, *end, 1024);
  REQUIRE(d.ok());
  INFO(d->text);
  CHECK(d->shown == std::vector<std::string>{"a.txt"});
  CHECK(d->text.find("-old\n+new\n") != std::string::npos);
  CHECK(d->text.find(
            "# diffsmith: big.txt: over the 1 KiB size limit for diffs, new file, 4001 bytes (3.9 KiB); "
            "not shown\n") != std::string::npos);
  CHECK(d->text.find("# diffsmith: gone.bin: binary, deleted, was 7 bytes; not shown\n") !=
        std::string::npos);
  CHECK(d->text.find("# diffsmith: x.bin: binary, new file, 5 bytes; not shown\n") != std::string::npos);
  // A big file whose first bytes are NULs is binary (only those were read).
  CHECK(d->text.find("# diffsmith: zeros.bin: binary, new file, 52428800 bytes (50 MiB); not shown\n") !=
        std::string::npos);
  CHECK(d->text.find("yyyy") == std::string::npos);
  CHECK(d->text.find('\0') == std::string::npos);
  CHECK(d->text.rfind("# diffsmith:", 0) == 0);  // the notes come first
  CHECK(d->text.find("# diffsmith:", d->text.find("diff --git")) == std::string::npos);
  CHECK(d->omitted.size() == 4);
}

TEST_CASE("patch_of_paths leaves binary and big files out with a note, and the patch still applies") {
  TempRepo repo;
  repo.write("a.txt", "one\ntwo\n");
  repo.commit_all("base");
  auto r = open_repo(repo);
  auto start = checkpoint(r, "refs/diffsmith/patch", "start");
  REQUIRE(start.ok());
  repo.write("a.txt", "one\n2\n");
  repo.sh("truncate -s 20M big.bin && printf 'a\\0b' > small.bin");
  auto end = checkpoint(r, "refs/diffsmith/patch", "end");
  REQUIRE(end.ok());

  auto p = patch_of_paths(r, *start, *end, {"a.txt", "big.bin", "small.bin", "unchanged-and-absent.txt"},
                          ds::diff::kDefaultMaxDiffFileSize);
  REQUIRE(p.ok());
  INFO(p->text);
  CHECK(p->shown == std::vector<std::string>{"a.txt"});
  CHECK(p->text.rfind(
            "# diffsmith: big.bin: binary, new file, 20971520 bytes (20 MiB); left out of this patch\n"
            "# diffsmith: small.bin: binary, new file, 3 bytes; left out of this patch\n"
            "diff --git a/a.txt b/a.txt\n",
            0) == 0);
  REQUIRE(p->omitted.size() == 2);
  CHECK(p->omitted[0].sizes.after == 20971520u);

  // Both git and GNU patch skip the notes and apply the rest.
  repo.sh("git stash -u -q");
  repo.write(".git/change.patch", p->text);
  repo.sh("git apply --check .git/change.patch && patch -p1 --dry-run < .git/change.patch");
}
