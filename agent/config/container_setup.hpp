// --container IMAGE for `run` and `batch`: the settings (into RunConfig) and
// one container per task, started with the task's placeholders filled and
// synced from the task's repository before every command (base + current
// diff). Leftovers of dead runs are removed before the first start.
#pragma once

#include <memory>
#include <string>

#include "agent/config/run_config.hpp"
#include "agent/config/settings.hpp"
#include "base/result.hpp"
#include "exec/container_runner.hpp"

namespace ds::git {
class Repository;
}

namespace ds::agent {

// --container, --container-engine, --container-workdir, --container-network.
// The engine and the network may not come from the repository's config.
Status fill_container_config(const Settings& s, RunConfig& c);

struct ContainerTask {
  std::string id, repo, version;  // for {id}, {id_docker}, {repo}, {version}
};

// Null when no --container was given. `repo` and `inner` must outlive the
// runner; the container's work dir must hold `repo`'s HEAD commit.
Result<std::unique_ptr<exec::ContainerRunner>> start_task_container(const RunConfig& c, git::Repository& repo,
                                                                    const ContainerTask& task,
                                                                    exec::ProcessRunner& inner);

}  // namespace ds::agent
