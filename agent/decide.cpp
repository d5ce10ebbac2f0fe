// decide(), guide() and settle(): the run's verdict from the turn's value and
// the run's history, the stall count and what the model is told.
#include "agent/decide.hpp"

#include "text/lines.hpp"

namespace ds::agent {

namespace {

// The first non-blank line of the model's summary, for a reason.
std::string first_line_of(const std::string& text) {
  for (const auto& line : text::split_lines(text))
    if (auto t = text::trim(line); !t.empty()) return std::string(t);
  return {};
}

// The last test run the run knows: this turn's, else the one before.
const TestRun& latest_tests(const TurnResult& turn, const History& history) {
  return turn.tests ? *turn.tests : history.last_tests;
}

Judgement judge_turn(RunMode mode, const TurnResult& turn, const History& h) {
  const TestRun& tests = latest_tests(turn, h);
  RunFacts f;
  f.mode = mode;
  f.has_edits = h.has_edits;
  f.tests_passed = tests.passed;
  f.delta = tests.delta;
  f.change = h.change;
  f.change_only_tests = h.change_only_tests;
  f.allow_test_edits = h.allow_test_edits;
  f.reproduce = h.reproduce;
  f.repro_set = h.repro_set;
  f.repro_failed_on_base = h.repro_failed_on_base;
  f.repro_passes_now = h.repro_passes_now;
  return judge(TurnFacts{turn.model_stopped(), turn.finish_called, turn.over_budget}, f);
}

// The stall count after the turn: an applied change resets it.
int stalls_after(const Judgement& j, const TurnResult& turn, const History& h) {
  int before = turn.files_changed ? 0 : h.stalls;
  return j.kind == Judgement::Kind::Stall ? before + 1 : before;
}

}  // namespace

std::optional<Verdict> decide(RunMode mode, const TurnResult& turn, const History& history) {
  Judgement j = judge_turn(mode, turn, history);
  switch (j.kind) {
    case Judgement::Kind::Solved:
      return Verdict{RunStatus::Solved, j.reason};
    case Judgement::Kind::Done:
      return Verdict{RunStatus::Done, j.reason};
    case Judgement::Kind::GiveUp:
      return Verdict{RunStatus::NoChange,
                     turn.summary.empty() ? j.reason : j.reason + ": " + first_line_of(turn.summary)};
    case Judgement::Kind::Stall:
      if (stalls_after(j, turn, history) >= kMaxStalls)
        return Verdict{RunStatus::Unsolved,
                       "the model stopped " + std::to_string(kMaxStalls) + " times while " + j.unmet};
      return std::nullopt;
    case Judgement::Kind::GoOn:
      return std::nullopt;
  }
  return std::nullopt;
}

Guidance guide(RunMode mode, const TurnResult& turn, const History& history) {
  Judgement j = judge_turn(mode, turn, history);
  Guidance g;
  g.notice = j.notice;
  g.stalls = stalls_after(j, turn, history);
  if (j.kind == Judgement::Kind::GoOn) g.feedback = std::move(j.feedback);
  if (j.kind != Judgement::Kind::Stall) return g;
  if (!j.show_tests) {
    g.feedback.push_back(j.why + ".");
    return g;
  }
  const std::string& text = latest_tests(turn, history).for_model;
  g.test_outputs.push_back(text);
  g.feedback.push_back(
      j.why +
      ". Keep working until it passes: read the failing output, find the cause, and edit the "
      "code.\n\n" +
      text);
  return g;
}

Verdict settle(Verdict v, bool reproduce, bool proved, bool has_diff) {
  if (reproduce && v.status == RunStatus::Unsolved && !proved && has_diff) {
    v.status = RunStatus::Unverified;
    v.reason += "; no reproduction failed on the base tree, so the change is unverified";
  }
  if ((v.status == RunStatus::Solved || v.status == RunStatus::Done) && !has_diff) {
    v.status = RunStatus::NoChange;
    v.reason = "the run ended with no change to any file";
  }
  return v;
}

}  // namespace ds::agent
