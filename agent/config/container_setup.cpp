// fill_container_config and start_task_container.
#include "agent/config/container_setup.hpp"

#include <atomic>

#include "git/diff.hpp"
#include "git/repository.hpp"
#include "git/worktree_changes.hpp"

namespace ds::agent {
namespace {

bool from_repo_config(const Settings& s, const std::string& key) {
  auto v = s.get(key);
  const std::string suffix = "/.diffsmith.toml";
  return v && v->source.size() >= suffix.size() &&
         v->source.compare(v->source.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Status fill_container_config(const Settings& s, RunConfig& c) {
  c.container_image = s.str("container");
  c.container_engine = s.str("container-engine");
  c.container_workdir = s.str("container-workdir", "/testbed");
  c.container_network = s.str("container-network", "none");
  for (const char* key : {"container-engine", "container-network"})
    if (from_repo_config(s, key))
      return make_error(std::string(key) + " cannot be set in the repository's config (" +
                        s.get(key)->source.substr(7) +
                        "): it names a program to run or opens the network. Pass --" + key +
                        " or put it in ~/.config/diffsmith/config.toml.");
  if (c.container_workdir.empty() || c.container_workdir[0] != '/')
    return make_error("--container-workdir must be an absolute path (got '" + c.container_workdir + "')");
  if (c.container_image.empty()) return Ok{};
  if (c.container_image[0] == '-')
    return make_error("--container " + c.container_image + ": " +
                      exec::check_image_name(c.container_image).error().message);
  auto sandbox_tests = s.boolean("sandbox-tests", false);
  if (!sandbox_tests.ok()) return sandbox_tests.error();
  if (*sandbox_tests)
    return make_error(
        "--sandbox-tests does not apply with --container: the tests already run in the container");
  auto engine = exec::find_engine(c.container_engine);
  if (!engine.ok()) return engine.error();
  c.container_engine = *engine;
  return Ok{};
}

Result<std::unique_ptr<exec::ContainerRunner>> start_task_container(const RunConfig& c, git::Repository& repo,
                                                                    const ContainerTask& task,
                                                                    exec::ProcessRunner& inner) {
  if (c.container_image.empty()) return std::unique_ptr<exec::ContainerRunner>();
  static std::atomic<bool> swept{false};
  if (!swept.exchange(true)) {
    auto removed = exec::remove_leftovers(c.container_engine, inner);
    if (!removed.ok()) return make_error("--container: " + removed.error().message);
  }
  exec::ContainerConfig cc;
  auto image = exec::expand_image(c.container_image, task.id, task.repo, task.version);
  if (!image.ok()) return image.error();
  cc.engine = c.container_engine;
  cc.image = *image;
  cc.name = "ds-" + c.run_id;
  cc.workdir = c.container_workdir;
  cc.network = c.container_network;
  // The container starts at HEAD; before each command it gets what the run
  // made of the work tree since (edits, the test_patch of a batch task).
  cc.current_diff = [&repo]() -> Result<std::string> {
    auto now = git::snapshot_worktree(repo);
    if (!now.ok()) return now.error();
    return git::diff_commits(repo, "HEAD", *now);
  };
  auto runner = exec::ContainerRunner::start(std::move(cc), inner);
  if (!runner.ok()) return make_error("--container: " + runner.error().message);
  return std::move(*runner);
}

}  // namespace ds::agent
