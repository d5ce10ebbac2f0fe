// The agent loop. Reads top to bottom like the pipeline it runs:
// start (checkpoint, first test run → mode, context) → ask model → handle its
// turn (record, tools, text edits, test and checkpoint) → conclude (checks,
// decide, feedback). The rules that end a run are in agent/decide.cpp.
#include "agent/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "agent/context.hpp"
#include "agent/instructions.hpp"
#include "agent/progress.hpp"
#include "agent/test_paths.hpp"
#include "agent/test_setup.hpp"
#include "agent/trajectory.hpp"
#include "edit/line_numbers.hpp"
#include "edit/parse.hpp"
#include "exec/trim.hpp"
#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "repomap/map.hpp"
#include "text/duration.hpp"
#include "text/lines.hpp"
#include "worktree/workdir_source.hpp"

namespace ds::agent {

Session::Session(const RunConfig& cfg, git::Repository& repo, llm::Client& client,
                 exec::ProcessRunner& runner, EventSink& events, const std::atomic<bool>* interrupted)
    : cfg_(cfg), repo_(repo), client_(client), runner_(runner), events_(events), interrupted_(interrupted) {
  ref_ = "refs/diffsmith/" + cfg_.run_id;
  window_ = ContextWindow(cfg_.collapse);
}

RunOutcome Session::run() {
  started_ = std::chrono::steady_clock::now();
  std::optional<Verdict> verdict = start();
  while (!verdict) verdict = next_turn();
  finish(std::move(*verdict));
  return out_;
}

std::optional<Verdict> Session::next_turn() {
  if (interrupted()) return Verdict{RunStatus::Interrupted, "interrupted"};
  std::string why = budget_exceeded();
  if (why.empty()) why = request_over_budget();
  if (!why.empty()) return Verdict{RunStatus::Unsolved, why};
  auto turn = ask_model();
  if (!turn.ok()) {
    if (interrupted()) return Verdict{RunStatus::Interrupted, "interrupted"};
    if (turn.error().is(llm::ErrorKind::Interrupted)) {
      // --max-time ends a reply still streaming (the request's deadline).
      if (std::string over = budget_exceeded(); !over.empty()) return Verdict{RunStatus::Unsolved, over};
      return Verdict{RunStatus::Interrupted, "interrupted"};
    }
    return Verdict{RunStatus::Error, turn.error().message};
  }
  TurnResult t = handle_turn(*turn);
  std::optional<Verdict> verdict = conclude(t);
  if (t.tests) last_tests_ = std::move(*t.tests);
  return verdict;
}

// ---------------------------------------------------------------- start

std::optional<Verdict> Session::start() {
  tool_ctx_.repo = &repo_;
  tool_ctx_.root = repo_.root();
  tool_ctx_.interrupted = interrupted_;  // search stops on Ctrl-C
  auto tracked = git::tracked_files(repo_);
  if (!tracked.ok()) return Verdict{RunStatus::Error, tracked.error().message, ExitCode::Repository};
  tool_ctx_.tracked = std::move(*tracked);
  bool tested = !cfg_.test_cmd.empty();
  if (tested)
    tool_ctx_.run_tests = [this] {
      TestRun t = run_tests();
      if (!t.skipped) tool_tests_ = t;
      return t.for_model;
    };
  if (cfg_.map_tokens > 0) {
    tool_ctx_.repo_map = [this](const std::vector<std::string>& focus) {
      return repo_map(focus, cfg_.map_tokens);
    };
  }
  tool_ctx_.commands = cfg_.command_runner.get();
  tool_ctx_.guard = cfg_.syntax_guard.get();
  tool_ctx_.command_timeout_s = cfg_.command_timeout_s;
  tool_ctx_.command_output_tokens = cfg_.test_output_tokens;
  tool_ctx_.max_diff_file_size = cfg_.max_diff_file_size;
  tool_ctx_.pass_env = cfg_.pass_env;
  if (cfg_.reproduce)
    tool_ctx_.set_reproduction = [this](const std::string& command, const std::vector<std::string>& files) {
      return set_reproduction(command, files);
    };
  tools_ = tools::make_tools(cfg_.edit_format, static_cast<bool>(tool_ctx_.repo_map),
                             tool_ctx_.commands != nullptr, cfg_.reproduce);
  std::string root = repo_.root();
  command_files_ = test_command_files(cfg_.test_cmd, [&root](const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(root + "/" + path, ec);
  });
  if (!tested) std::erase_if(tools_, [](const tools::Tool& t) { return t.def.name == "run_tests"; });
  for (auto& t : tools::mcp_tools(cfg_.mcp_servers)) tools_.push_back(std::move(t));

  auto base = git::checkpoint(repo_, ref_, "diffsmith: start of run " + cfg_.run_id);
  if (!base.ok()) return Verdict{RunStatus::Error, base.error().message, ExitCode::Repository};
  out_.start_commit = out_.end_commit = *base;
  events_.event(ev::RunStarted{cfg_.run_id, cfg_.model, repo_.root(), cfg_.test_cmd, cfg_.test_source,
                               cfg_.edit_format == edit::Format::Patch ? "patch" : "search-replace", *base,
                               continues_.run_id, cfg_.task});

  TestRun first;
  if (tested) {
    first = run_tests();
    if (auto stop = check_test_command(first)) return stop;
    if (!first.skipped) last_tests_ = first;
    out_.mode = first.passed && setup_task_.empty() ? RunMode::Change : RunMode::Fix;
  } else {
    out_.mode = RunMode::Untested;
  }
  events_.event(ev::Mode{mode_name(out_.mode)});

  InitialContext ctx;
  ctx.task = setup_task_.empty() ? cfg_.task : setup_task_ + "\n\nThen, the task:\n\n" + cfg_.task;
  ctx.test_cmd = cfg_.test_cmd;
  ctx.mode = out_.mode;
  ctx.reproduce = cfg_.reproduce;
  ctx.tree = file_tree(tool_ctx_.tracked, 1500);
  bool follow_up = !continues_.messages.empty();
  if (cfg_.map_tokens > 0 && !follow_up) ctx.repo_map = repo_map({}, cfg_.map_tokens);
  worktree::WorkdirSource source(repo_);
  for (const auto& path : cfg_.pinned) {
    auto content = source.read(path);
    std::string why = !content.ok()           ? content.error().message
                      : !content->has_value() ? "it does not exist in " + repo_.root()
                                              : "";
    if (!why.empty())
      return Verdict{RunStatus::Error, "pinned file -f " + path + ": " + why, ExitCode::Usage};
    std::string numbered;
    size_t n = 0;
    for (const auto& line : text::split_lines(**content)) numbered += edit::number_line(++n, line) + "\n";
    ctx.pinned.push_back({path, std::move(numbered)});
    tool_ctx_.worked_on.push_back(path);
  }
  ctx.first_test_result = first.for_model;
  if (!follow_up) {  // a follow-up's first message has them already
    Instructions instructions = load_instructions(repo_.root(), cfg_.instructions);
    if (!instructions.files.empty())
      events_.event(ev::Notice{"project instructions: " + instructions.summary()});
    ctx.instructions = std::move(instructions.text);
  }
  if (follow_up) {  // the conversation so far, byte for byte (the prompt cache hits), then the follow-up
    for (auto& m : continues_.messages) add_message(std::move(m));
    continues_.messages.clear();
    add_message(llm::Message::user(follow_up_message(ctx)));
    return std::nullopt;
  }
  PromptOptions po{cfg_.edit_format, {}, cfg_.hidden_tests, cfg_.collapse.enabled};
  for (const auto& t : tools_) po.tools.push_back(t.def.name);
  add_message(llm::Message::system(system_prompt(po)));
  add_message(llm::Message::user(initial_user_message(ctx)));
  return std::nullopt;
}

// A test command that cannot run, or runs and cannot test anything (no
// tests, tests that cannot be loaded, a missing runner: test_setup.hpp),
// makes every turn useless: stop before the first request (exit 2) with
// the command, what it printed and what to fix. --test-setup-to-model
// makes fixing it the model's task instead.
std::optional<Verdict> Session::check_test_command(const TestRun& first) {
  if (interrupted()) return Verdict{RunStatus::Interrupted, "interrupted"};
  std::string why, fix = "Pass a working -t \"COMMAND\", or --no-test to run without tests.";
  if (!first.ran) {
    why = "could not be started";
  } else if (first.timed_out) {
    why = "timed out at the start (after --test-timeout " + std::to_string(cfg_.test_timeout_s) +
          " s); fix the command or raise --test-timeout";
  } else if (SetupCheck setup = check_test_setup(first.exit_code, first.output);
             setup && (setup.runner == "shell" || cfg_.test_setup != RunConfig::TestSetup::Trust)) {
    if (cfg_.test_setup == RunConfig::TestSetup::Model) {
      setup_task_ = "The test command `" + cfg_.test_cmd + "` does not test anything yet: " + setup.what +
                    (setup.evidence.empty() ? "" : " (\"" + setup.evidence + "\")") +
                    ". First make it run the tests. " + setup.fix;
      events_.event(ev::Notice{"the test setup: " + setup.what +
                               "; fixing it is the model's task (--test-setup-to-model)"});
      return std::nullopt;
    }
    why = setup.runner == "shell" ? setup.what : "cannot test anything: " + setup.what;
    fix = setup.fix +
          " Or pass --test-setup-to-model to make fixing it the model's task, or --no-test to run "
          "without tests.";
  }
  if (why.empty()) return std::nullopt;
  std::string out = tail_excerpt(first.output, 15, std::string::npos);
  return Verdict{RunStatus::Error,
                 "the test command `" + cfg_.test_cmd + "` " + why + (out.empty() ? "" : ":\n" + out) +
                     "\nNo model request was made. " + fix,
                 ExitCode::Usage};
}

Result<llm::Turn> Session::ask_model() {
  llm::Request req;
  req.model = cfg_.model;
  if (Collapsed c = window_.update(messages_); !c.empty()) note_collapse(c, "older outputs were collapsed");
  req.messages = window_.view(messages_);
  for (const auto& t : tools_)
    if (t.offered()) req.tools.push_back(t.def);
  req.parallel_tool_calls = cfg_.parallel_tool_calls;
  req.generation = cfg_.generation;
  if (cfg_.max_wall_s > 0)  // a reply still streaming at --max-time is given up
    req.deadline =
        (cfg_.shared_budget ? cfg_.shared_budget->start() : started_) + std::chrono::seconds(cfg_.max_wall_s);
  // One key per conversation: a follow-up keeps its first run's.
  req.prompt_cache_key =
      "diffsmith-" + (continues_.first_run_id.empty() ? cfg_.run_id : continues_.first_run_id);
  auto on_text = [this](std::string_view s) { events_.model_text(s); };
  auto turn = client_.complete(req, on_text);
  if (!turn.ok() && turn.error().is(llm::ErrorKind::ContextLength)) {
    // Collapse every old output, keeping the newest turn's, and retry once.
    Collapsed c = window_.collapse_all_but_newest(messages_);
    if (c.empty()) return turn;
    note_collapse(c, "the context window was exceeded");
    req.messages = window_.view(messages_);
    turn = client_.complete(req, on_text);
  }
  return turn;
}

// ---------------------------------------------------------------- one turn

TurnResult Session::handle_turn(const llm::Turn& turn) {
  TurnResult t;
  record_turn(turn);
  run_tool_calls(turn, t);
  // No more edits or test runs once interrupted: run() ends the run, and
  // finish() checkpoints what was applied so far.
  if (interrupted()) return t;
  apply_text_edits(turn.text, t);
  if (turn.finish_reason == "length") {
    t.feedback.push_back(
        "Your reply was cut off at the output token limit. Be shorter: send fewer or smaller edit blocks per "
        "reply, and do not repeat unchanged code.");
  }
  if (t.files_changed) after_edit_hook();
  if (t.files_changed) test_and_checkpoint(t);
  return t;
}

void Session::record_turn(const llm::Turn& turn) {
  ++out_.turns;
  out_.usage += turn.usage;
  double cost = cfg_.cost_of ? cfg_.cost_of(cfg_.model, turn.usage) : -1;
  if (cfg_.shared_budget) cfg_.shared_budget->add(cost);  // --attempts: the budget of all attempts
  if (cost >= 0 && cost_known_)
    out_.cost_usd = out_.cost_usd.value_or(0) + cost;
  else
    cost_known_ = false, out_.cost_usd.reset();
  ev::ModelTurn mt;
  mt.turn = out_.turns;
  mt.finish_reason = turn.finish_reason;
  mt.prompt_tokens = turn.usage.prompt_tokens;
  mt.cached_tokens = turn.usage.cached_tokens;
  mt.completion_tokens = turn.usage.completion_tokens;
  if (cost >= 0) mt.cost_usd = cost;
  mt.latency_ms = static_cast<int64_t>(turn.latency.count());
  mt.request_id = turn.request_id;
  mt.status_line = status_line(turn, cost);
  events_.event(mt);
  if (!turn.text.empty()) events_.event(ev::AssistantText{out_.turns, turn.text});
  add_message(turn.as_message());
}

// Every call gets an answer (the API requires one per call id), but after
// Ctrl-C, a spent time budget or the per-turn cap, the answer is "not run".
void Session::run_tool_calls(const llm::Turn& turn, TurnResult& t) {
  t.tool_calls = !turn.tool_calls.empty();
  int run = 0;
  std::string stop_why;
  for (const auto& call : turn.tool_calls) {
    if (stop_why.empty() && interrupted()) stop_why = "the run was interrupted";
    if (stop_why.empty() && cfg_.max_wall_s > 0 &&
        std::chrono::steady_clock::now() - started_ >= std::chrono::seconds(cfg_.max_wall_s)) {
      stop_why = "the run's time limit (--max-time " + std::to_string(cfg_.max_wall_s) + " s) was reached";
      t.over_budget = true;
    }
    if (!stop_why.empty()) {
      add_message(llm::Message::tool(call.id, call.name, "Not run: " + stop_why + "."));
      continue;
    }
    if (++run > cfg_.max_tool_calls) {
      add_message(llm::Message::tool(call.id, call.name,
                                     "Not run: too many tool calls in one reply (the limit is " +
                                         std::to_string(cfg_.max_tool_calls) +
                                         "). Send it again in your next reply."));
      continue;
    }
    events_.event(ev::ToolCall{out_.turns, call.name, call.arguments, call.id});
    auto call_started = std::chrono::steady_clock::now();
    if (std::string blocked = before_tool_hook(call); !blocked.empty()) {
      tools::ToolOutcome refused;
      refused.content = "Error: " + blocked;
      refused.is_error = true;
      tool_result(call, refused, std::chrono::steady_clock::now() - call_started);
      add_message(llm::Message::tool(call.id, call.name, refused.content));
      continue;
    }
    tools::ToolOutcome o = [&] {
      bool command = call.name == "run_command";
      auto args = command ? json::parse(call.arguments) : Result<json::Value>(json::Value());
      ProgressTicker ticking(events_, command ? cfg_.progress_every : std::chrono::milliseconds(0),
                             {out_.turns, "command", args.ok() ? (*args)["command"].as_string() : "", 0});
      return tools::call_tool(tools_, call, tool_ctx_);
    }();
    if (tool_tests_) t.tests = std::move(tool_tests_), tool_tests_.reset();
    tool_result(call, o, std::chrono::steady_clock::now() - call_started);
    if (o.edit) {
      t.edit_attempted = true;
      note_edit_result(*o.edit, t);
      std::string repeats = repeat_notes(*o.edit);
      if (!repeats.empty()) o.content += "\n" + repeats;
    }
    if (o.tree_changes) {
      // Files a command wrote are edits: a diff event now; the checkpoint and
      // the test run after this turn, as for apply_edits.
      t.files_changed = unrecorded_edits_ = true;
      for (const auto& p : o.tree_changes->paths)
        if (std::find(edited_.begin(), edited_.end(), p) == edited_.end()) edited_.push_back(p);
      events_.event(ev::Diff{out_.turns, o.tree_changes->diff, "run_command"});
      if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
    }
    if (o.finish) {
      t.finish_called = true;
      t.summary = out_.summary = o.summary;
    }
    add_message(llm::Message::tool(call.id, call.name, o.content));
  }
}

void Session::apply_text_edits(const std::string& text, TurnResult& t) {
  if (text.find("<<<<<<<") == std::string::npos && text.find("*** Begin Patch") == std::string::npos) return;
  worktree::EditApplyOptions opts;
  opts.format = edit::Format::Auto;
  opts.partial = true;
  opts.other_candidates = tool_ctx_.worked_on;  // a block naming the wrong file
  opts.guard = tool_ctx_.guard;
  // A long reply stops being applied on Ctrl-C or at --max-time, as tool calls do.
  opts.stop = [this, &t]() -> std::string {
    if (interrupted()) return "the run was interrupted";
    if (cfg_.max_wall_s <= 0 ||
        std::chrono::steady_clock::now() - started_ < std::chrono::seconds(cfg_.max_wall_s))
      return {};
    t.over_budget = true;
    return "the run's time limit (--max-time " + std::to_string(cfg_.max_wall_s) + " s) was reached";
  };
  worktree::EditApplyResult r = worktree::apply_edit_text(repo_, text, opts);
  if (r.plan.results.empty() && r.parsed.errors.empty()) return;  // markers quoted in prose, no edit
  t.edit_attempted = true;
  note_edit_result(r, t);
  tools::remember_edited_files(tool_ctx_, r);
  std::string fb = "Edits found in your message text: " + worktree::feedback_for_model(r);
  std::string repeats = repeat_notes(r);
  if (!repeats.empty()) fb += "\n" + repeats;
  t.feedback.push_back(std::move(fb));
}

void Session::test_and_checkpoint(TurnResult& t) {
  checkpoint("diffsmith: turn " + std::to_string(out_.turns));
  if (out_.mode == RunMode::Untested) return;
  TestRun run = run_tests();
  if (!run.passed && !interrupted()) {
    t.feedback.push_back("The test command fails after your changes:\n\n" + run.for_model);
    t.test_outputs.push_back(run.for_model);
  }
  if (!run.skipped) t.tests = std::move(run);
}

// The verdict (DESIGN.md, "The verdict"): the turn's checks, then the turn
// and the run's history judged by agent::decide (decide.cpp), then acted on.
std::optional<Verdict> Session::conclude(TurnResult& t) {
  if (interrupted()) return std::nullopt;  // next_turn() ends the run
  if (cfg_.reproduce) check_reproduction(t);
  recheck_failures(t);
  if (interrupted()) return std::nullopt;
  History h = history();
  Guidance g = guide(out_.mode, t, h);
  if (!g.notice.empty()) events_.event(ev::Notice{g.notice});
  if (auto verdict = decide(out_.mode, t, h)) return verdict;
  stalls_ = g.stalls;
  for (auto& part : g.feedback) t.feedback.push_back(std::move(part));
  for (auto& part : g.test_outputs) t.test_outputs.push_back(std::move(part));
  send_feedback(t);
  return std::nullopt;
}

History Session::history() {
  History h;
  h.last_tests = last_tests_;
  h.stalls = stalls_;
  h.has_edits = !edited_.empty();
  h.change = changed_code();
  h.change_only_tests = only_test_files(h.change, command_files_);
  h.allow_test_edits = cfg_.allow_test_edits;
  h.reproduce = cfg_.reproduce;
  h.repro_set = repro_.has_value();
  h.repro_failed_on_base = repro_ && repro_->failed_on_base;
  h.repro_passes_now = repro_ && repro_->passes_now;
  return h;
}

// Tests that passed on the base and fail now count against the change, but
// only once a second run on the unchanged tree agrees: a test whose result
// flips is flaky, reported, and never counted. The second run is paid for
// only when the verdict turns on it.
void Session::recheck_failures(TurnResult& t) {
  const TestDelta& delta = (t.tests ? *t.tests : last_tests_).delta;
  if (!delta.known || delta.regressions.empty() || t.over_budget || out_.mode == RunMode::Untested) return;
  bool matters = t.model_stopped() || (cfg_.reproduce && repro_ && repro_->passes_now);
  if (!matters) return;
  std::vector<std::string> first = delta.regressions;
  TestRun again = run_tests();
  if (again.skipped) return;
  t.tests = std::move(again);
  std::vector<std::string>& now = t.tests->delta.regressions;
  if (!t.tests->delta.known) return;
  std::vector<std::string> flipped;
  for (const auto& id : first)
    if (std::find(now.begin(), now.end(), id) == now.end()) flipped.push_back(id);
  for (const auto& id : now)
    if (std::find(first.begin(), first.end(), id) == first.end()) flipped.push_back(id);
  if (flipped.empty()) return;
  for (const auto& id : flipped)
    if (std::find(flaky_.begin(), flaky_.end(), id) == flaky_.end()) flaky_.push_back(id);
  std::erase_if(now, [&](const std::string& id) {
    return std::find(flaky_.begin(), flaky_.end(), id) != flaky_.end();
  });
  std::string list;
  for (const auto& id : flipped) list += (list.empty() ? "" : ", ") + id;
  events_.event(ev::Notice{"flaky: " + list +
                           " changed result between two runs on the same tree; not counted as a regression"});
  t.feedback.push_back(
      "Flaky tests (their result changed between two runs on the same tree; they do not count "
      "against your change): " +
      list + ".");
}

void Session::send_feedback(const TurnResult& t) {
  if (t.feedback.empty()) return;
  std::string msg;
  for (const auto& part : t.feedback) msg += (msg.empty() ? "" : "\n\n") + part;
  add_message(llm::Message::user(std::move(msg)), t.test_outputs);
}

// ---------------------------------------------------------------- helpers

void Session::note_edit_result(const worktree::EditApplyResult& r, TurnResult& t) {
  for (const auto& b : r.plan.results) {
    events_.event(ev::Edit{out_.turns, b.index, b.path, b.applied, b.level, b.error, b.note});
  }
  if (!r.write_error.empty()) events_.event(ev::Notice{"edits not written: " + r.write_error});
  if (tool_ctx_.guard)
    for (auto& n : tool_ctx_.guard->take_notes()) events_.event(ev::Notice{std::move(n)});
  if (!r.written) return;
  t.files_changed = unrecorded_edits_ = true;
  for (const auto& c : r.plan.changes)
    if (std::find(edited_.begin(), edited_.end(), c.path) == edited_.end()) edited_.push_back(c.path);
  events_.event(ev::Diff{out_.turns, r.diff, ""});
  if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
  // New files are not tracked yet; list them too so the model can find them.
  for (const auto& c : r.plan.changes)
    if (!c.before && c.after &&
        std::find(tool_ctx_.tracked.begin(), tool_ctx_.tracked.end(), c.path) == tool_ctx_.tracked.end())
      tool_ctx_.tracked.push_back(c.path);
}

std::string Session::repo_map(const std::vector<std::string>& focus, size_t tokens) {
  repomap::MapOptions o;
  o.max_tokens = tokens;
  o.terms = {cfg_.task};
  o.terms.insert(o.terms.end(), focus.begin(), focus.end());
  o.focus_files = cfg_.pinned;
  o.focus_files.insert(o.focus_files.end(), edited_.begin(), edited_.end());
  for (const auto& f : focus)
    if (f.find('/') != std::string::npos || f.find('.') != std::string::npos) o.focus_files.push_back(f);
  auto map = repomap::build_map(repo_.root(), o);
  return map.ok() ? *map : std::string();
}

void Session::checkpoint(const std::string& message) {
  auto c = git::checkpoint(repo_, ref_, message);
  ev::Checkpoint event{out_.turns, ref_, std::nullopt, ""};
  if (c.ok()) {
    out_.end_commit = *c;
    unrecorded_edits_ = false;
    event.commit = *c;
  } else {
    event.error = c.error().message;
  }
  events_.event(event);
}

void Session::add_message(llm::Message m, const std::vector<std::string>& test_outputs) {
  events_.message(message_json(m));
  messages_.push_back(std::move(m));
  window_.added(messages_, test_outputs);
}

// The user sees a notice; the model a note after the newest messages.
void Session::note_collapse(const Collapsed& c, const char* why) {
  std::string turns = c.first_turn == c.last_turn
                          ? "turn " + std::to_string(c.first_turn)
                          : "turns " + std::to_string(c.first_turn) + "-" + std::to_string(c.last_turn);
  std::string what = std::to_string(c.outputs) + " tool or test output(s) of " + turns +
                     " were collapsed to one-line stubs (~" + std::to_string(c.tokens_saved) +
                     " tokens saved)";
  events_.event(ev::Notice{std::string("context: ") + why + ": " + what});
  add_message(llm::Message::user("Note: to keep the context small, " + what +
                                 ". Make the call again if you need one of them."));
}

namespace {
// A budget as the user wrote it: 0.005 stays 0.005, 2 is 2.00.
std::string money(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", usd);
  if (std::abs(std::strtod(buf, nullptr) - usd) > 1e-12) std::snprintf(buf, sizeof buf, "%.10g", usd);
  return buf;
}
}  // namespace

std::string Session::budget_exceeded() const {
  if (out_.turns >= cfg_.max_turns)
    return "turn limit reached (--max-turns " + std::to_string(cfg_.max_turns) + ")";
  // --attempts: cost and time count for all attempts together.
  std::optional<double> cost = cfg_.shared_budget ? cfg_.shared_budget->spent() : out_.cost_usd;
  if (cfg_.max_cost > 0 && cost && *cost >= cfg_.max_cost) {
    char spent[32];
    std::snprintf(spent, sizeof spent, "$%.4f", *cost);
    return std::string("cost limit reached (") + spent + " of --max-cost " + money(cfg_.max_cost) +
           (cfg_.shared_budget ? ", all attempts together)" : ")");
  }
  auto elapsed =
      std::chrono::steady_clock::now() - (cfg_.shared_budget ? cfg_.shared_budget->start() : started_);
  if (cfg_.max_wall_s > 0 && elapsed >= std::chrono::seconds(cfg_.max_wall_s))
    return "wall-time limit reached (--max-time " + std::to_string(cfg_.max_wall_s) + " s)";
  return {};
}

}  // namespace ds::agent
