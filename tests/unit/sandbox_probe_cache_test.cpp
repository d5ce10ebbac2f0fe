// The probe's success remembered between runs (sandbox_probe_cache.hpp): the
// second probe is skipped, anything in the key changing probes again, a
// failure is never remembered, and a remembered probe that no longer holds
// is found out by the first command, which then fails as the probe explains
// it (nothing runs). A fake `bwrap` logs each start and runs the real one.
#include "exec/sandbox_probe_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "agent/config/command_setup.hpp"
#include "exec/sandbox.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

// `dir/bwrap`: logs its start to dir/starts, fails as bwrap does without
// user namespaces while dir/broken exists, else runs the real bwrap.
std::string logging_bwrap(const std::string& dir) {
  std::string path = dir + "/bwrap";
  write_file(path, "#!/bin/sh\necho start >> " + dir +
                       "/starts\n"
                       "if [ -e " +
                       dir +
                       "/broken ]; then echo 'bwrap: setting up uid map: Permission denied' >&2; exit 1; fi\n"
                       "exec /usr/bin/bwrap \"$@\"\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

int starts(const std::string& dir) {
  std::ifstream f(dir + "/starts");
  int n = 0;
  for (std::string line; std::getline(f, line);) ++n;
  return n;
}

bool have_bwrap() { return ::access("/usr/bin/bwrap", X_OK) == 0; }

}  // namespace

TEST_CASE("probe cache: a success is remembered, the next probe skipped, the first command confirms it") {
  if (!have_bwrap()) {
    WARN("no /usr/bin/bwrap here");
    return;
  }
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir bin, state;
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = repo.root();
  cfg.bwrap = logging_bwrap(bin.path);
  const std::string cache = state.path + "/sandbox-probe";

  auto first = ds::exec::probe_sandbox_cached(cfg, system, cache);
  INFO(first.problem);
  REQUIRE(first.ok);
  CHECK(first.cache_file.empty());  // probed
  CHECK(starts(bin.path) == 1);

  auto second = ds::exec::probe_sandbox_cached(cfg, system, cache);
  REQUIRE(second.ok);
  CHECK(second.cache_file == cache);  // remembered
  CHECK(second.with_proc == first.with_proc);
  CHECK(starts(bin.path) == 1);  // no bwrap start

  ds::exec::SandboxRunner sb(cfg, second, system);
  ds::exec::RunRequest req;
  req.command = "cat a.txt; exit 3";
  req.cwd = repo.root();
  auto r = sb.run(req);
  REQUIRE(r.ok());
  CHECK(r->output == "x\n");
  CHECK(r->exit_code == 3);
  CHECK(starts(bin.path) == 2);          // the command only
  CHECK(sb.probe().cache_file.empty());  // confirmed

  // Anything in the key changing probes again: the sandbox's arguments, bwrap itself.
  cfg.network = true;
  CHECK(ds::exec::probe_sandbox_cached(cfg, system, cache).cache_file.empty());
  CHECK(starts(bin.path) == 3);
  CHECK(ds::exec::probe_sandbox_cached(cfg, system, cache).cache_file == cache);
  write_file(cfg.bwrap, read_file(cfg.bwrap) + "\n");  // bwrap changed: another size
  CHECK(ds::exec::probe_sandbox_cached(cfg, system, cache).cache_file.empty());
  CHECK(starts(bin.path) == 4);
  // No cache file: always probed.
  CHECK(ds::exec::probe_sandbox_cached(cfg, system, "").cache_file.empty());
  CHECK(starts(bin.path) == 5);
}

TEST_CASE(
    "probe cache: a failure is not remembered; a remembered success that no longer holds fails "
    "the first command as the probe explains it, and nothing runs") {
  if (!have_bwrap()) {
    WARN("no /usr/bin/bwrap here");
    return;
  }
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir bin, state;
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = repo.root();
  cfg.bwrap = logging_bwrap(bin.path);
  const std::string cache = state.path + "/sandbox-probe";

  write_file(bin.path + "/broken", "");
  auto failed = ds::exec::probe_sandbox_cached(cfg, system, cache);
  CHECK_FALSE(failed.ok);
  CHECK(::access(cache.c_str(), F_OK) != 0);
  ::unlink((bin.path + "/broken").c_str());

  REQUIRE(ds::exec::probe_sandbox_cached(cfg, system, cache).ok);
  auto remembered = ds::exec::probe_sandbox_cached(cfg, system, cache);
  REQUIRE(remembered.cache_file == cache);
  write_file(bin.path + "/broken", "");  // user namespaces now refused, same key
  ds::exec::SandboxRunner sb(cfg, remembered, system);
  ds::exec::RunRequest req;
  req.command = "touch ran";
  req.cwd = repo.root();
  auto r = sb.run(req);
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error().message, "the sandbox is not available"));
  CHECK(contains(r.error().message, "user namespace"));  // probe_sandbox's explanation
  CHECK_FALSE(repo.exists("ran"));
  CHECK(::access(cache.c_str(), F_OK) != 0);  // forgotten
  CHECK_FALSE(sb.probe().ok);
  CHECK_FALSE(sb.run(req).ok());  // and stays refused
}

TEST_CASE("probe cache through setup_commands: remembered in the given file, the runners as before") {
  if (!have_bwrap()) {
    WARN("no /usr/bin/bwrap here");
    return;
  }
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir state;
  ds::exec::SystemRunner system;
  ds::agent::Settings s;
  const std::string cache = state.path + "/sandbox-probe";
  for (int i = 0; i < 2; ++i) {
    auto setup = ds::agent::setup_commands(s, repo.root(), true, system, {}, {}, cache);
    INFO((setup.ok() ? setup->notice : setup.error().message));
    REQUIRE(setup.ok());
    REQUIRE(setup->tests);
    REQUIRE(setup->commands);
    CHECK(setup->sandboxed);
    auto sb = std::dynamic_pointer_cast<ds::exec::SandboxRunner>(setup->tests);
    REQUIRE(sb);
    CHECK(sb->probe().cache_file == (i == 0 ? "" : cache));
    ds::exec::RunRequest req;
    req.command = "cat a.txt";
    req.cwd = repo.root();
    auto r = setup->tests->run(req);
    REQUIRE(r.ok());
    CHECK(r->output == "x\n");
  }
}

TEST_CASE("probe cache in `diffsmith run`: the second run in a repository starts one bwrap fewer") {
  if (!have_bwrap()) {
    WARN("no /usr/bin/bwrap here");
    return;
  }
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir bin, home;
  logging_bwrap(bin.path);
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["PATH"] = bin.path + ":" + std::string(::getenv("PATH"));
  std::vector<int> bwrap_starts;
  for (int i = 0; i < 2; ++i) {
    auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
    int before = starts(bin.path);
    // The same HOME both times (the sandbox hides it, so it is part of the key).
    std::vector<std::string> argv = {"/usr/bin/env", "HOME=" + home.path};
    for (const auto& a :
         diffsmith_argv({"run", "fix a.txt", "-t", "grep -q fixed a.txt", "--base-url", mock->base_url()}))
      argv.push_back(a);
    ProcResult r = run_process(argv, opts);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(repo.read("a.txt") == "hello\nfixed\n");
    CHECK(repo.exists(".git/diffsmith/sandbox-probe"));
    bwrap_starts.push_back(starts(bin.path) - before);
    repo.git({"checkout", "--", "a.txt"});  // the same task again, on a clean tree
  }
  // The probe, the baseline test, the test after the edit; then without the probe.
  CHECK(bwrap_starts[0] == 3);
  CHECK(bwrap_starts[1] == 2);
}
