// Hardening: the short soak (10 runs of tests/soak/soak.py, fixed seed) as
// part of the suite, so CI runs it on every change; the 200-run soak is run
// by hand (tests/soak/README.md). And one end-to-end run under valgrind,
// hidden ([.valgrind]: CI runs it explicitly, in the non-sanitizer build).
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

TEST_CASE("harden soak: 10 runs with random faults and signals lose nothing", "[soak]") {
  TempDir keep;
  ProcOptions o;
  o.timeout_s = 170;
  ProcResult r = run_process({"/usr/bin/python3", std::string(DIFFSMITH_SOURCE_DIR) + "/tests/soak/soak.py",
                              "--runs", "10", "--seed", "424242", "--jobs", "2", "--quiet", "--kill-rate",
                              "0.5", "--binary", DIFFSMITH_BINARY, "--keep-failed", keep.path},
                             o);
  INFO("soak output:\n" << r.out << r.err);
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "runs: 10 in "));
  CHECK(contains(r.out, "failed checks: 0 run(s)"));
  // The seed gives these runs at least one transport fault and one signal.
  CHECK(contains(r.out, "transport faults served: {'"));
  CHECK(contains(r.out, "signals sent mid-run: {'"));
  WARN(r.out.substr(r.out.find("== soak summary ==")));
}

TEST_CASE("harden valgrind: one solved run is clean under memcheck", "[.valgrind]") {
  if (!fs::exists("/usr/bin/valgrind")) {
    FAIL("valgrind is not installed (apt-get install valgrind)");
  }
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({read_turn("a.txt"), edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  TempDir logs;
  ProcOptions o;
  o.cwd = repo.root();
  o.timeout_s = 300;
  // Definite leaks and memory errors fail; libcurl/libgit2/OpenSSL keep
  // global state until exit ("still reachable"), which is not a leak.
  ProcResult r =
      run_process({"/usr/bin/valgrind", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite", "--trace-children=no",
                   "--log-file=" + logs.path + "/vg.log", DIFFSMITH_BINARY, "run", "fix a.txt", "-t",
                   "grep -q fixed a.txt", "--base-url", mock->base_url(), "--quiet"},
                  o);
  std::string log = read_file(logs.path + "/vg.log");
  INFO("valgrind log:\n" << log << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(log, "ERROR SUMMARY: 0 errors"));
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
}
