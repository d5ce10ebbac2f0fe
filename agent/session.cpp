// The agent loop. Reads top to bottom like the pipeline it runs:
// start (checkpoint, first test run, context) → ask model → handle its turn
// (tools, edits) → test if files changed → checkpoint → decide.
#include "agent/session.hpp"

#include <algorithm>
#include <cstdio>

#include "agent/context.hpp"
#include "edit/line_numbers.hpp"
#include "edit/parse.hpp"
#include "exec/trim.hpp"
#include "git/checkpoint.hpp"
#include "git/diff.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "repomap/map.hpp"
#include "git/workdir_source.hpp"
#include "text/lines.hpp"

namespace ds::agent {

namespace {
constexpr int kMaxStalls = 3;
const char* kDropped = "[output removed to fit the context window]";
}  // namespace

json::Value message_json(const llm::Message& m);  // agent/messages_json.cpp

Session::Session(const RunConfig& cfg, git::Repository& repo, llm::Client& client, exec::ProcessRunner& runner,
                 EventSink& events, const std::atomic<bool>* interrupted)
    : cfg_(cfg), repo_(repo), client_(client), runner_(runner), events_(events), interrupted_(interrupted) {
  ref_ = "refs/diffsmith/" + cfg_.run_id;
}

RunOutcome Session::run() {
  started_ = std::chrono::steady_clock::now();
  Status st = start();
  if (!st.ok()) {
    finish(RunStatus::Error, st.error().message);
    out_.exit_code = 4;
    return out_;
  }
  while (out_.exit_code < 0) {
    if (interrupted()) { finish(RunStatus::Interrupted, "interrupted"); break; }
    if (stop_for_budget()) break;
    auto turn = ask_model();
    if (!turn.ok()) {
      if (turn.error().kind == llm::kErrInterrupted || interrupted()) finish(RunStatus::Interrupted, "interrupted");
      else finish(RunStatus::Error, turn.error().message);
      break;
    }
    handle_turn(*turn);
  }
  return out_;
}

Status Session::start() {
  tool_ctx_.repo = &repo_;
  tool_ctx_.root = repo_.root();
  auto tracked = git::tracked_files(repo_);
  if (!tracked.ok()) return tracked.error();
  tool_ctx_.tracked = std::move(*tracked);
  tool_ctx_.run_tests = [this] {
    TestRun t = run_tests();
    return t.for_model;
  };
  if (cfg_.map_tokens > 0) {
    tool_ctx_.repo_map = [this](const std::vector<std::string>& focus) { return repo_map(focus, cfg_.map_tokens); };
  }
  tool_ctx_.commands = cfg_.command_runner.get();
  tool_ctx_.command_timeout_s = cfg_.command_timeout_s;
  tool_ctx_.command_output_tokens = cfg_.test_output_tokens;
  tool_ctx_.pass_env = cfg_.pass_env;
  tools_ = tools::make_tools(cfg_.edit_format, static_cast<bool>(tool_ctx_.repo_map),
                             tool_ctx_.commands != nullptr);

  auto base = git::checkpoint(repo_, ref_, "diffsmith: start of run " + cfg_.run_id);
  if (!base.ok()) return base.error();
  out_.start_commit = out_.end_commit = *base;
  out_.exit_code = -1;  // running
  json::Value started = json::Value::object();
  started.set("type", "run_started").set("run_id", cfg_.run_id).set("model", cfg_.model);
  started.set("repo", repo_.root()).set("test_cmd", cfg_.test_cmd);
  started.set("edit_format", cfg_.edit_format == edit::Format::Patch ? "patch" : "search-replace");
  started.set("checkpoint", *base);
  events_.event(started);

  TestRun first = run_tests();
  InitialContext ctx;
  ctx.task = cfg_.task;
  ctx.test_cmd = cfg_.test_cmd;
  ctx.tree = file_tree(tool_ctx_.tracked, 1500);
  if (cfg_.map_tokens > 0) ctx.repo_map = repo_map({}, cfg_.map_tokens);
  git::WorkdirSource source(repo_);
  for (const auto& path : cfg_.pinned) {
    auto content = source.read(path);
    if (!content.ok()) return make_error("pinned file -f " + path + ": " + content.error().message);
    if (!content->has_value()) return make_error("pinned file -f " + path + " does not exist in " + repo_.root());
    std::string numbered;
    size_t n = 0;
    for (const auto& line : text::split_lines(**content)) numbered += edit::number_line(++n, line) + "\n";
    ctx.pinned.push_back({path, std::move(numbered)});
  }
  ctx.first_test_result = first.for_model;
  add_message(llm::Message::system(system_prompt(cfg_.edit_format)));
  add_message(llm::Message::user(initial_user_message(ctx)));
  return Ok{};
}

Result<llm::Turn> Session::ask_model() {
  llm::Request req;
  req.model = cfg_.model;
  req.messages = messages_;
  for (const auto& t : tools_) req.tools.push_back(t.def);
  req.parallel_tool_calls = cfg_.parallel_tool_calls;
  req.prompt_cache_key = "diffsmith-" + cfg_.run_id;
  auto on_text = [this](std::string_view s) { events_.model_text(s); };
  auto turn = client_.complete(req, on_text);
  if (!turn.ok() && turn.error().kind == llm::kErrContextLength) {
    // Drop old tool outputs, keeping the newest, and retry once.
    int newest = -1;
    for (int i = static_cast<int>(messages_.size()) - 1; i >= 0; --i)
      if (messages_[i].role == llm::Role::Tool) { newest = i; break; }
    for (int i = 0; i < newest; ++i)
      if (messages_[i].role == llm::Role::Tool) messages_[i].content = kDropped;
    json::Value note = json::Value::object();
    note.set("type", "notice").set("message", "context window exceeded: dropped old tool outputs and retrying once");
    events_.event(note);
    req.messages = messages_;
    turn = client_.complete(req, on_text);
  }
  return turn;
}

void Session::handle_turn(const llm::Turn& turn) {
  ++out_.turns;
  out_.usage += turn.usage;
  double cost = cfg_.cost_of ? cfg_.cost_of(cfg_.model, turn.usage) : -1;
  if (cost >= 0 && cost_known_) out_.cost_usd = out_.cost_usd.value_or(0) + cost;
  else cost_known_ = false, out_.cost_usd.reset();
  json::Value ev = json::Value::object();
  ev.set("type", "model_turn").set("turn", out_.turns).set("finish_reason", turn.finish_reason);
  ev.set("usage", json::Value::object()
                      .set("prompt_tokens", turn.usage.prompt_tokens)
                      .set("cached_tokens", turn.usage.cached_tokens)
                      .set("completion_tokens", turn.usage.completion_tokens));
  ev.set("cost_usd", cost >= 0 ? json::Value(cost) : json::Value());
  ev.set("latency_ms", static_cast<int64_t>(turn.latency.count())).set("request_id", turn.request_id);
  ev.set("status_line", status_line());
  events_.event(ev);
  add_message(turn.as_message());

  files_changed_ = false;
  finish_called_ = false;
  for (const auto& call : turn.tool_calls) {
    if (interrupted()) {
      // Ctrl-C: answer the remaining calls without running them, so nothing
      // changes after the user asked to stop.
      add_message(llm::Message::tool(call.id, call.name, "Not run: the run was interrupted."));
      continue;
    }
    json::Value tc = json::Value::object();
    tc.set("type", "tool_call").set("turn", out_.turns).set("name", call.name).set("arguments", call.arguments);
    events_.event(tc);
    tools::ToolOutcome o = tools::call_tool(tools_, call, tool_ctx_);
    if (o.edit) {
      note_edit_result(*o.edit);
      std::string repeats = repeat_notes(*o.edit);
      if (!repeats.empty()) o.content += "\n" + repeats;
    }
    if (o.tree_changes) {
      // Files a command wrote are edits: a diff event now; the checkpoint and
      // the test run after this turn, as for apply_edits.
      files_changed_ = any_change_ = unrecorded_edits_ = true;
      for (const auto& p : o.tree_changes->paths)
        if (std::find(edited_.begin(), edited_.end(), p) == edited_.end()) edited_.push_back(p);
      json::Value d = json::Value::object();
      d.set("type", "diff")
          .set("turn", out_.turns)
          .set("diff", o.tree_changes->diff)
          .set("source", "run_command");
      events_.event(d);
      if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
    }
    if (o.finish) {
      finish_called_ = true;
      out_.summary = o.summary;
    }
    add_message(llm::Message::tool(call.id, call.name, o.content));
  }
  // No more edits or test runs once interrupted: run() ends the run, and
  // finish() checkpoints what was applied so far.
  if (interrupted()) return;
  apply_text_edits(turn.text);
  if (turn.finish_reason == "length") {
    pending_feedback_.push_back(
        "Your reply was cut off at the output token limit. Be shorter: send fewer or smaller edit blocks per "
        "reply, and do not repeat unchanged code.");
  }

  if (files_changed_) {
    checkpoint("diffsmith: turn " + std::to_string(out_.turns));
    TestRun t = run_tests();
    if (t.passed) {
      finish(RunStatus::Solved, "tests pass");
      return;
    }
    pending_feedback_.push_back("The test command still fails after your changes:\n\n" + t.for_model);
  } else if (last_tests_passed_ && (any_change_ || finish_called_ || turn.tool_calls.empty())) {
    // Tests pass and the model is done (or a run_tests call confirmed its earlier change).
    finish(RunStatus::Solved, "tests pass");
    return;
  } else if (finish_called_ || (turn.tool_calls.empty() && !files_changed_)) {
    if (++stalls_ >= kMaxStalls) {
      finish(RunStatus::Unsolved, "the model stopped " + std::to_string(kMaxStalls) +
                                      " times while the tests still fail");
      return;
    }
    std::string why = finish_called_ ? "You called finish, but the test command still fails"
                                     : "Your reply had no tool call and no edit, and the test command still fails";
    pending_feedback_.push_back(why + ". Keep working until it passes: read the failing output, find the cause, and "
                                      "edit the code.\n\n" + last_test_text_);
  }
  if (!pending_feedback_.empty()) {
    std::string msg;
    for (const auto& part : pending_feedback_) msg += (msg.empty() ? "" : "\n\n") + part;
    pending_feedback_.clear();
    add_message(llm::Message::user(std::move(msg)));
  }
}

void Session::apply_text_edits(const std::string& text) {
  if (text.find("<<<<<<<") == std::string::npos && text.find("*** Begin Patch") == std::string::npos) return;
  tools::EditApplyOptions opts;
  opts.format = edit::Format::Auto;
  opts.partial = true;
  tools::EditApplyResult r = tools::apply_edit_text(repo_, text, opts);
  if (r.plan.results.empty()) return;
  note_edit_result(r);
  std::string fb = "Edits found in your message text: " + tools::feedback_for_model(r);
  std::string repeats = repeat_notes(r);
  if (!repeats.empty()) fb += "\n" + repeats;
  pending_feedback_.push_back(std::move(fb));
}

void Session::note_edit_result(const tools::EditApplyResult& r) {
  for (const auto& b : r.plan.results) {
    json::Value e = json::Value::object();
    e.set("type", "edit").set("turn", out_.turns).set("index", b.index).set("path", b.path);
    e.set("status", b.applied ? "applied" : "failed").set("level", b.level).set("error", b.error);
    events_.event(e);
  }
  if (!r.write_error.empty()) {
    json::Value e = json::Value::object();
    e.set("type", "notice").set("message", "edits not written: " + r.write_error);
    events_.event(e);
  }
  if (r.written) {
    files_changed_ = any_change_ = unrecorded_edits_ = true;
    for (const auto& c : r.plan.changes)
      if (std::find(edited_.begin(), edited_.end(), c.path) == edited_.end()) edited_.push_back(c.path);
    json::Value d = json::Value::object();
    d.set("type", "diff").set("turn", out_.turns).set("diff", r.diff);
    events_.event(d);
    if (auto tracked = git::tracked_files(repo_); tracked.ok()) tool_ctx_.tracked = std::move(*tracked);
    // New files are not tracked yet; list them too so the model can find them.
    for (const auto& c : r.plan.changes)
      if (!c.before && c.after &&
          std::find(tool_ctx_.tracked.begin(), tool_ctx_.tracked.end(), c.path) == tool_ctx_.tracked.end())
        tool_ctx_.tracked.push_back(c.path);
  }
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

Session::TestRun Session::run_tests() {
  TestRun t;
  // kill_running_children() only stops commands already running: one started
  // after Ctrl-C would run to its end (up to --test-timeout).
  if (interrupted()) {
    t.for_model = "The test command was not run: the run was interrupted.";
    return t;
  }
  exec::RunRequest req;
  req.command = cfg_.test_cmd;
  req.cwd = repo_.root();
  req.timeout = std::chrono::seconds(cfg_.test_timeout_s);
  req.scrub = {"*_API_KEY", "*API_KEY*", "*_TOKEN", "*SECRET*", "*PASSWORD*", "*_KEY"};
  req.keep = cfg_.pass_env;
  // Python checks a cached .pyc against its source's mtime in whole seconds
  // and its size. Edits land within a second of the previous test run, so a
  // same-size edit (a * b -> a + b) would run the stale bytecode and the
  // tests would judge the old code. Without written .pyc files every test
  // run compiles what changed (and leaves no __pycache__/ in the tree).
  req.set["PYTHONDONTWRITEBYTECODE"] = "1";
  auto r = runner_.run(req);
  json::Value ev = json::Value::object();
  ev.set("type", "tests").set("turn", out_.turns);
  if (!r.ok()) {
    t.for_model = "The test command could not be started: " + r.error().message;
    ev.set("exit_code", -1).set("passed", false).set("timed_out", false).set("duration_ms", 0);
    ev.set("error", r.error().message);
  } else {
    t.passed = r->exit_code == 0 && !r->timed_out && !r->interrupted;
    char head[200];
    std::snprintf(head, sizeof head, "Test command exited with code %d (%s) after %.1f s%s.\n", r->exit_code,
                  t.passed ? "PASSED" : "FAILED", static_cast<double>(r->duration.count()) / 1000.0,
                  r->timed_out ? ", killed at the timeout" : "");
    t.for_model = head + exec::trim_for_model(r->output, cfg_.test_output_tokens);
    ev.set("exit_code", r->exit_code).set("passed", t.passed).set("timed_out", r->timed_out);
    ev.set("duration_ms", static_cast<int64_t>(r->duration.count()));
  }
  events_.event(ev);
  last_tests_passed_ = t.passed;
  last_test_text_ = t.for_model;
  return t;
}

void Session::checkpoint(const std::string& message) {
  auto c = git::checkpoint(repo_, ref_, message);
  json::Value ev = json::Value::object();
  ev.set("type", "checkpoint").set("turn", out_.turns).set("ref", ref_);
  if (c.ok()) {
    out_.end_commit = *c;
    unrecorded_edits_ = false;
    ev.set("commit", *c);
  } else {
    ev.set("error", c.error().message);
  }
  events_.event(ev);
}

void Session::add_message(llm::Message m) {
  events_.message(message_json(m));
  messages_.push_back(std::move(m));
}

bool Session::stop_for_budget() {
  if (out_.turns >= cfg_.max_turns) {
    finish(RunStatus::Unsolved, "turn limit reached (--max-turns " + std::to_string(cfg_.max_turns) + ")");
    return true;
  }
  if (cfg_.max_cost > 0 && out_.cost_usd && *out_.cost_usd >= cfg_.max_cost) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "cost limit reached ($%.4f of --max-cost %.2f)", *out_.cost_usd, cfg_.max_cost);
    finish(RunStatus::Unsolved, buf);
    return true;
  }
  auto elapsed = std::chrono::steady_clock::now() - started_;
  if (cfg_.max_wall_s > 0 && elapsed >= std::chrono::seconds(cfg_.max_wall_s)) {
    finish(RunStatus::Unsolved, "wall-time limit reached (--max-time " + std::to_string(cfg_.max_wall_s) + " s)");
    return true;
  }
  return false;
}

}  // namespace ds::agent
