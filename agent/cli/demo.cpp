// `diffsmith demo`: the offline demo. Writes the embedded example project
// (a small Python module with a failing test) into a new repository and
// solves it with the embedded recorded model session: the whole `run` path,
// no network and no API key.
#include "agent/cli/demo.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agent/cli/run.hpp"
#include "agent/embedded.hpp"
#include "agent/exit_code.hpp"
#include "exec/process.hpp"
#include "exec/sandbox.hpp"
#include "git/commit.hpp"
#include "git/init.hpp"

namespace ds::agent {
namespace {

bool write_bytes(const std::filesystem::path& p, std::string_view data) {
  std::error_code ec;
  std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(f.flush());
}

}  // namespace

int run_demo_command(const DemoCommandOptions& o, std::ostream& out, std::ostream& err) {
  namespace fs = std::filesystem;
  const std::string kRepoPrefix = "demo/repo/";
  std::string dir = o.keep_dir;
  std::error_code ec;
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path(ec) / "diffsmith-demo-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
      return fail(err, "demo", "cannot create a temporary directory", ExitCode::Repository);
    dir = tmpl;
  } else if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return fail(err, "demo", "--keep " + dir + " exists and is not empty; name a new directory",
                ExitCode::Usage);
  }
  std::vector<std::string> files;
  for (const auto& f : embedded_files()) {
    if (f.name.substr(0, kRepoPrefix.size()) != kRepoPrefix) continue;
    std::string rel(f.name.substr(kRepoPrefix.size()));
    if (!write_bytes(fs::path(dir) / rel, f.data))
      return fail(err, "demo", "cannot write " + dir + "/" + rel, ExitCode::Repository);
    files.push_back(rel);
  }
  auto repo = git::init_repository(dir);
  if (!repo.ok()) return fail(err, "demo", repo.error().message, ExitCode::Repository);
  auto commit = git::commit_changes(*repo, files, "demo project with a failing test", "");
  if (!commit.ok()) return fail(err, "demo", commit.error().message, ExitCode::Repository);
  std::string cassette = repo->git_dir() + "/diffsmith-demo-session.jsonl";
  if (!write_bytes(cassette, embedded("demo/session.jsonl")))
    return fail(err, "demo", "cannot write the recorded session to " + cassette, ExitCode::Repository);
  err << "demo repository: " << dir << "\n";
  RunCommandArgs a;
  a.dir = dir;
  a.task = std::string(embedded("demo/task.txt"));
  a.settings.flags["test"] = {"python3 -m unittest -q", "demo"};
  a.settings.flags["replay"] = {cassette, "demo"};
  a.next_hints = false;  // its own below: without --keep the repository is deleted
  if (o.json) a.settings.flags["json"] = {"true", "demo"};
  // The tests run in the sandbox like any run's. Where it cannot start (no
  // bwrap, user namespaces off) the demo still shows the rest: its edits come
  // from the embedded recording, not from a live model, so its own tests may
  // run without the sandbox. A real run stops instead (--no-sandbox-tests).
  exec::SystemRunner system;
  exec::SandboxConfig sandbox;
  sandbox.work_tree = repo->root();
  if (exec::SandboxProbe probe = exec::probe_sandbox(sandbox, system); !probe.ok) {
    err << "the sandbox does not work here, so the demo runs its tests without it (a run with a model "
           "would stop; see --no-sandbox-tests): "
        << probe.problem << "\n";
    a.settings.flags["sandbox-tests"] = {"false", "demo"};
  }
  std::istringstream no_input;
  int code = run_run_command(a, no_input, out, err);
  if (o.keep_dir.empty()) {
    fs::remove_all(dir, ec);
    if (!o.json) err << "the demo repository was removed; `diffsmith demo --keep DIR` keeps it to look at\n";
  } else
    err << "the demo repository is kept in " << dir << "; try `diffsmith log -C " << dir
        << "` and `diffsmith undo -C " << dir << "`\n";
  return code;
}

}  // namespace ds::agent
