#include "agent/launch.hpp"

namespace ds::agent {

RunOutcome run_loop(const RunConfig& cfg, git::Repository& repo, const AttemptTools& tools,
                    std::optional<Continuation> continues) {
  if (cfg.attempts > 1) return run_attempts(cfg, repo, tools);
  Session session(cfg, repo, *tools.client, *tools.runner, *tools.events, tools.interrupted);
  if (continues) session.continue_from(std::move(*continues));
  return session.run();
}

}  // namespace ds::agent
