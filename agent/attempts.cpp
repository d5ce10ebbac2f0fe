// Best of N (attempts.hpp): scratch work trees, the attempts, the cross
// check of every change against the other attempts' reproductions, the
// choice (select.hpp) and the winner's change applied to the user's tree.
#include "agent/attempts.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "agent/exit_code.hpp"
#include "agent/select.hpp"
#include "agent/session.hpp"
#include "agent/sinks.hpp"
#include "git/checkpoint.hpp"
#include "git/commit.hpp"
#include "git/export_tree.hpp"
#include "git/init.hpp"
#include "git/patch_apply.hpp"
#include "git/repository.hpp"
#include "git/scratch.hpp"
#include "git/scratch_slot.hpp"
#include "llm/generation.hpp"
#include "worktree/lock.hpp"

namespace ds::agent {

namespace {

namespace fs = std::filesystem;

// One attempt and what it showed.
struct Attempt {
  std::string variation, dir;
  bool started = false, done = false;
  RunOutcome out;
  std::optional<ev::RunFinished> finished;  // its own run_finished
  std::string skipped;                      // why it never started ("" if it did)
  bool proved_repro() const {
    return finished && finished->reproduction && finished->reproduction->failed_on_base;
  }
};

// An attempt's events: into its own trajectory, and to the run's sink with
// its run_started / run_finished said as notices (the run has one of each).
class AttemptSink final : public EventSink {
 public:
  AttemptSink(EventSink& run, std::mutex& m, std::string label, const std::string& trajectory, Attempt& a)
      : run_(run), m_(m), label_(std::move(label)), own_(trajectory), a_(a) {}
  void model_text(std::string_view f) override {
    if (quiet_text_) return;  // attempts at once: their streams would interleave
    std::lock_guard<std::mutex> l(m_);
    run_.model_text(f);
  }
  bool quiet_text_ = false;
  void message(const json::Value& m) override {
    if (own_.ok()) own_.message(m);
  }

 protected:
  void on_event(const Event& e) override {
    if (own_.ok()) own_.event(e);
    std::lock_guard<std::mutex> l(m_);
    if (std::holds_alternative<ev::RunStarted>(e)) {
      run_.event(ev::Notice{label_ + " started in a scratch work tree (" + a_.variation + ")"});
    } else if (const auto* f = std::get_if<ev::RunFinished>(&e)) {
      a_.finished = *f;
      run_.event(ev::Notice{label_ + ": " + f->status + " after " + std::to_string(f->turns) +
                            " turn(s): " + f->reason});
    } else {
      run_.event(e);
    }
  }

 private:
  EventSink& run_;
  std::mutex& m_;
  std::string label_;
  TrajectorySink own_;
  Attempt& a_;
};

exec::RunRequest repro_request(const RunConfig& cfg, const std::string& command, const std::string& cwd) {
  exec::RunRequest req;
  req.command = command;
  req.cwd = cwd;
  req.timeout = std::chrono::seconds(cfg.test_timeout_s);
  req.scrub = exec::secret_env_patterns();
  req.keep = cfg.pass_env;
  req.set["PYTHONDONTWRITEBYTECODE"] = "1";
  return req;
}

// A scratch tree lives under `.git`, which the sandbox binds read-only: each
// command an attempt runs (its tests, reproductions, the model's commands)
// gets the tree bound writable, as the user's work tree is in a run. Outside
// the sandbox the runners ignore it.
class WritableTree final : public exec::ProcessRunner {
 public:
  WritableTree(exec::ProcessRunner& inner, std::string tree) : inner_(inner), tree_(std::move(tree)) {}
  Result<exec::RunResult> run(const exec::RunRequest& req) override {
    exec::RunRequest r = req;
    r.writable.push_back(tree_);
    return inner_.run(r);
  }

