// ContainerRunner over tests/fake_engine/fake_engine.py, a stand-in for
// docker/podman that keeps containers as folders (no daemon is reachable
// here). What is exercised is our side of the protocol: run with labels,
// exec -w, the work dir reset and the current diff applied before every
// command, restart after a timeout (the command inside must die), rm when
// done or when start fails, and leftovers of dead runs removed.
#include "exec/container_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "agent/config/container_setup.hpp"
#include "support/run_fixture.hpp"

using namespace std::chrono_literals;
using namespace ds::test::e2e;

namespace {

const std::string kEngine = std::string(DIFFSMITH_SOURCE_DIR) + "/tests/fake_engine/fake_engine.py";

// FAKE_ENGINE_DIR with one image, "img_1" (as `img:1`), whose /testbed is a
// git repository holding a.txt.
struct FakeEngine {
  TempDir dir;
  FakeEngine() {
    ::setenv("FAKE_ENGINE_DIR", dir.path.c_str(), 1);
    std::string testbed = dir.path + "/images/img_1/testbed";
    fs::create_directories(testbed);
    write_file(testbed + "/a.txt", "hello\nbroken\n");
    std::string init =
        "cd " + testbed +
        " && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm base";
    REQUIRE(std::system(init.c_str()) == 0);
  }
  ~FakeEngine() { ::unsetenv("FAKE_ENGINE_DIR"); }
  std::string calls() const { return read_file(dir.path + "/calls.log"); }
  std::vector<std::string> containers() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir.path + "/containers", ec))
      out.push_back(e.path().filename());
    return out;
  }
};

ds::exec::ContainerConfig config(std::string diff = "") {
  ds::exec::ContainerConfig c;
  c.engine = kEngine;
  c.image = "img:1";
  c.name = "ds-test";
  c.current_diff = [diff]() -> ds::Result<std::string> { return diff; };
  return c;
}

ds::exec::RunResult run(ds::exec::ProcessRunner& r, const std::string& cmd,
                        std::chrono::milliseconds t = 30s) {
  ds::exec::RunRequest req;
  req.command = cmd;
  req.timeout = t;
  auto res = r.run(req);
  INFO((res.ok() ? std::string() : res.error().message));
  REQUIRE(res.ok());
  return std::move(res).value();
}

const char* kFixDiff =
    "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n hello\n-broken\n+fixed\n"
    "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 "
    "@@\n+new\n";

