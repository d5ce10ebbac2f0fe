// One run of the loop, started the same way by `run` and by each `batch`
// task: best of N (attempts.hpp) with --attempts, else one session, which a
// follow-up starts from its conversation so far.
#pragma once

#include <optional>

#include "agent/attempts.hpp"
#include "agent/session.hpp"

namespace ds::agent {

// `tools.client` answers a single session and attempts run one after another;
// `tools.new_client` (may be empty) gives parallel attempts their own.
RunOutcome run_loop(const RunConfig& cfg, git::Repository& repo, const AttemptTools& tools,
                    std::optional<Continuation> continues = std::nullopt);

}  // namespace ds::agent