 private:
  exec::ProcessRunner& inner_;
  std::string tree_;
};

// Whether `a`'s change passes `b`'s reproduction: b's command on the base
// tree plus a's change plus b's reproduction files (never a's own ones), in
// a free slot of `slots` (a finished attempt's, reset to the base).
bool passes_reproduction(git::Repository& repo, const RunConfig& cfg, exec::ProcessRunner& runner,
                         const std::string& base, const std::string& slots, const Attempt& a,
                         const Attempt& b) {
  auto slot = git::ScratchSlot::acquire(slots);
  if (!slot.ok()) return false;
  auto check = git::reset_scratch_worktree(repo, base, slot->dir());
  if (!check.ok()) return false;
  std::thread purge(git::purge_scratch_trash, slot->dir());  // what the reset moved away, meanwhile
  struct Join {
    std::thread& t;
    ~Join() { t.join(); }
  } join{purge};
  if (!git::apply_patch_text(*check, a.out.diff, false).ok()) return false;
  if (!git::apply_patch_text(*check, b.out.repro_diff, false).ok()) return false;
  WritableTree in_slot(runner, slot->dir());
  auto r = in_slot.run(repro_request(cfg, b.finished->reproduction->command, slot->dir()));
  return r.ok() && !r->interrupted && !r->timed_out && r->exit_code == 0;
}

std::string money(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", usd);
  return buf;
}

}  // namespace

RunConfig vary_attempt(const RunConfig& cfg, int i, std::string& variation) {
  RunConfig c = cfg;
  c.attempts = 1;
  if (i == 0) {
    variation = "as configured";
    return c;
  }
  std::vector<std::string> changed;
  static const double kTemperatures[] = {0.7, 1.0, 0.4};
  if (llm::reasoning_support(cfg.model) != llm::ReasoningSupport::Yes) {
    c.generation.temperature = kTemperatures[(i - 1) % 3];
    char t[32];
    std::snprintf(t, sizeof t, "temperature %.1f", *c.generation.temperature);
    changed.push_back(t);
  }
  if (i % 2 == 1) {
    c.edit_format =
        cfg.edit_format == edit::Format::Patch ? edit::Format::SearchReplace : edit::Format::Patch;
    changed.push_back(c.edit_format == edit::Format::Patch ? "edit format patch"
                                                           : "edit format search-replace");
  }
  if (c.pinned.size() > 1 && i % 2 == 0) {
    std::reverse(c.pinned.begin(), c.pinned.end());
    changed.push_back("pinned files in reverse order");
  }
  variation = changed.empty() ? "a new conversation" : "";
  for (const auto& s : changed) variation += (variation.empty() ? "" : ", ") + s;
  return c;
}

RunOutcome run_attempts(const RunConfig& cfg, git::Repository& repo, const AttemptTools& tools) {
  const auto started = std::chrono::steady_clock::now();
  const int n = cfg.attempts;
  EventSink& events = *tools.events;
  RunOutcome out;
  auto fail = [&](const std::string& why, int code) {
    out.status = RunStatus::Error;
    out.reason = why;
    out.exit_code = code;
    ev::RunFinished e;
    e.status = "error";
    e.reason = why;
    e.exit_code = code;
    events.event(e);
    return out;
  };
  const std::string ref = "refs/diffsmith/" + cfg.run_id;
  auto base = git::checkpoint(repo, ref, "diffsmith: start of run " + cfg.run_id);
  if (!base.ok()) return fail(base.error().message, to_int(ExitCode::Repository));
  out.start_commit = out.end_commit = *base;
  events.event(ev::RunStarted{cfg.run_id, cfg.model, repo.root(), cfg.test_cmd, cfg.test_source,
                              cfg.edit_format == edit::Format::Patch ? "patch" : "search-replace", *base, "",
                              cfg.task});
  auto ds_dir = git::diffsmith_dir(repo);
  if (!ds_dir.ok()) return fail(ds_dir.error().message, to_int(ExitCode::Repository));
  const std::string root = *ds_dir + "/attempts/" + cfg.run_id;  // the attempts' trajectories
  const std::string slots = *ds_dir + "/scratch";                // the scratch trees, kept and reset
  std::error_code ec;
  fs::create_directories(root, ec);

  auto budget = std::make_shared<SharedBudget>(started);
  std::vector<Attempt> attempts(static_cast<size_t>(n));
  std::mutex m;                                // the run's sink, `attempts`, the cross checks
  std::map<std::pair<int, int>, bool> passes;  // (a, b): a's change passes b's reproduction
  std::atomic<int> next{0};
  std::atomic<bool> stop{false}, halt{false};
  const int parallel = tools.new_client ? std::max(1, std::min(cfg.attempts_parallel, n)) : 1;

  // Cross checks not made yet (under `m`), then the candidates.
  auto candidates = [&] {
    std::vector<Candidate> cands;
    for (int i = 0; i < n; ++i) {
      const Attempt& a = attempts[i];
      if (!a.done || a.out.status == RunStatus::Interrupted) continue;
      Candidate c;
      c.index = i;
      c.solved = a.out.status == RunStatus::Solved || a.out.status == RunStatus::Done;
      c.diff = a.out.diff;
      c.cross_checked = true;
      for (int j = 0; j < n; ++j) {
        if (j == i || !attempts[j].done || !attempts[j].proved_repro() || !c.solved) continue;
        auto key = std::make_pair(i, j);
        if (!passes.count(key))
          passes[key] = passes_reproduction(repo, cfg, *tools.runner, *base, slots, a, attempts[j]);
        if (!passes[key]) c.fails_of.push_back(j);
      }
      cands.push_back(std::move(c));
    }
    return cands;
  };
  auto budget_spent = [&]() -> std::string {
    auto spent = budget->spent();
    if (cfg.max_cost > 0 && spent && *spent >= cfg.max_cost)
      return "the cost limit of all attempts is reached (" + money(*spent) + " of --max-cost " +
             money(cfg.max_cost) + ")";
    if (cfg.max_wall_s > 0 &&
        std::chrono::steady_clock::now() - started >= std::chrono::seconds(cfg.max_wall_s))
      return "the wall-time limit of all attempts is reached (--max-time " + std::to_string(cfg.max_wall_s) +
             " s)";
    return {};
  };
  auto run_one = [&](int i, llm::Client& client) {
    Attempt& a = attempts[i];
    RunConfig c = vary_attempt(cfg, i, a.variation);
    c.run_id = cfg.run_id + "-" + std::to_string(i + 1);
    c.shared_budget = budget;
    std::string label = "attempt " + std::to_string(i + 1) + "/" + std::to_string(n);
    auto slot = git::ScratchSlot::acquire(slots);  // held until the attempt ends
    if (!slot.ok()) {
      a.out.status = RunStatus::Error;
      a.out.reason = "cannot make its scratch work tree: " + slot.error().message;
      return;
    }
    a.dir = slot->dir();
    auto scratch = git::reset_scratch_worktree(repo, *base, a.dir);
    std::thread purge(git::purge_scratch_trash, a.dir);  // what the reset moved away, while the attempt runs
    struct Join {
      std::thread& t;
      ~Join() { t.join(); }
    } join{purge};
    if (!scratch.ok()) {
      a.out.status = RunStatus::Error;
      a.out.reason = "cannot make its scratch work tree: " + scratch.error().message;
      return;
    }
    AttemptSink sink(events, m, label, root + "/" + std::to_string(i + 1) + ".jsonl", a);
    sink.quiet_text_ = parallel > 1;
    WritableTree tests(*tools.runner, a.dir);
    std::shared_ptr<exec::ProcessRunner> commands = c.command_runner;  // outlives the session
    if (commands) c.command_runner = std::make_shared<WritableTree>(*commands, a.dir);
    Session session(c, *scratch, client, tests, sink, parallel > 1 ? &halt : tools.interrupted);
    a.out = session.run();
  };
  auto worker = [&](llm::Client* client) {
    std::unique_ptr<llm::Client> own;
    for (;;) {
      int i = next++;
      if (i >= n) return;
      {
        std::lock_guard<std::mutex> l(m);
        std::string why =
            stop ? "--agree " + std::to_string(cfg.agree) + ": enough attempts agree" : budget_spent();
        if (tools.interrupted && tools.interrupted->load()) why = "interrupted";
        if (!why.empty()) {
          attempts[i].skipped = why;
          continue;
        }
        attempts[i].started = true;
      }
      if (!client) {
        auto made = tools.new_client();
        if (!made.ok()) {
          attempts[i].out.reason = made.error().message;
          attempts[i].done = true;
          continue;
        }
        own = std::move(*made);
        client = own.get();
      }
      run_one(i, *client);
      std::lock_guard<std::mutex> l(m);
      attempts[i].done = true;
      if (cfg.agree > 0 && agreeing(candidates()) >= cfg.agree) stop = true;
    }
  };
  if (parallel == 1) {
    worker(tools.client);
  } else {
    std::vector<std::thread> threads;
    std::atomic<int> running{parallel};
    for (int t = 0; t < parallel; ++t)
      threads.emplace_back([&] {
        worker(nullptr);
        --running;
      });
    while (running > 0) {
      if (stop || (tools.interrupted && tools.interrupted->load())) halt = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto& t : threads) t.join();
  }

  // The choice, and the winner's change in the user's tree.
  std::vector<Candidate> cands = candidates();
  Selection sel = select_candidate(cands);
  bool user_interrupted = tools.interrupted && tools.interrupted->load();
  int winner = sel.winner >= 0 ? cands[sel.winner].index : -1;
  ev::RunFinished e;
  if (winner >= 0) {
    const Attempt& w = attempts[winner];
    out = w.out;
    if (w.finished) e = *w.finished;
    std::string patch = w.out.diff;
    Status applied = git::apply_patch_text(repo, patch, false);
    auto end = applied.ok() ? git::checkpoint(repo, ref,
                                              "diffsmith: end of run (attempt " + std::to_string(winner + 1) +
                                                  " of " + std::to_string(n) + ")")
                            : Result<std::string>(applied.error());
    if (!end.ok()) {
      out.status = RunStatus::Error;
      out.exit_code = to_int(ExitCode::Repository);
      out.reason = "cannot apply the winning change to the work tree: " + end.error().message;
    } else {
      out.end_commit = *end;
      events.event(ev::Checkpoint{0, ref, *end, ""});
    }
  } else {
    // No change to choose: the first attempt that ran says how the run ended.
    for (const Attempt& a : attempts)
      if (a.done) {
        out = a.out;
        if (a.finished) e = *a.finished;
        out.diff.clear(), out.changed_paths.clear();
        break;
      }
    if (user_interrupted)
      out.status = RunStatus::Interrupted, out.exit_code = to_int(exit_code_for(out.status)),
      out.reason = "interrupted";
    if (out.status == RunStatus::Solved || out.status == RunStatus::Done)
      out.status = RunStatus::NoChange, out.exit_code = to_int(exit_code_for(out.status)),
      out.reason = "the run ended with no change to any file";
  }
  out.start_commit = *base;
  if (winner < 0) out.end_commit = *base;
  out.turns = 0;
  out.usage = {};
  for (const Attempt& a : attempts) out.turns += a.out.turns, out.usage += a.out.usage;
  out.cost_usd = budget->spent();
  if (winner >= 0)
    out.reason += (out.reason.empty() ? "chosen: " : "; chosen: ") + sel.reason;
  else
    out.reason = sel.reason + (out.reason.empty() ? "" : "; " + out.reason);

  e.status = status_name(out.status);
  e.reason = out.reason;
  e.exit_code = out.exit_code;
  e.turns = out.turns;
  e.prompt_tokens = out.usage.prompt_tokens;
  e.cached_tokens = out.usage.cached_tokens;
  e.completion_tokens = out.usage.completion_tokens;
  e.cost_usd = out.cost_usd;
  e.diff = out.diff;
  if (winner < 0) e.files.clear();
  e.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
          .count();
  e.selection = out.selection = sel.reason;
  for (int i = 0; i < n; ++i) {
    const Attempt& a = attempts[i];
    ev::RunFinished::Attempt x;
    x.attempt = i + 1;
    x.variation = a.variation;
    if (x.variation.empty()) (void)vary_attempt(cfg, i, x.variation);
    x.status = a.started ? status_name(a.out.status) : "not_run";
    x.reason = a.started ? a.out.reason : a.skipped;
    x.diff = a.out.diff;
    x.turns = a.out.turns;
    x.cost_usd = a.out.cost_usd;
    x.repro_command = a.out.repro_command;
    if (a.finished && a.finished->reproduction) {
      x.repro_failed_on_base = a.finished->reproduction->failed_on_base;
      x.repro_passes_at_end = a.finished->reproduction->passes_at_end;
    }
    for (size_t c = 0; c < cands.size(); ++c)
      if (cands[c].index == i) {
        for (int f : cands[c].fails_of) x.fails_reproduction_of.push_back(f + 1);
        x.winner = static_cast<int>(c) == sel.winner;
        x.why = sel.why[c];
      }
    if (x.why.empty()) x.why = a.started ? "not a candidate (" + x.status + ")" : "not run: " + a.skipped;
    out.attempts.push_back(
        {x.attempt, x.status, x.variation, x.why, x.winner, x.fails_reproduction_of, x.diff.size()});
    e.attempts.push_back(std::move(x));
  }
  events.event(e);
  // Each attempt's trajectory (<n>.jsonl) stays, and so do the scratch trees
  // (reset, not written again, by the next run).
  return out;
}

}  // namespace ds::agent