bool process_with(const std::string& marker) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    if (e.path().filename().string().find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(e.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    std::string stat = read_file(e.path().string() + "/stat");
    auto close = stat.rfind(')');
    bool zombie = close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
    if (!zombie && cmdline.find(marker) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("container: image placeholders - {id_docker} as SWE-bench names its images") {
  using ds::exec::expand_image;
  CHECK(ds::exec::swebench_docker_id("django__django-11099") == "django_1776_django-11099");
  CHECK(ds::exec::swebench_docker_id("Sympy__Sympy-20590") == "sympy_1776_sympy-20590");
  auto img = expand_image("swebench/sweb.eval.x86_64.{id_docker}:latest", "astropy__astropy-12907", "", "");
  REQUIRE(img.ok());
  CHECK(*img == "swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest");
  auto all = expand_image("r/{repo}:{version}-{id}", "a__b-1", "org/proj", "4.2");
  REQUIRE(all.ok());
  CHECK(*all == "r/org/proj:4.2-a__b-1");
  CHECK(expand_image("plain:tag", "", "", "").ok());
  CHECK_FALSE(expand_image("x/{nope}", "a", "", "").ok());
  CHECK_FALSE(expand_image("x/{id", "a", "", "").ok());
  CHECK_FALSE(expand_image("x/{version}", "a", "", "").ok());  // empty for this task
}

TEST_CASE("container: find_engine takes a name, a path, or the first of docker/podman on PATH") {
  CHECK(ds::exec::find_engine(kEngine).ok());
  CHECK_FALSE(ds::exec::find_engine("/nonexistent/docker").ok());
  TempDir bin;
  fs::create_symlink(kEngine, bin.path + "/podman");
  std::string saved = ::getenv("PATH");
  ::setenv("PATH", (bin.path + ":/usr/bin:/bin").c_str(), 1);
  auto found = ds::exec::find_engine("");
  ::setenv("PATH", saved.c_str(), 1);
  REQUIRE(found.ok());
  CHECK(*found == bin.path + "/podman");
}

TEST_CASE(
    "container: labelled start, commands in the work dir at the run's current state, removed at the end") {
  FakeEngine engine;
  std::string diff;
  auto cfg = config();
  cfg.current_diff = [&diff]() -> ds::Result<std::string> { return diff; };
  ds::exec::SystemRunner system;
  std::string name;
  {
    auto r = ds::exec::ContainerRunner::start(cfg, system);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    auto& c = **r;
    name = c.config().name;
    CHECK(name == "ds-test-p" + std::to_string(::getpid()));
    CHECK(contains(engine.calls(), "\"--label=diffsmith.run=" + name + "\""));
    CHECK(contains(engine.calls(), "\"--network=none\", \"--\", \"img:1\", \"sleep\", \"infinity\""));

    CHECK(run(c, "cat a.txt; pwd").output ==
          "hello\nbroken\n" + engine.dir.path + "/containers/" + name + "/rootfs/testbed\n");
    diff = kFixDiff;  // the run edited a.txt and added new.txt
    CHECK(run(c, "cat a.txt new.txt; echo junk > junk.txt").output == "hello\nfixed\nnew\n");
    diff = "";  // e.g. after undo: back to the base, the command's junk gone too
    CHECK(run(c, "cat a.txt; ls").output == "hello\nbroken\na.txt\n");

    // req.set reaches the command as -e; exit codes come back.
    ds::exec::RunRequest req;
    req.command = "echo $DS_X; exit 4";
    req.set["DS_X"] = "from-set";
    auto res = c.run(req);
    REQUIRE(res.ok());
    CHECK(res->output == "from-set\n");
    CHECK(res->exit_code == 4);
  }
  CHECK(engine.containers().empty());  // removed by the destructor
  CHECK(contains(engine.calls(), "[\"rm\", \"-f\", \"" + name + "\"]"));
}

TEST_CASE("container: a diff that does not apply is an error, not a run on the wrong state") {
  FakeEngine engine;
  ds::exec::SystemRunner system;
  auto r = ds::exec::ContainerRunner::start(
      config("diff --git a/zz.txt b/zz.txt\n--- a/zz.txt\n+++ b/zz.txt\n@@ -1 +1 @@\n-x\n+y\n"), system);
  REQUIRE(r.ok());
  ds::exec::RunRequest req;
  req.command = "touch ran";
  auto res = (*r)->run(req);
  REQUIRE_FALSE(res.ok());
  CHECK(contains(res.error().message, "current state"));
  CHECK_FALSE(fs::exists(engine.dir.path + "/containers/" + (*r)->config().name + "/rootfs/testbed/ran"));
}

TEST_CASE("container: the timeout ends the command inside the container too") {
  FakeEngine engine;
  ds::exec::SystemRunner system;
  auto r = ds::exec::ContainerRunner::start(config(), system);
  REQUIRE(r.ok());
  auto res = run(**r, "sleep 31339.5", 1s);
  CHECK(res.timed_out);
  CHECK(contains(engine.calls(), "[\"restart\", \"-t\", \"0\", \"" + (*r)->config().name + "\"]"));
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !process_with("31339.5");
    if (!gone) std::this_thread::sleep_for(20ms);
  }
  CHECK(gone);
}

TEST_CASE("container: a failed start leaves nothing - a work dir that is not a repository is explained") {
  FakeEngine engine;
  ds::exec::SystemRunner system;
  auto cfg = config();
  cfg.image = "missing:1";
  auto r = ds::exec::ContainerRunner::start(cfg, system);
  REQUIRE_FALSE(r.ok());
  CHECK(contains(r.error().message, "missing:1"));
  CHECK(engine.containers().empty());

  auto wd = config();
  wd.workdir = "/";
  auto w = ds::exec::ContainerRunner::start(wd, system);
  REQUIRE_FALSE(w.ok());
  CHECK(contains(w.error().message, "git repository"));
  CHECK(engine.containers().empty());
}

TEST_CASE("container: leftovers of dead runs on this host are removed, live ones kept") {
  FakeEngine engine;
  pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  auto start = [&](const std::string& name, const std::string& host_label) {
    ProcOptions o;
    o.env["FAKE_ENGINE_DIR"] = engine.dir.path;
    auto r = run_process({kEngine, "run", "-d", "--name", name, "--label", "diffsmith.run=" + name, "--label",
                          "diffsmith.host=" + host_label, "img:1", "sleep", "infinity"},
                         o);
    REQUIRE(r.exit_code == 0);
  };
  std::string dead_name = "ds-old-p" + std::to_string(dead);
  std::string live_name = "ds-live-p" + std::to_string(::getpid());
  std::string other_host = "ds-elsewhere-p" + std::to_string(dead);
  start(dead_name, host);
  start(live_name, host);
  start(other_host, "another-host");

  ds::exec::SystemRunner system;
  auto removed = ds::exec::remove_leftovers(kEngine, system);
  REQUIRE(removed.ok());
  CHECK(*removed == 1);
  auto left = engine.containers();
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{other_host, live_name});
}

TEST_CASE("container settings: engine resolved, repository config may not pick the engine or the network") {
  using ds::agent::SettingValue;
  auto fill = [](std::map<std::string, std::string> flags,
                 std::map<std::string, std::string> repo_file = {}) {
    ds::agent::Settings s;
    for (auto& [k, v] : flags) s.flags[k] = SettingValue{v, "--" + k};
    for (auto& [k, v] : repo_file) s.files[k] = SettingValue{v, "config /r/.diffsmith.toml"};
    ds::agent::RunConfig c;
    auto st = ds::agent::fill_container_config(s, c);
    return std::make_pair(st.ok() ? std::string() : st.error().message, c);
  };
  auto [err, c] = fill({{"container", "img:{id}"}, {"container-engine", kEngine}});
  CHECK(err.empty());
  CHECK(c.container_image == "img:{id}");
  CHECK(c.container_engine == kEngine);
  CHECK(c.container_workdir == "/testbed");
  CHECK(c.container_network == "none");
  CHECK(contains(fill({{"container", "i"}, {"container-engine", "/nonexistent/docker"}}).first,
                 "no such program"));
  CHECK(contains(fill({{"container", "i"}}, {{"container-engine", kEngine}}).first, "repository's config"));
  CHECK(contains(
      fill({{"container", "i"}, {"container-engine", kEngine}}, {{"container-network", "host"}}).first,
      "repository's config"));
  CHECK(contains(fill({{"container", "i"}, {"container-engine", kEngine}, {"sandbox-tests", "true"}}).first,
                 "does not apply"));
  CHECK(contains(fill({{"container-workdir", "testbed"}}).first, "absolute"));
  CHECK(fill({}).first.empty());  // no --container: nothing to check
}
