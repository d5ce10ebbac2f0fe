// Tests (and the model's commands) in a container, e.g. a SWE-bench instance
// image with the project's environment installed. One container per task:
//   ENGINE run -d --name=NAME --label=diffsmith.run=NAME --label=diffsmith.host=HOST
//              --network=NET -- IMAGE sleep infinity
// Before every command the container's work dir is brought to the run's
// current state (git reset --hard + git clean to its base, then the current
// diff through `ENGINE exec -i … git apply`), then the command runs with
// `ENGINE exec -w WORKDIR`. At the timeout or Ctrl-C the local `exec` client
// is killed and the container restarted (which kills what ran inside); the
// container is removed when the runner is destroyed. remove_leftovers()
// removes containers of dead runs (our labels, a pid no longer alive here).
// Everything goes through an inner ProcessRunner (the SystemRunner).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "exec/process.hpp"

namespace ds::exec {

struct ContainerConfig {
  std::string engine;                // path of docker/podman (see find_engine)
  std::string image;                 // placeholders already filled (expand_image)
  std::string name;                  // container name, e.g. ds-<run-id>
  std::string workdir = "/testbed";  // the repository inside the image
  std::string network = "none";      // --network
  // The diff from the base (what the image's work dir holds) to the run's
  // current state; "" when nothing changed. Called before every command.
  std::function<Result<std::string>()> current_diff;
};

// `choice` is docker, podman, a path, or "" (docker, else podman, on PATH).
// The error says which were looked for.
Result<std::string> find_engine(const std::string& choice);

// Fills {id}, {id_docker}, {repo}, {version} in an image pattern. {id_docker}
// is the id as the SWE-bench images spell it: lower case, "__" as "_1776_"
// (django__django-11099 → django_1776_django-11099). An unknown {name} is an
// error; so is a placeholder whose value is empty, and a result that
// check_image_name refuses (a task id "-v=/:/host" in "{id}").
Result<std::string> expand_image(const std::string& pattern, const std::string& id, const std::string& repo,
                                 const std::string& version);
std::string swebench_docker_id(const std::string& id);

// An image name the engine reads as an image: not empty, not beginning
// with '-' (it would be an option of `run`). ContainerRunner::start checks
// it too, and ends the engine's options with `--` before the image.
Status check_image_name(const std::string& image);

// Removes containers labelled by diffsmith on this host whose run (pid) is
// gone. Returns how many were removed.
Result<int> remove_leftovers(const std::string& engine, ProcessRunner& inner);

class ContainerRunner final : public ProcessRunner {
 public:
  // Starts the container (the image must exist locally or be pullable).
  static Result<std::unique_ptr<ContainerRunner>> start(ContainerConfig cfg, ProcessRunner& inner);
  ~ContainerRunner() override;  // remove()
  ContainerRunner(const ContainerRunner&) = delete;
  ContainerRunner& operator=(const ContainerRunner&) = delete;

  // req.cwd is ignored: commands run in cfg.workdir. req.set becomes -e
  // K=V; the container never sees the host's environment.
  Result<RunResult> run(const RunRequest& req) override;

  // Removes the container (idempotent).
  Status remove();
  const ContainerConfig& config() const { return cfg_; }

 private:
  ContainerRunner(ContainerConfig cfg, ProcessRunner& inner) : cfg_(std::move(cfg)), inner_(inner) {}
  Status sync();  // the work dir := base + current diff

  ContainerConfig cfg_;
  ProcessRunner& inner_;
  bool removed_ = false;
};

}  // namespace ds::exec
