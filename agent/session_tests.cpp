// The session's test runs: the request every test-like command gets, one
// run of the test command with its event, and each run read against the base.
#include <chrono>

#include "agent/progress.hpp"
#include "agent/related_tests.hpp"
#include "agent/session.hpp"
#include "agent/test_setup.hpp"
#include "exec/trim.hpp"
#include "text/duration.hpp"
#include "text/lines.hpp"

namespace ds::agent {

// A test-like command (the tests, a reproduction) as the runner takes it:
// the test time limit, the scrubbed environment, no bytecode written.
exec::RunRequest Session::test_request(const std::string& command, const std::string& cwd) const {
  exec::RunRequest req;
  req.command = command;
  req.cwd = cwd;
  req.timeout = std::chrono::seconds(cfg_.test_timeout_s);
  req.scrub = exec::secret_env_patterns();
  req.keep = cfg_.pass_env;
  // Python checks a cached .pyc against its source's mtime in whole seconds
  // and its size. Edits land within a second of the previous test run, so a
  // same-size edit (a * b -> a + b) would run the stale bytecode and the
  // tests would judge the old code. Without written .pyc files every test
  // run compiles what changed (and leaves no __pycache__/ in the tree).
  req.set["PYTHONDONTWRITEBYTECODE"] = "1";
  return req;
}

TestRun Session::run_tests() {
  TestRun t;
  // kill_running_children() only stops commands already running: one started
  // after Ctrl-C would run to its end (up to --test-timeout).
  if (interrupted()) {
    t.skipped = true;
    t.for_model = "The test command was not run: the run was interrupted.";
    return t;
  }
  // {related_tests}: the tests of what this run edited so far (none before the first edit).
  std::string command = with_related_tests(cfg_.test_cmd, repo_.root(), edited_);
  auto r = [&] {
    ProgressTicker ticking(events_, cfg_.progress_every, {out_.turns, "tests", command, 0});
    return runner_.run(test_request(command, repo_.root()));
  }();
  ev::Tests event;
  event.turn = out_.turns;
  if (!r.ok()) {
    t.for_model = "The test command could not be started: " + r.error().message;
    t.output = r.error().message;
    event.error = r.error().message;
  } else {
    t.ran = !r->interrupted;
    t.exit_code = r->exit_code;
    t.timed_out = r->timed_out;
    t.passed = r->exit_code == 0 && !r->timed_out && !r->interrupted;
    // A setup the model was asked to fix passes once it tests something.
    if (t.passed && !setup_task_.empty()) t.passed = !check_test_setup(r->exit_code, r->output);
    char head[200];
    std::snprintf(head, sizeof head, "Test command exited with code %d (%s) after %s%s.\n", r->exit_code,
                  t.passed ? "PASSED" : "FAILED", text::seconds_text(r->duration).c_str(),
                  r->timed_out ? ", killed at the timeout" : "");
    t.for_model = head + exec::trim_for_model(r->output, cfg_.test_output_tokens);
    t.output = std::move(r->output);
    event.exit_code = r->exit_code;
    event.passed = t.passed;
    event.timed_out = r->timed_out;
    event.interrupted = r->interrupted;
    event.duration_ms = static_cast<int64_t>(r->duration.count());
  }
  record_test_results(t, event);
  event.output = t.output;
  events_.event(event);
  return t;
}

// The first run is the base; every later one is read against it.
void Session::record_test_results(TestRun& t, ev::Tests& event) {
  bool usable = t.ran && !t.timed_out;
  TestReport report = usable ? parse_test_results(t.output) : TestReport{};
  if (!base_recorded_) {
    base_recorded_ = true;
    base_known_ = usable && readable(report, t.exit_code);
    if (base_known_ && t.exit_code != 0) base_failing_ = report.failing();
  } else {
    if (usable) t.delta = test_delta(base_failing_, base_known_, report, t.exit_code, flaky_);
    if (t.delta.known) event.regressions = t.delta.regressions;
  }
}

}  // namespace ds::agent
