// Tests run in the sandbox by default (issue 21, item 4): a test file the
// model writes (a conftest.py) used to run with the user's rights and
// network, and found the API key in /proc/<diffsmith>/environ. The real
// binary against the mock model: the model writes a test that scans every
// /proc/*/environ for the key and connects to the host's loopback. By
// default it finds nothing; --no-sandbox-tests says so in a notice, and even
// then diffsmith's own processes are not readable to a test run by another
// process of the same (non-root) uid; a sandbox that cannot start stops the
// run before its first request and names --no-sandbox-tests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/listener.hpp"
#include "support/run_fixture.hpp"
#include "support/unprivileged.hpp"

using namespace ds::test::e2e;
using ds::test::as_nobody;
using ds::test::can_run_as_nobody;
using ds::test::give_to_nobody;

namespace {

const char* const kKey = "sk-proc-environ-attack-0123456789";

// What the model writes: a test that reports what it could reach in
// attack.out, then passes when a.txt is fixed.
std::string attack_script(int port) {
  return "import glob, socket\n"
         "found = 'none'\n"
         "for f in glob.glob('/proc/[0-9]*/environ'):\n"
         "    try:\n"
         "        if b'" +
         std::string(kKey) +
         "' in open(f, 'rb').read():\n"
         "            found = 'FOUND in ' + f\n"
         "    except OSError:\n"
         "        pass\n"
         "try:\n"
         "    socket.create_connection(('127.0.0.1', " +
         std::to_string(port) +
         "), timeout=3)\n"
         "    net = 'connected'\n"
         "except OSError:\n"
         "    net = 'refused'\n"
         "open('attack.out', 'w').write('environ: ' + found + '\\nnetwork: ' + net + '\\n')\n"
         "assert 'fixed' in open('a.txt').read()\n";
}

const char* const kTestCmd = "python3 test_attack.py";

using ds::test::Listener;  // support/listener.hpp

struct Attack {
  TempRepo repo{TempRepo::Files{{"a.txt", "hello\nbroken\n"}, {"test_attack.py", "raise SystemExit(1)\n"}}};
  Listener host;
  std::unique_ptr<MockServer> mock = start_mock(
      script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n") +
                        sr_block("test_attack.py", "raise SystemExit(1)\n", attack_script(host.port)))}));
  ProcResult run(const std::vector<std::string>& extra, bool nobody = false) {
    std::vector<std::string> args = {"run", "fix a.txt", "-t", kTestCmd, "--base-url", mock->base_url()};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcOptions opts;
    opts.cwd = repo.root();
    opts.env["OPENAI_API_KEY"] = kKey;
    std::vector<std::string> argv = diffsmith_argv(args);
    return run_process(nobody ? as_nobody(argv) : argv, opts);
  }
  std::string report() const { return repo.exists("attack.out") ? repo.read("attack.out") : "(no report)"; }
};

}  // namespace

TEST_CASE("tests run in the sandbox by default: a model-written test finds no key and no network") {
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) continue;
    INFO((nobody ? "as nobody" : "as root"));
    Attack a;
    if (nobody) give_to_nobody(a.repo.root());
    ProcResult r = a.run({"--no-commands"}, nobody);
    INFO("stderr: " << r.err << "\nreport: " << a.report());
    CHECK(r.exit_code == 0);  // solved: the sandboxed test run passed
    CHECK(a.report() == "environ: none\nnetwork: refused\n");
    CHECK_FALSE(contains(r.err, "WITHOUT the sandbox"));
  }
}

TEST_CASE(
    "tests with --no-sandbox-tests: a notice says so, and diffsmith's environ stays unreadable to nobody") {
  if (!can_run_as_nobody()) {
    WARN("cannot run as nobody here");
    return;
  }
  for (bool nobody : {false, true}) {
    INFO((nobody ? "as nobody" : "as root"));
    Attack a;
    if (nobody) give_to_nobody(a.repo.root());
    ProcResult r = a.run({"--no-commands", "--no-sandbox-tests"}, nobody);
    INFO("stderr: " << r.err << "\nreport: " << a.report());
    CHECK(contains(r.err, "the test command runs WITHOUT the sandbox (--no-sandbox-tests)"));
    CHECK(contains(a.report(), "network: connected"));  // unsandboxed indeed
    if (nobody) {
      // PR_SET_DUMPABLE 0: /proc/<pid>/environ of diffsmith (and of the
      // supervisor it forks) is root's, not readable by the same uid.
      CHECK(contains(a.report(), "environ: none"));
      CHECK(r.exit_code == 0);
    } else if (contains(a.report(), "FOUND")) {
      // Root's CAP_SYS_PTRACE reads a non-dumpable process's environ: only
      // the sandbox (the default) keeps the key from a test run by root.
      WARN("as root with --no-sandbox-tests a test reads diffsmith's environment: " << a.report());
    }
  }
}

TEST_CASE("tests to sandbox but no working sandbox: the run stops before its first request") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir bin;
  write_file(bin.path + "/bwrap",
             "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
  ::chmod((bin.path + "/bwrap").c_str(), 0755);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions opts;
  opts.env["PATH"] = bin.path + ":" + std::string(::getenv("PATH"));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--no-sandbox-tests"));
  CHECK(contains(r.err, "user namespace"));
  CHECK(mock->requests().empty());
  CHECK(repo.read("a.txt") == "hello\nbroken\n");

  // The opt-out runs, and says the tests are unsandboxed.
  ProcResult out = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--no-sandbox-tests"}, opts);
  INFO("stderr: " << out.err);
  CHECK(out.exit_code == 0);
  CHECK(contains(out.err, "WITHOUT the sandbox"));
}

TEST_CASE("a repository's config cannot take the tests out of the sandbox") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {".diffsmith.toml", "sandbox-tests = false\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  // Fails if it can write under .git/ (it can, outside the sandbox).
  const char* test_cmd = "if touch .git/ds-probe 2>/dev/null; then exit 9; fi; grep -q fixed a.txt";
  ProcResult r = run_agent(repo, *mock, "fix a.txt", test_cmd, {"--no-commands"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "ignoring 'sandbox-tests'"));
  CHECK_FALSE(repo.exists(".git/ds-probe"));
}
