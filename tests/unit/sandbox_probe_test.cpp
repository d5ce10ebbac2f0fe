// The start-up probe and setup_commands: bwrap missing, user namespaces
// refused, /proc refused (retried with /proc hidden), loopback refused; the
// tool is then not offered, a notice says why and how to fix it, and nothing
// runs unsandboxed. Failures are played by small fake `bwrap` scripts that
// print what the real bwrap prints in those situations.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/config/command_setup.hpp"
#include "exec/sandbox.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

// An executable script `dir/bwrap`.
std::string fake_bwrap(const std::string& dir, const std::string& body) {
  std::string path = dir + "/bwrap";
  write_file(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
  return path;
}

const char* kNoUserns =
    "echo 'bwrap: No permissions to creating new namespace, likely because the kernel does not allow "
    "non-privileged user namespaces. On e.g. debian this can be enabled with \"sysctl "
    "kernel.unprivileged_userns_clone=1\".' >&2; exit 1\n";
const char* kNoLoopback = "echo 'bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted' >&2; exit 1\n";
// Refuses --proc (as in a container whose /proc is masked), runs the real bwrap otherwise.
const char* kNoProc =
    "for a in \"$@\"; do if [ \"$a\" = --proc ]; then echo 'bwrap: Can'\"'\"'t mount proc on /newroot/proc: "
    "Operation not permitted' >&2; exit 1; fi; done\nexec /usr/bin/bwrap \"$@\"\n";

ds::exec::SandboxProbe probe_with(const std::string& work_tree, const std::string& bwrap) {
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = work_tree;
  cfg.bwrap = bwrap;
  return ds::exec::probe_sandbox(cfg, system);
}

// PATH with `dir` first, restored at scope exit.
struct PathFirst {
  std::string saved = ::getenv("PATH") ? ::getenv("PATH") : "";
  explicit PathFirst(const std::string& dir) { ::setenv("PATH", (dir + ":" + saved).c_str(), 1); }
  ~PathFirst() { ::setenv("PATH", saved.c_str(), 1); }
};

}  // namespace

TEST_CASE("probe: the real bwrap works here, with its own /proc") {
  TempRepo repo({{"a.txt", "x\n"}});
  auto p = probe_with(repo.root(), "");
  INFO(p.problem);
  CHECK(p.ok);
  CHECK(p.with_proc);
  CHECK(p.bwrap_path.find("bwrap") != std::string::npos);
}

TEST_CASE("probe: bwrap missing says how to install it") {
  TempRepo repo({{"a.txt", "x\n"}});
  auto p = probe_with(repo.root(), "/nonexistent/bwrap");
  CHECK_FALSE(p.ok);
  CHECK(contains(p.problem, "/nonexistent/bwrap"));
  TempDir empty;
  PathFirst path(empty.path);
  ::setenv("PATH", empty.path.c_str(), 1);  // no bwrap anywhere
  auto q = probe_with(repo.root(), "");
  CHECK_FALSE(q.ok);
  CHECK(contains(q.problem, "apt-get install bubblewrap"));
}

TEST_CASE("probe: user namespaces refused, loopback refused: why and how to fix") {
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir bin;
  auto p = probe_with(repo.root(), fake_bwrap(bin.path, kNoUserns));
  CHECK_FALSE(p.ok);
  CHECK(contains(p.problem, "user namespace"));
  CHECK(contains(p.problem, "kernel.unprivileged_userns_clone=1"));

  auto q = probe_with(repo.root(), fake_bwrap(bin.path, kNoLoopback));
  CHECK_FALSE(q.ok);
  CHECK(contains(q.problem, "loopback"));
  CHECK(contains(q.problem, "--sandbox-network"));
}

TEST_CASE("probe: /proc refused is retried with /proc hidden, and commands then run") {
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir bin;
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = repo.root();
  cfg.bwrap = fake_bwrap(bin.path, kNoProc);
  auto p = ds::exec::probe_sandbox(cfg, system);
  INFO(p.problem);
  REQUIRE(p.ok);
  CHECK_FALSE(p.with_proc);
  ds::exec::SandboxRunner sb(cfg, p, system);
  ds::exec::RunRequest req;
  req.command = "ls /proc | wc -l; cat a.txt";
  req.cwd = repo.root();
  auto r = sb.run(req);
  REQUIRE(r.ok());
  CHECK(r->output == "0\nx\n");  // the host's processes are hidden
}

