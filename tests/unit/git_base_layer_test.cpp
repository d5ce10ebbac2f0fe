// git::base_layer (the reproduction's base tree as an overlay over the work
// tree): the work tree with the listed paths removed and the layer laid over
// it, as overlayfs stacks them (a layer's file hides what is below, its
// folders merge), is the commit's tree byte for byte, modes and links
// included, compared with what git itself exports (`git archive | tar -x`);
// and the trees it cannot show exactly are refused. The stacking is done
// here with file copies: the kernel's overlay is exercised through the
// binary in agent_run_repro_overlay_test.cpp.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "git/export_overlay.hpp"
#include "git/repository.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using ds::test::TempDir;
using git::testing::shell;
using git::testing::TempRepo;

namespace {

namespace fs = std::filesystem;

// Every file, link and folder below `root` (not .git): bytes or link target, and mode.
std::map<std::string, std::string> listing(const std::string& root) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = fs::relative(it->path(), root).string();
    if (rel == ".git" || rel.starts_with(".git/")) {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st;
    REQUIRE(::lstat(it->path().c_str(), &st) == 0);
    if (S_ISLNK(st.st_mode))
      out[rel] = "link " + fs::read_symlink(it->path()).string();
    else if (S_ISDIR(st.st_mode))
      out[rel] = "dir";
    else
      out[rel] = std::string((st.st_mode & S_IXUSR) ? "exec " : "file ") +
                 git::testing::read_file(it->path().string());
  }
  return out;
}

// The layer stacked over a copy of the work tree as overlayfs does it.
void stack(const std::string& layer, const std::string& dest) {
  for (auto it = fs::recursive_directory_iterator(layer); it != fs::recursive_directory_iterator(); ++it) {
    fs::path to = dest / fs::relative(it->path(), layer);
    if (it->is_directory() && !it->is_symlink()) {
      if (fs::exists(fs::symlink_status(to)) && !fs::is_directory(fs::symlink_status(to))) fs::remove(to);
      fs::create_directories(to);
      continue;
    }
    fs::remove_all(to);
    fs::copy(it->path(), to, fs::copy_options::copy_symlinks);
  }
}

std::string rev(const TempRepo& r, const std::string& what) {
  std::string s = r.git("rev-parse " + what);
  return s.substr(0, s.find('\n'));
}

}  // namespace

TEST_CASE("base_layer: the work tree minus its removals plus the layer is the commit's tree") {
  TempRepo repo;
  repo.write("keep.txt", "unchanged\n");
  repo.write("changed.txt", "base\n");
  repo.write("gone.txt", "base gone\n");
  repo.write("run.sh", "#!/bin/sh\n");
  repo.write("was_file", "a file in the base\n");
  repo.write("was_dir/inner.txt", "a folder in the base\n");
  repo.write("notes.txt", "in the base, not in the index\n");
  repo.write("pkg/a.txt", "a\n");
  repo.write(".gitignore", "*.tmp\nbuild/\n");
  repo.sh("ln -s keep.txt link && ln -s keep.txt link2");
  repo.commit_all("base");
  std::string base = rev(repo, "HEAD");
  repo.git("rm -q --cached notes.txt");
  // What the run did after the base.
  repo.write("changed.txt", "model\n");
  repo.sh("rm gone.txt && chmod +x run.sh && rm link2 && ln -s changed.txt link2");
  repo.sh("rm was_file && mkdir was_file && echo x > was_file/new.txt");
  repo.sh("rm -r was_dir && echo now a file > was_dir");
  repo.write("added.txt", "added\n");
  repo.write("pkg/new/deep.txt", "added deep\n");
  repo.write("cache.tmp", "ignored\n");
  repo.write("build/out.o", "ignored folder\n");
  repo.write("repro/check.py", "the reproduction\n");
  auto r = git::Repository::open(repo.root);
  REQUIRE(r.ok());
  TempDir layer;
  auto plan = git::base_layer(*r, base, layer.path + "/tree", {"repro/check.py"});
  REQUIRE(plan.ok());
  // Only what differs is written: not keep.txt, pkg/a.txt, .gitignore, link.
  CHECK(plan->written <= 7);
  CHECK_FALSE(fs::exists(layer.path + "/tree/keep.txt"));
  CHECK(std::find(plan->remove.begin(), plan->remove.end(), "repro/check.py") == plan->remove.end());

  TempDir sim;
  shell(repo.root, "cp -a . " + sim.path + "/");
  for (const auto& p : plan->remove) fs::remove_all(sim.path + "/" + p);
  stack(layer.path + "/tree", sim.path);
  TempDir expected;
  shell(repo.root, "git archive " + base + " | tar -x -C " + expected.path);
  auto want = listing(expected.path);
  want["repro"] = "dir";
  want["repro/check.py"] = "file the reproduction\n";
  fs::remove_all(sim.path + "/.git");
  // The reproduction's file comes from the caller, written into the layer.
  auto got = listing(sim.path);
  for (const auto& [k, v] : got)
    if (want.count(k) == 0 || want[k] != v) UNSCOPED_INFO("got " << k << ": " << v);
  for (const auto& [k, v] : want)
    if (got.count(k) == 0) UNSCOPED_INFO("missing " << k << ": " << v);
  CHECK(got == want);
}

TEST_CASE("base_layer: refuses what an overlay could not show exactly") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("out/kept.txt", "tracked in an ignored folder\n");
  repo.commit_all("base");
  std::string base = rev(repo, "HEAD");
  auto r = git::Repository::open(repo.root);
  REQUIRE(r.ok());
  SECTION("an ignored folder holding files of the tree") {
    repo.git("rm -q -r --cached out");
    repo.write(".git/info/exclude", "out/\n");
    TempDir layer;
    CHECK_FALSE(git::base_layer(*r, base, layer.path + "/tree", {}).ok());
  }
  SECTION("attributes (filters between the disk and the blobs)") {
    repo.write(".gitattributes", "*.txt text eol=crlf\n");
    TempDir layer;
    CHECK_FALSE(git::base_layer(*r, base, layer.path + "/tree", {}).ok());
  }
  SECTION("core.autocrlf") {
    repo.git("config core.autocrlf input");
    TempDir layer;
    CHECK_FALSE(git::base_layer(*r, base, layer.path + "/tree", {}).ok());
  }
}
