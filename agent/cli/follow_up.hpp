// `diffsmith run --continue [RUN]`: the run a follow-up continues, read back
// from its checkpoint ref (refs/diffsmith/<id>) and its trajectory
// (.git/diffsmith/runs/<id>.jsonl).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/session.hpp"
#include "base/result.hpp"

namespace ds::git {
class Repository;
}

namespace ds::agent {

struct FollowUp {
  Continuation conversation;  // for Session::continue_from
  // The files the conversation's runs changed (the continued run and the runs
  // it continues): uncommitted changes to them are the conversation's own and
  // do not make the work tree "dirty" for the follow-up.
  std::vector<std::string> changed;
  // The continued run's test command ("" when it ran without tests; none
  // when its trajectory does not say): the follow-up's when none is given.
  std::optional<std::string> test_cmd;
  // The branches the conversation's runs committed on and that were not
  // taken back ("refs/heads/NAME"): a follow-up's --branch NAME naming one
  // of them commits onto it instead of creating it.
  std::vector<std::string> committed_branches;
};

// Loads the run `run_id` (empty: the latest run in this work tree, undo
// records skipped) for a follow-up. Refused, with a message that says why and
// what to do: an unknown run (see `diffsmith log`), a run without a
// trajectory or without a conversation, and a run whose changes were undone
// (every file it changed is back as it was at its start: its conversation
// describes a tree that is no longer there). A conversation cut short by a
// kill is completed (answer_open_tool_calls). Errors: a git kind when the
// repository could not be read (exit 4), no kind for the refusals (exit 2).
Result<FollowUp> load_follow_up(git::Repository& repo, const std::string& run_id);

}  // namespace ds::agent