TEST_CASE("a runner whose probe failed runs nothing") {
  TempRepo repo({{"a.txt", "x\n"}});
  TempDir bin;
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = repo.root();
  cfg.bwrap = fake_bwrap(bin.path, kNoUserns);
  auto p = ds::exec::probe_sandbox(cfg, system);
  REQUIRE_FALSE(p.ok);
  ds::exec::SandboxRunner sb(cfg, p, system);
  ds::exec::RunRequest req;
  req.command = "touch ran";
  req.cwd = repo.root();
  CHECK_FALSE(sb.run(req).ok());
  CHECK_FALSE(repo.exists("ran"));
}

TEST_CASE("setup_commands: sandbox, unavailable, off, --no-commands, --sandbox-tests, repo config limits") {
  using ds::agent::Settings;
  using ds::agent::SettingValue;
  TempRepo repo({{"a.txt", "x\n"}});
  ds::exec::SystemRunner system;
  auto setup = [&](std::map<std::string, std::string> flags, std::map<std::string, std::string> files = {},
                   bool has_tests = true) {
    Settings s;
    for (auto& [k, v] : flags) s.flags[k] = SettingValue{v, "--" + k};
    for (auto& [k, v] : files) s.files[k] = SettingValue{v, "config " + repo.root() + "/.diffsmith.toml"};
    return ds::agent::setup_commands(s, repo.root(), has_tests, system);
  };

  // The default: commands and tests in the sandbox, nothing to say.
  auto def = setup({});
  REQUIRE(def.ok());
  CHECK(def->commands != nullptr);
  CHECK(def->sandboxed);
  CHECK(def->tests != nullptr);
  CHECK(def->notice.empty());
  auto no_test_cmd = setup({}, {}, /*has_tests=*/false);
  REQUIRE(no_test_cmd.ok());
  CHECK(no_test_cmd->tests == nullptr);
  CHECK(no_test_cmd->notice.empty());

  auto none = setup({{"no-commands", "true"}, {"sandbox-tests", "false"}});
  REQUIRE(none.ok());
  CHECK(none->commands == nullptr);
  CHECK(none->tests == nullptr);
  CHECK(contains(none->notice, "the test command runs WITHOUT the sandbox (--no-sandbox-tests)"));

  auto tests = setup({{"no-commands", "true"}});
  REQUIRE(tests.ok());
  CHECK(tests->tests != nullptr);
  CHECK(tests->commands == nullptr);

  auto off = setup({{"sandbox", "off"}});
  REQUIRE(off.ok());
  CHECK(off->commands != nullptr);
  CHECK(off->tests == nullptr);
  CHECK_FALSE(off->sandboxed);
  CHECK(contains(off->notice, "WITHOUT a sandbox"));
  CHECK(contains(off->notice, "and so does the test command"));

  CHECK_FALSE(setup({{"sandbox", "docker"}}).ok());
  CHECK_FALSE(setup({{"sandbox", "off"}, {"sandbox-tests", "true"}}).ok());
  // The repository's config may not weaken the sandbox; the user's may.
  auto from_repo = setup({}, {{"sandbox", "off"}});
  REQUIRE_FALSE(from_repo.ok());
  CHECK(contains(from_repo.error().message, "repository's config"));
  CHECK_FALSE(setup({}, {{"sandbox-network", "true"}}).ok());
  CHECK_FALSE(setup({}, {{"sandbox-tests", "false"}}).ok());
  CHECK(setup({}, {{"no-commands", "true"}}).ok());

  TempDir bin;
  fake_bwrap(bin.path, kNoUserns);
  PathFirst path(bin.path);
  // Tests to sandbox and no sandbox: an error that names the way out.
  auto broken_tests = setup({});
  REQUIRE_FALSE(broken_tests.ok());
  CHECK(contains(broken_tests.error().message, "--no-sandbox-tests"));
  CHECK(contains(broken_tests.error().message, "user namespace"));
  auto broken = setup({{"sandbox-tests", "false"}});
  REQUIRE(broken.ok());
  CHECK(broken->commands == nullptr);  // not offered, and no fallback
  CHECK(contains(broken->notice, "run_command is not offered"));
  CHECK(contains(broken->notice, "user namespace"));
  CHECK(contains(broken->notice, "--sandbox off"));
  auto broken_no_tests = setup({}, {}, /*has_tests=*/false);
  REQUIRE(broken_no_tests.ok());
  CHECK(broken_no_tests->commands == nullptr);
}
