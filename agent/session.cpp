// The agent loop. Reads top to bottom like the pipeline it runs:
// start (checkpoint, first test run → mode, context) → ask model → handle its
// turn (record, tools, text edits, test and checkpoint, decide, feedback).
// The rules that end a run are in decide() and conclude(), in one place.
#include "agent/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "agent/context.hpp"
#include "agent/test_paths.hpp"
#include "agent/trajectory.hpp"
#include "edit/line_numbers.hpp"
#include "edit/parse.hpp"
#include "exec/trim.hpp"
#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "git/workdir_source.hpp"
#include "repomap/map.hpp"
#include "text/duration.hpp"
#include "text/lines.hpp"

namespace ds::agent {

namespace {
constexpr int kMaxStalls = 3;
const char* kDropped = "[output removed to fit the context window]";

// `sh -c` reports an unknown command as "sh: 1: NAME: not found" (dash) or
// "NAME: command not found" (bash), exit 127.
bool shell_said_not_found(const std::string& output) {
  for (const auto& line : text::split_lines(output)) {
    bool sh = line.rfind("sh: ", 0) == 0 || line.rfind("/bin/sh: ", 0) == 0 || line.rfind("bash: ", 0) == 0;
    if (sh && (line.ends_with(": not found") || line.ends_with(": command not found"))) return true;
  }
  return false;
}

}  // namespace

Session::Session(const RunConfig& cfg, git::Repository& repo, llm::Client& client,
                 exec::ProcessRunner& runner, EventSink& events, const std::atomic<bool>* interrupted)
    : cfg_(cfg), repo_(repo), client_(client), runner_(runner), events_(events), interrupted_(interrupted) {
  ref_ = "refs/diffsmith/" + cfg_.run_id;
}

RunOutcome Session::run() {
  started_ = std::chrono::steady_clock::now();
  if (!start()) return out_;
  while (out_.exit_code < 0) {
    if (interrupted()) {
      finish(RunStatus::Interrupted, "interrupted");
      break;
    }
    if (std::string why = budget_exceeded(); !why.empty()) {
      finish(RunStatus::Unsolved, why);
      break;
    }
    auto turn = ask_model();
    if (!turn.ok()) {
      if (turn.error().is(llm::ErrorKind::Interrupted) || interrupted())
        finish(RunStatus::Interrupted, "interrupted");
      else
        finish(RunStatus::Error, turn.error().message);
      break;
    }
    handle_turn(*turn);
  }
  return out_;
}

// ---------------------------------------------------------------- start

bool Session::start() {
  tool_ctx_.repo = &repo_;
  tool_ctx_.root = repo_.root();
  tool_ctx_.interrupted = interrupted_;  // search stops on Ctrl-C
  auto tracked = git::tracked_files(repo_);
  if (!tracked.ok()) {
    finish(RunStatus::Error, tracked.error().message, 4);
    return false;
  }
  tool_ctx_.tracked = std::move(*tracked);
  bool tested = !cfg_.test_cmd.empty();
  if (tested) tool_ctx_.run_tests = [this] { return run_tests().for_model; };
  if (cfg_.map_tokens > 0) {
    tool_ctx_.repo_map = [this](const std::vector<std::string>& focus) {
      return repo_map(focus, cfg_.map_tokens);
    };
  }
  tool_ctx_.commands = cfg_.command_runner.get();
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
  if (!base.ok()) {
    finish(RunStatus::Error, base.error().message, 4);
    return false;
  }
  out_.start_commit = out_.end_commit = *base;
  out_.exit_code = -1;  // running
  events_.event(ev::RunStarted{cfg_.run_id, cfg_.model, repo_.root(), cfg_.test_cmd, cfg_.test_source,
                               cfg_.edit_format == edit::Format::Patch ? "patch" : "search-replace", *base,
                               continues_.run_id, cfg_.task});

  TestRun first;
  if (tested) {
    first = run_tests();
    if (!check_test_command(first)) return false;
    out_.mode = first.passed ? RunMode::Change : RunMode::Fix;
  } else {
    out_.mode = RunMode::Untested;
  }
  events_.event(ev::Mode{mode_name(out_.mode)});

  InitialContext ctx;
  ctx.task = cfg_.task;
  ctx.test_cmd = cfg_.test_cmd;
  ctx.mode = out_.mode;
  ctx.reproduce = cfg_.reproduce;
  ctx.tree = file_tree(tool_ctx_.tracked, 1500);
  bool follow_up = !continues_.messages.empty();
  if (cfg_.map_tokens > 0 && !follow_up) ctx.repo_map = repo_map({}, cfg_.map_tokens);
  git::WorkdirSource source(repo_);
  for (const auto& path : cfg_.pinned) {
    auto content = source.read(path);
    std::string why = !content.ok()           ? content.error().message
                      : !content->has_value() ? "it does not exist in " + repo_.root()
                                              : "";
    if (!why.empty()) {
      finish(RunStatus::Error, "pinned file -f " + path + ": " + why, 2);
      return false;
    }
    std::string numbered;
    size_t n = 0;
    for (const auto& line : text::split_lines(**content)) numbered += edit::number_line(++n, line) + "\n";
    ctx.pinned.push_back({path, std::move(numbered)});
    tool_ctx_.worked_on.push_back(path);
  }
  ctx.first_test_result = first.for_model;
  if (follow_up) {  // the conversation so far, byte for byte (the prompt cache hits), then the follow-up
    for (auto& m : continues_.messages) add_message(std::move(m));
    continues_.messages.clear();
    add_message(llm::Message::user(follow_up_message(ctx)));
    return true;
  }
  add_message(llm::Message::system(system_prompt(cfg_.edit_format)));
  add_message(llm::Message::user(initial_user_message(ctx)));
  return true;
}

// A test command that cannot run makes every turn useless: stop before the
// first request (exit 2) with the command and what it printed.
bool Session::check_test_command(const TestRun& first) {
  if (interrupted()) {
    finish(RunStatus::Interrupted, "interrupted");
    return false;
  }
  std::string why;
  if (!first.ran)
    why = "could not be started";
  else if (first.timed_out)
    why = "timed out at the start (after --test-timeout " + std::to_string(cfg_.test_timeout_s) +
          " s); fix the command or raise --test-timeout";
  else if (first.exit_code == 126)
    why = "cannot run (exit 126: not executable)";
  else if (first.exit_code == 127 || (first.exit_code != 0 && shell_said_not_found(first.output)))
    why = "cannot run (exit " + std::to_string(first.exit_code) + ": command not found)";
  if (why.empty()) return true;
  std::string out = tail_excerpt(first.output, 15, std::string::npos);
  finish(RunStatus::Error,
         "the test command `" + cfg_.test_cmd + "` " + why + (out.empty() ? "" : ":\n" + out) +
             "\nNo model request was made. Pass a working -t \"COMMAND\", or --no-test to run without tests.",
         2);
  return false;
}

Result<llm::Turn> Session::ask_model() {
  llm::Request req;
  req.model = cfg_.model;
  req.messages = messages_;
  for (const auto& t : tools_)
    if (t.offered()) req.tools.push_back(t.def);
  req.parallel_tool_calls = cfg_.parallel_tool_calls;
  req.generation = cfg_.generation;
  // One key per conversation: a follow-up keeps its first run's.
  req.prompt_cache_key =
      "diffsmith-" + (continues_.first_run_id.empty() ? cfg_.run_id : continues_.first_run_id);
  auto on_text = [this](std::string_view s) { events_.model_text(s); };
  auto turn = client_.complete(req, on_text);
  if (!turn.ok() && turn.error().is(llm::ErrorKind::ContextLength)) {
    // Drop old tool outputs, keeping the newest, and retry once.
    int newest = -1;
    for (int i = static_cast<int>(messages_.size()) - 1; i >= 0; --i)
      if (messages_[i].role == llm::Role::Tool) {
        newest = i;
        break;
      }
    for (int i = 0; i < newest; ++i)
      if (messages_[i].role == llm::Role::Tool) messages_[i].content = kDropped;
    events_.event(ev::Notice{"context window exceeded: dropped old tool outputs and retrying once"});
    req.messages = messages_;
    turn = client_.complete(req, on_text);
  }
  return turn;
}

// ---------------------------------------------------------------- one turn

void Session::handle_turn(const llm::Turn& turn) {
  TurnState ts;
  record_turn(turn);
  run_tool_calls(turn, ts);
  // No more edits or test runs once interrupted: run() ends the run, and
  // finish() checkpoints what was applied so far.
  if (interrupted()) return;
  apply_text_edits(turn.text, ts);
  if (turn.finish_reason == "length") {
    ts.feedback.push_back(
        "Your reply was cut off at the output token limit. Be shorter: send fewer or smaller edit blocks per "
        "reply, and do not repeat unchanged code.");
  }
  if (ts.files_changed) after_edit_hook();
  if (ts.files_changed) test_and_checkpoint(ts);
  decide(turn, ts);
  if (out_.exit_code < 0) send_feedback(ts);
}

void Session::record_turn(const llm::Turn& turn) {
  ++out_.turns;
  out_.usage += turn.usage;
  double cost = cfg_.cost_of ? cfg_.cost_of(cfg_.model, turn.usage) : -1;
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
  mt.status_line = status_line();
  events_.event(mt);
  if (!turn.text.empty()) events_.event(ev::AssistantText{out_.turns, turn.text});
  add_message(turn.as_message());
}

// Every call gets an answer (the API requires one per call id), but after
// Ctrl-C, a spent time budget or the per-turn cap, the answer is "not run".
void Session::run_tool_calls(const llm::Turn& turn, TurnState& ts) {
  ts.tool_calls = !turn.tool_calls.empty();
  int run = 0;
  std::string stop_why;
  for (const auto& call : turn.tool_calls) {
    if (stop_why.empty() && interrupted()) stop_why = "the run was interrupted";
    if (stop_why.empty() && cfg_.max_wall_s > 0 &&
        std::chrono::steady_clock::now() - started_ >= std::chrono::seconds(cfg_.max_wall_s)) {
      stop_why = "the run's time limit (--max-time " + std::to_string(cfg_.max_wall_s) + " s) was reached";
      ts.over_budget = true;
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
    events_.event(ev::ToolCall{out_.turns, call.name, call.arguments});
    if (std::string blocked = before_tool_hook(call); !blocked.empty()) {
      add_message(llm::Message::tool(call.id, call.name, "Error: " + blocked));
      continue;
    }
    tools::ToolOutcome o = tools::call_tool(tools_, call, tool_ctx_);
    if (o.edit) {
      ts.edit_attempted = true;
      note_edit_result(*o.edit, ts);
      std::string repeats = repeat_notes(*o.edit);
      if (!repeats.empty()) o.content += "\n" + repeats;
    }
    if (o.tree_changes) {
      // Files a command wrote are edits: a diff event now; the checkpoint and
      // the test run after this turn, as for apply_edits.
      ts.files_changed = unrecorded_edits_ = true;
      for (const auto& p : o.tree_changes->paths)
        if (std::find(edited_.begin(), edited_.end(), p) == edited_.end()) edited_.push_back(p);
      events_.event(ev::Diff{out_.turns, o.tree_changes->diff, "run_command"});
      if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
    }
    if (o.finish) {
      ts.finish_called = true;
      out_.summary = o.summary;
    }
    add_message(llm::Message::tool(call.id, call.name, o.content));
  }
}

void Session::apply_text_edits(const std::string& text, TurnState& ts) {
  if (text.find("<<<<<<<") == std::string::npos && text.find("*** Begin Patch") == std::string::npos) return;
  git::EditApplyOptions opts;
  opts.format = edit::Format::Auto;
  opts.partial = true;
  opts.other_candidates = tool_ctx_.worked_on;  // a block naming the wrong file
  // A long reply stops being applied on Ctrl-C or at --max-time, as tool calls do.
  opts.stop = [this, &ts]() -> std::string {
    if (interrupted()) return "the run was interrupted";
    if (cfg_.max_wall_s <= 0 ||
        std::chrono::steady_clock::now() - started_ < std::chrono::seconds(cfg_.max_wall_s))
      return {};
    ts.over_budget = true;
    return "the run's time limit (--max-time " + std::to_string(cfg_.max_wall_s) + " s) was reached";
  };
  git::EditApplyResult r = git::apply_edit_text(repo_, text, opts);
  if (r.plan.results.empty() && r.parsed.errors.empty()) return;  // markers quoted in prose, no edit
  ts.edit_attempted = true;
  note_edit_result(r, ts);
  tools::remember_edited_files(tool_ctx_, r);
  std::string fb = "Edits found in your message text: " + git::feedback_for_model(r);
  std::string repeats = repeat_notes(r);
  if (!repeats.empty()) fb += "\n" + repeats;
  ts.feedback.push_back(std::move(fb));
}

void Session::test_and_checkpoint(TurnState& ts) {
  checkpoint("diffsmith: turn " + std::to_string(out_.turns));
  stalls_ = 0;  // a change was applied: the model is making progress
  if (out_.mode == RunMode::Untested) return;
  TestRun t = run_tests();
  if (!t.passed && !interrupted())
    ts.feedback.push_back("The test command fails after your changes:\n\n" + t.for_model);
}

// The verdict (DESIGN.md, "The verdict"): the facts of the turn and the
// run, judged by agent::decide (verdict.cpp), then acted on.
void Session::decide(const llm::Turn& turn, TurnState& ts) {
  if (interrupted()) return;
  if (cfg_.reproduce) check_reproduction(ts);
  recheck_failures(ts);
  if (interrupted()) return;
  std::string explanation = out_.summary.empty() ? turn.text : out_.summary;
  Verdict v = agent::decide(TurnFacts{ts.model_stopped(), ts.finish_called, ts.over_budget}, run_facts());
  if (!v.notice.empty()) events_.event(ev::Notice{v.notice});
  switch (v.kind) {
    case Verdict::Kind::Solved:
      conclude(RunStatus::Solved, v.reason, explanation);
      return;
    case Verdict::Kind::Done:
      conclude(RunStatus::Done, v.reason, explanation);
      return;
    case Verdict::Kind::Stall:
      stall(v, ts);
      return;
    case Verdict::Kind::GoOn:
      for (auto& part : v.feedback) ts.feedback.push_back(std::move(part));
      return;
  }
}

RunFacts Session::run_facts() {
  RunFacts f;
  f.mode = out_.mode;
  f.has_edits = !edited_.empty();
  f.tests_passed = last_tests_passed_;
  f.delta = delta_;
  f.change = changed_code();
  f.change_only_tests = only_test_files(f.change, command_files_);
  f.allow_test_edits = cfg_.allow_test_edits;
  f.reproduce = cfg_.reproduce;
  f.repro_set = repro_.has_value();
  f.repro_failed_on_base = repro_ && repro_->failed_on_base;
  f.repro_passes_now = repro_ && repro_->passes_now;
  return f;
}

// Tests that passed on the base and fail now count against the change, but
// only once a second run on the unchanged tree agrees: a test whose result
// flips is flaky, reported, and never counted. The second run is paid for
// only when the verdict turns on it.
void Session::recheck_failures(TurnState& ts) {
  if (!delta_.known || delta_.regressions.empty() || ts.over_budget || out_.mode == RunMode::Untested) return;
  bool matters = ts.model_stopped() || (cfg_.reproduce && repro_ && repro_->passes_now);
  if (!matters) return;
  std::vector<std::string> first = delta_.regressions;
  (void)run_tests();
  if (!delta_.known) return;
  std::vector<std::string> flipped;
  for (const auto& id : first)
    if (std::find(delta_.regressions.begin(), delta_.regressions.end(), id) == delta_.regressions.end())
      flipped.push_back(id);
  for (const auto& id : delta_.regressions)
    if (std::find(first.begin(), first.end(), id) == first.end()) flipped.push_back(id);
  if (flipped.empty()) return;
  for (const auto& id : flipped)
    if (std::find(flaky_.begin(), flaky_.end(), id) == flaky_.end()) flaky_.push_back(id);
  std::erase_if(delta_.regressions, [&](const std::string& id) {
    return std::find(flaky_.begin(), flaky_.end(), id) != flaky_.end();
  });
  std::string list;
  for (const auto& id : flipped) list += (list.empty() ? "" : ", ") + id;
  events_.event(ev::Notice{"flaky: " + list +
                           " changed result between two runs on the same tree; not counted as a regression"});
  ts.feedback.push_back(
      "Flaky tests (their result changed between two runs on the same tree; they do not count "
      "against your change): " +
      list + ".");
}

// A stall: the model stopped while the task is not done. Three in a row
// (without an applied change between them) end the run as unsolved.
void Session::stall(const Verdict& v, TurnState& ts) {
  if (++stalls_ >= kMaxStalls) {
    finish(RunStatus::Unsolved,
           "the model stopped " + std::to_string(kMaxStalls) + " times while " + v.unmet);
    return;
  }
  if (v.show_tests)
    ts.feedback.push_back(
        v.why +
        ". Keep working until it passes: read the failing output, find the cause, and edit the "
        "code.\n\n" +
        last_test_text_);
  else
    ts.feedback.push_back(v.why + ".");
}

void Session::send_feedback(TurnState& ts) {
  if (ts.feedback.empty()) return;
  std::string msg;
  for (const auto& part : ts.feedback) msg += (msg.empty() ? "" : "\n\n") + part;
  add_message(llm::Message::user(std::move(msg)));
}

void Session::conclude(RunStatus status, std::string reason, const std::string& explanation) {
  if (out_.summary.empty()) out_.summary = explanation;
  finish(status, std::move(reason));
}

// ---------------------------------------------------------------- helpers

void Session::note_edit_result(const git::EditApplyResult& r, TurnState& ts) {
  for (const auto& b : r.plan.results) {
    events_.event(ev::Edit{out_.turns, b.index, b.path, b.applied, b.level, b.error, b.note});
  }
  if (!r.write_error.empty()) events_.event(ev::Notice{"edits not written: " + r.write_error});
  if (!r.written) return;
  ts.files_changed = unrecorded_edits_ = true;
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

void Session::add_message(llm::Message m) {
  events_.message(message_json(m));
  messages_.push_back(std::move(m));
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
  if (cfg_.max_cost > 0 && out_.cost_usd && *out_.cost_usd >= cfg_.max_cost) {
    char spent[32];
    std::snprintf(spent, sizeof spent, "$%.4f", *out_.cost_usd);
    return std::string("cost limit reached (") + spent + " of --max-cost " + money(cfg_.max_cost) + ")";
  }
  auto elapsed = std::chrono::steady_clock::now() - started_;
  if (cfg_.max_wall_s > 0 && elapsed >= std::chrono::seconds(cfg_.max_wall_s))
    return "wall-time limit reached (--max-time " + std::to_string(cfg_.max_wall_s) + " s)";
  return {};
}

}  // namespace ds::agent
