// Best of N (`--attempts N`, `--agree K`, `--attempts-parallel P`): N
// independent attempts at the task, each in a scratch work tree of its own
// (the run's start checkpoint in a slot under .git/diffsmith/scratch/, reset
// rather than rewritten: git/scratch.hpp; bound writable for the attempt's
// commands) with its own conversation and varied sampling, each verified as a single
// run is. Then every verified change is run against the other attempts'
// reproductions, the winner is chosen (select.hpp) and only its change is
// applied to the user's work tree: one start and one end checkpoint on the
// run's ref, so one `diffsmith undo` takes it back.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "agent/config/run_config.hpp"
#include "agent/events.hpp"
#include "base/result.hpp"
#include "exec/process.hpp"
#include "llm/types.hpp"

namespace ds::git {
class Repository;
}

namespace ds::agent {

struct AttemptTools {
  llm::Client* client = nullptr;  // the attempts run one after another: all use this one
  // --attempts-parallel P > 1: one client per attempt running at once.
  std::function<Result<std::unique_ptr<llm::Client>>()> new_client;
  exec::ProcessRunner* runner = nullptr;  // tests and reproductions
  EventSink* events = nullptr;            // the run's sink (screen, trajectory)
  const std::atomic<bool>* interrupted = nullptr;
};

// How attempt `i` (0-based) samples differently from the others: attempt 1
// as configured; later ones another temperature (where the model takes one),
// the other edit format every second attempt, the pinned files in reverse
// order. `variation` says what changed, for people.
RunConfig vary_attempt(const RunConfig& cfg, int i, std::string& variation);

// The whole run: run_started, the attempts, run_finished (with `attempts`).
// cfg.attempts > 1; the caller holds the repository lock, as for Session.
RunOutcome run_attempts(const RunConfig& cfg, git::Repository& repo, const AttemptTools& tools);

}  // namespace ds::agent
