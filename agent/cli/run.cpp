// `diffsmith run` and `diffsmith doctor`. run_run_command reads as the list
// of passes it makes: repository → the run it continues (--continue) →
// settings → endpoint → checks before paying → lock → work tree → tools →
// the run (and, with -i, its follow-ups) → outputs → exit code.
#include "agent/cli/run.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <regex>
#include <sstream>

#include "agent/cli/doctor.hpp"
#include "agent/cli/follow_up.hpp"
#include "agent/cli/input.hpp"
#include "agent/cli/mcp_settings.hpp"
#include "agent/cli/run_history.hpp"
#include "agent/commit_message.hpp"
#include "agent/config/command_setup.hpp"
#include "agent/config/container_setup.hpp"
#include "agent/config/options.hpp"
#include "agent/config/run_settings.hpp"
#include "agent/config/runners.hpp"
#include "agent/config/test_detect.hpp"
#include "agent/exit_code.hpp"
#include "agent/interrupt.hpp"
#include "agent/launch.hpp"
#include "agent/run_id.hpp"
#include "agent/sinks.hpp"
#include "base/atomic_write.hpp"
#include "git/commit.hpp"
#include "git/diffsmith_dir.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
#include "llm/generation.hpp"
#include "llm/pricing.hpp"
#include "llm/retry.hpp"
#include "text/duration.hpp"
#include "text/terminal.hpp"
#include "worktree/lock.hpp"

namespace ds::agent {

namespace {

exec::SystemRunner hook_runner;  // the user's hooks run on this machine, unsandboxed

// RunConfig from the layered settings; an error message for exit code 2.
Result<RunConfig> build_run_config(RunCommandArgs& a, const std::string& root, std::istream& in) {
  const Settings& s = a.settings;
  RunConfig c;
  std::string task_file = s.str("task-file");
  if (!task_file.empty() || a.task == "-") {
    auto text = read_input(task_file.empty() ? "-" : task_file, in);
    if (!text) return make_error("--task-file: " + text.error().message);
    c.task = std::move(*text);
  } else {
    c.task = a.task;
  }
  if (c.task.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error("no task given: pass it as an argument, with --task-file FILE, or as - to read stdin");
  auto tests = resolve_test_command(s, root);
  if (!tests.ok()) return tests.error();
  c.test_cmd = tests->command;
  c.test_source = tests->command.empty() ? "" : tests->source;
  if (Status st = fill_run_config(s, c); !st.ok()) return st.error();
  if (Status st = fill_container_config(s, c); !st.ok()) return st.error();
  std::error_code ec;  // AGENTS.md files are read from the root down to -C
  c.instructions.cwd = std::filesystem::absolute(a.dir.empty() ? "." : a.dir, ec).lexically_normal().string();
  auto dirty = s.boolean("allow-dirty", false);
  if (!dirty.ok()) return dirty.error();
  c.allow_dirty = *dirty;
  auto setup_to_model = s.boolean("test-setup-to-model", false);
  if (!setup_to_model.ok()) return setup_to_model.error();
  if (*setup_to_model) c.test_setup = RunConfig::TestSetup::Model;
  c.progress_every = std::chrono::seconds(1);  // a status line on a terminal, a progress event with --json
  return c;
}

bool write_file(const std::string& path, const std::string& data) {
  return write_file_atomic(path, data, new_file_mode(false)).ok();
}

// Whether a file can be written at `path`, without leaving anything behind.
Status check_writable(const std::string& path, const std::string& what) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return make_error(what + " " + path + " is a directory");
    if (::access(path.c_str(), W_OK) != 0) return make_error(what + " " + path + " is not writable");
    return Ok{};
  }
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error(what + " " + path + ": the folder " + dir + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    return make_error(what + " " + path + ": the folder " + dir + " is not writable");
  return Ok{};
}

// Everything that would fail after the model's work (and the user's money)
// fails here instead, before the first request.
Status check_before_paying(git::Repository& repo, const Settings& s, const RunConfig& cfg,
                           const llm::PriceOverrides& prices, bool commit, const std::string& branch,
                           const std::string& output_patch) {
  if (commit || !branch.empty())
    if (Status st = git::check_commit_target(repo, branch); !st.ok()) return st;
  if (!output_patch.empty())
    if (Status st = check_writable(output_patch, "--output-patch"); !st.ok()) return st;
  auto max_cost = s.get("max-cost");
  if (max_cost && cfg.max_cost > 0 && !llm::price_for(cfg.model, prices))
    return make_error(
        "--max-cost is set (" + max_cost->source + ") but the price of model '" + cfg.model +
        "' is unknown, so the limit cannot be enforced: pass --price-in/--price-out, or --max-cost 0");
  return Ok{};
}

// ---------------------------------------------------------------- setup passes

// What a setup pass found wrong: the message, and the exit code to end with.
struct Failure {
  std::string message;
  ExitCode code = ExitCode::Usage;
};
using Pass = std::optional<Failure>;

Failure usage(const Error& e) { return {e.message, ExitCode::Usage}; }
Failure repository(const Error& e) { return {e.message, ExitCode::Repository}; }
// load_follow_up's errors: the repository's (git kinds) or the request's.
Failure follow_up_failure(const Error& e) {
  auto lib = e.kind.library();
  return lib == ErrorLibrary::Git || lib == ErrorLibrary::Files ? repository(e) : usage(e);
}

// Everything `run` resolves before the session starts, filled pass by pass.
struct RunSetup {
  RunSetup(RunCommandArgs& a, std::istream& i) : args(a), in(i) {}
  RunCommandArgs& args;
  std::istream& in;
  std::optional<git::Repository> repo;
  RunConfig cfg;
  std::optional<llm::EndpointConfig> endpoint;
  bool json = false, quiet = false, verbose = false, commit = false;
  std::string output_patch, branch, output_repro;
  std::optional<FollowUp> follow_up;  // --continue
  std::vector<mcp::ServerSpec> mcp_specs;
};

Pass open_repository(RunSetup& s) {
  auto repo = git::Repository::open(s.args.dir);
  if (!repo.ok()) return repository(repo.error());
  s.repo.emplace(std::move(*repo));
  return {};
}

// `run --continue "instruction"`: CLI11 gives the instruction to --continue's
// optional RUN value; it is the task when no other task was given.
void sort_out_continue_args(RunCommandArgs& a) {
  if (a.continues && a.task.empty() && a.settings.str("task-file").empty()) std::swap(a.task, a.continue_run);
}

// A run id as new_run_id makes them: YYYYMMDD-HHMMSS-xxxx.
bool looks_like_run_id(const std::string& s) {
  static const std::regex kRunId("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");
  return std::regex_match(s, kRunId);
}

// A follow-up keeps the test command of the run it continues (or its
// --no-test) unless a test setting is given.
void inherit_test_command(RunSetup& s) {
  Settings& settings = s.args.settings;
  if (!s.follow_up || !s.follow_up->test_cmd || settings.get("test") || settings.get("no-test")) return;
  std::string source = "run " + s.follow_up->conversation.run_id;
  if (s.follow_up->test_cmd->empty())
    settings.flags["no-test"] = {"true", source};
  else
    settings.flags["test"] = {*s.follow_up->test_cmd, source};
}

// Settings: flags > env > repo config > user config (.diffsmith.toml is part
// of them, hence after the repository).
Pass load_settings(RunSetup& s) {
  RunCommandArgs& a = s.args;
  if (a.interactive && (a.task == "-" || a.settings.str("task-file") == "-"))
    return Failure{
        "-i reads its follow-ups from stdin, so the task cannot come from stdin too: pass it as an "
        "argument or with --task-file FILE"};
  if (Status st = load_config_files(a.settings, s.repo->root(), all_setting_names()); !st.ok())
    return usage(st.error());
  inherit_test_command(s);
  auto cfg = build_run_config(a, s.repo->root(), s.in);
  if (!cfg.ok()) return usage(cfg.error());
  s.cfg = std::move(*cfg);
  auto hooks = hooks_from_settings(a.settings);
  if (!hooks.ok()) return usage(hooks.error());
  s.cfg.hooks = *hooks;
  auto mcp_specs = mcp_server_specs(a.settings);
  if (!mcp_specs.ok()) return usage(mcp_specs.error());
  s.mcp_specs = std::move(*mcp_specs);
  const std::pair<const char*, bool*> flags[] = {
      {"json", &s.json}, {"quiet", &s.quiet}, {"verbose", &s.verbose}, {"commit", &s.commit}};
  for (auto [key, value] : flags) {
    auto r = a.settings.boolean(key, false);
    if (!r.ok()) return usage(r.error());
    *value = *r;
  }
  if (s.cfg.attempts > 1 && (a.continues || a.interactive))
    return Failure{
        "--attempts cannot be combined with --continue or -i (a follow-up continues one conversation)"};
  s.output_patch = a.settings.str("output-patch");
  s.output_repro = a.settings.str("output-repro");
  s.branch = a.settings.str("branch");
  return {};
}

// The model endpoint. A missing key is known now: say so before the work
// tree, the lock or the first test run.
Pass resolve_endpoint(RunSetup& s) {
  auto endpoint = llm::resolve_endpoint(endpoint_layers(s.args.settings));
  if (!endpoint.ok()) return usage(endpoint.error());
  if (Status st = llm::check_credentials(*endpoint); !st.ok()) return usage(st.error());
  s.cfg.model = endpoint->model;
  llm::PriceOverrides prices = endpoint->prices;
  s.cfg.cost_of = [prices](const std::string& model, const llm::Usage& u) {
    return llm::cost_of(u, llm::price_for(model, prices)).usd.value_or(-1.0);
  };
  s.cfg.price_of = s.cfg.cost_of;  // nothing shared to count into
  s.endpoint = std::move(*endpoint);
  return {};
}

// The branch the commit creates: --branch NAME, unless the conversation's
// runs already committed on NAME (a follow-up commits onto it).
std::string branch_to_create(const RunSetup& s) {
  if (s.branch.empty() || !s.follow_up) return s.branch;
  const auto& made = s.follow_up->committed_branches;
  return std::find(made.begin(), made.end(), "refs/heads/" + s.branch) != made.end() ? "" : s.branch;
}

Pass check_outputs(RunSetup& s) {
  std::string create = branch_to_create(s);
  Status st = check_before_paying(*s.repo, s.args.settings, s.cfg, s.endpoint->prices,
                                  s.commit || !s.branch.empty(), create, s.output_patch);
  if (st.ok() && !s.output_repro.empty()) st = check_writable(s.output_repro, "--output-repro");
  if (!st.ok()) return usage(st.error());
  if (!s.branch.empty() && create.empty())
    if (Status on = git::check_head_on_branch(*s.repo, s.branch); !on.ok())
      return Failure{"--branch " + s.branch + ": run " + s.follow_up->conversation.run_id +
                         "'s conversation committed on branch '" + s.branch +
                         "', so this follow-up commits onto it, but " + on.error().message +
                         ". `git switch " + s.branch + "` first, or pass another --branch NAME.",
                     ExitCode::Repository};
  return {};
}

// --continue [RUN]: the run this one continues, and its conversation.
Pass load_continued_run(RunSetup& s) {
  RunCommandArgs& a = s.args;
  if (a.continues && a.task.empty() && a.settings.str("task-file").empty() &&
      looks_like_run_id(a.continue_run))
    return Failure{"--continue " + a.continue_run + " needs the next instruction: diffsmith run --continue " +
                   a.continue_run + " \"INSTRUCTION\""};
  sort_out_continue_args(a);
  if (!a.continues) return {};
  auto f = load_follow_up(*s.repo, s.args.continue_run);
  if (!f.ok()) return follow_up_failure(f.error());
  s.follow_up = std::move(*f);
  return {};
}

// Changes a killed run left behind: not the user's to commit or stash, but
// that run's to take back.
Failure interrupted_failure(const std::string& what, const InterruptedRun& killed) {
  const std::string& id = killed.run.id;
  std::string files;
  for (size_t i = 0; i < killed.paths.size() && i < 3; ++i) files += (i ? ", " : "") + killed.paths[i];
  if (killed.paths.size() > 3) files += ", …";
  return Failure{
      what + ": run " + id + " (started " + format_local_time(killed.run.started) +
          ") was interrupted before it ended (killed, or it crashed) while changing " +
          std::to_string(killed.paths.size()) + " of them (" + files + "). `diffsmith undo " + id +
          "` takes its changes back (the state before it, your uncommitted work included); "
          "`diffsmith show " +
          id +
          "` shows what it did. Or pass --allow-dirty to run on top of its changes (they are kept, "
          "and undoing the new run returns to them).",
      ExitCode::Repository};
}

// Editing never needs the index, but --commit/--branch do at the end: a
// stale index.lock must stop the run now, not after the model's work.
Pass check_index(RunSetup& s) {
  if (s.commit || !s.branch.empty()) {
    std::string index_lock = git::index_lock_problem(*s.repo);
    if (!index_lock.empty())
      return Failure{"--commit/--branch must write the index, but " + index_lock, ExitCode::Repository};
  }
  return {};
}

// The work tree must be clean unless --allow-dirty (a follow-up's own
// conversation's files excepted); --commit/--branch need a usable index.
Pass check_work_tree(RunSetup& s) {
  auto dirty = git::dirty_paths(*s.repo);
  if (!dirty.ok()) return repository(dirty.error());
  if (s.follow_up) {
    const auto& own = s.follow_up->changed;
    std::erase_if(*dirty,
                  [&](const std::string& p) { return std::binary_search(own.begin(), own.end(), p); });
  }
  if (!dirty->empty() && !s.cfg.allow_dirty) {
    std::string what = "the work tree has uncommitted changes (" + std::to_string(dirty->size()) +
                       " path(s), e.g. " + dirty->front() + ")";
    auto killed = interrupted_run(*s.repo, *dirty);
    if (!killed.ok()) return repository(killed.error());
    if (*killed) return interrupted_failure(what, **killed);
    return Failure{what +
                       ". Commit or stash them, or pass --allow-dirty (they are kept and `diffsmith undo` "
                       "restores them).",
                   ExitCode::Repository};
  }
  return check_index(s);
}

// A failure before the session starts: with --json, the run_finished event
// (status error, no mode) a consumer waits for; the message on stderr; the
// exit code.
void emit_setup_failure(const std::string& message, ExitCode code) {
  ev::RunFinished e;
  e.status = "error";
  e.reason = message;
  e.exit_code = to_int(code);
  JsonlSink(stdout).event(e);
}

int setup_failed(const RunSetup& s, const Failure& f, std::ostream& err) {
  auto json = s.args.settings.boolean("json", false);
  if (s.json || (json.ok() && *json)) emit_setup_failure(f.message, f.code);
  return fail(err, "run", f.message, f.code);
}

// ---------------------------------------------------------------- tools

// What the runs of one command share (with -i there are several): the
// screen's sink (or --json), the model client, the runners for the tests and
// the model's commands, and the notices for the first run.
struct RunTools {
  std::unique_ptr<EventSink> screen;
  HumanSink* human = nullptr;   // the screen, when it is for a person (not --json)
  EventSink* events = nullptr;  // the run in progress: the screen and its trajectory
  std::unique_ptr<llm::Client> client;
  exec::SystemRunner runner;
  RunRunners runners;  // the tests', commands' and syntax guard's (config/runners.hpp)
  std::vector<std::string> notices;
  const std::atomic<bool>* interrupted = nullptr;
};

// The screen's sink, the model client (its retries are notices of the run in
// progress), and where tests and the model's commands run: the task's
// container (--container), else the sandbox for commands (and under
// --sandbox-tests the tests); when that cannot be set up, run_command is not
// offered.
Pass start_tools(RunSetup& s, const InterruptGuard& interrupt, RunTools& t) {
  t.interrupted = interrupt.flag();
  if (s.json) {
    t.screen = std::make_unique<JsonlSink>(stdout);
  } else {
    auto human = std::make_unique<HumanSink>(stderr, use_color(stderr), s.quiet, s.verbose);
    human->next_hints(s.args.next_hints, s.commit || !s.branch.empty());
    t.human = human.get();
    t.screen = std::move(human);
  }
  t.events = t.screen.get();
  s.endpoint->cancel = interrupt.flag();
  s.endpoint->on_retry = [&t](const llm::RetryNotice& n) {
    t.events->event(ev::Notice{"model request attempt " + std::to_string(n.failed_attempt) +
                               " failed: " + n.reason + "; retrying in " + text::seconds_text(n.delay) +
                               (n.text_emitted ? " (the text above is discarded)" : "")});
  };
  auto client = llm::make_client(*s.endpoint);
  if (!client.ok()) return Failure{client.error().message, exit_code_for(client.error())};
  t.client = std::move(*client);
  if (!llm::price_for(s.cfg.model, s.endpoint->prices))
    t.notices.push_back(llm::cost_unknown_note(s.cfg.model));
  for (const std::string& message : llm::generation_notices(s.cfg.model, s.cfg.generation))
    t.notices.push_back(message);

  s.cfg.mcp_servers = start_mcp_servers(s.mcp_specs, s.repo->root(), t.notices, [&t](const std::string& why) {
    if (t.events) t.events->event(ev::Notice{why});
  });
  auto no_commands = s.args.settings.boolean("no-commands", false);
  // The probe's success is remembered in .git/diffsmith (one bwrap start less per run).
  auto ds_dir = git::diffsmith_dir(*s.repo);
  auto runners = start_runners(s.cfg, *s.repo, {}, t.runner, no_commands.ok() && !*no_commands, [&] {
    // A reproduction runs like the tests: in the sandbox by default.
    return setup_commands(s.args.settings, s.repo->root(), !s.cfg.test_cmd.empty() || s.cfg.reproduce,
                          t.runner, {}, {}, ds_dir.ok() ? *ds_dir + "/sandbox-probe" : "");
  });
  if (!runners.ok()) return usage(runners.error());
  t.runners = std::move(*runners);
  if (!t.runners.notice.empty()) t.notices.push_back(t.runners.notice);
  return {};
}

// ---------------------------------------------------------------- one run

// .git/diffsmith/runs/<run-id>.jsonl; null when it cannot be written (the
// run goes on without it).
std::unique_ptr<TrajectorySink> open_trajectory(git::Repository& repo, const std::string& run_id) {
  auto ds_dir = git::diffsmith_dir(repo);
  if (!ds_dir.ok()) return nullptr;
  std::string runs = *ds_dir + "/runs";
  ::mkdir(runs.c_str(), 0755);
  auto trajectory = std::make_unique<TrajectorySink>(runs + "/" + run_id + ".jsonl");
  return trajectory->ok() ? std::move(trajectory) : nullptr;
}

// Whether the final diff on stdout would repeat what the screen showed: both
// on one terminal, and every change already drawn as a coloured diff.
bool diff_already_shown(const RunTools& t) {
  return t.human && t.human->showed_every_change() && ::isatty(STDOUT_FILENO) && ::isatty(STDERR_FILENO);
}

// The patch file, the diff on stdout, the commit. Returns the exit code.
int write_outputs(RunSetup& s, const RunTools& t, RunOutcome& outcome, std::ostream& out, std::ostream& err) {
  // A patch file that cannot be written is reported; the run's exit code stands.
  if (!s.output_patch.empty() && !write_file(s.output_patch, outcome.diff))
    (void)fail(err, "run", "cannot write --output-patch " + s.output_patch, ExitCode::Usage);
  // The reproduction as a patch that creates its files, its command on top
  // (git apply skips the lines before the first diff).
  std::string repro = outcome.repro_command.empty()
                          ? ""
                          : "# reproduction: " + outcome.repro_command + "\n" + outcome.repro_diff;
  if (!s.output_repro.empty() && !write_file(s.output_repro, repro))
    (void)fail(err, "run", "cannot write --output-repro " + s.output_repro, ExitCode::Usage);
  // A patch piped to a file stays byte for byte; on a terminal its escapes are shown, not obeyed.
  if (!s.json && !diff_already_shown(t))
    out << (::isatty(STDOUT_FILENO) ? text::terminal_safe(outcome.diff) : outcome.diff) << std::flush;
  bool commit = s.commit || !s.branch.empty();
  bool success = outcome.status == RunStatus::Solved || outcome.status == RunStatus::Done;
  if (commit && success && !outcome.changed_paths.empty()) {
    json::Value paths = json::Value::array();
    for (const auto& p : outcome.changed_paths) paths.push(p);
    HookRun h = run_hook(hook_runner, "before_commit", s.cfg.hooks.before_commit,
                         json::Value::object().set("paths", std::move(paths)).set("branch", s.branch),
                         s.cfg.run_id, s.repo->root(), s.cfg.hooks.timeout_s);
    if (!h.problem.empty()) err << "diffsmith: " << h.problem << "\n";
    if (h.blocked)
      return fail(err, "run", "solved, but the before_commit hook blocked the commit: " + h.stderr_text,
                  ExitCode::Repository);
    std::string message = commit_message(s.cfg.task, outcome.summary);
    auto c =
        git::commit_run_changes(*s.repo, s.cfg.run_id, outcome.changed_paths, message, branch_to_create(s));
    if (!c.ok())
      return fail(err, "run", "solved, but the commit failed: " + c.error().message, ExitCode::Repository);
    if (!s.json)
      err << "committed " << c->substr(0, 12) << (s.branch.empty() ? "" : " on branch " + s.branch) << ": "
          << commit_subject(s.cfg.task) << "\n";
  } else if (commit && !success && !s.json) {
    err << "not committed: the run did not solve the task (the change is in the work tree; `diffsmith "
           "undo` reverts it)\n";
  }
  return outcome.exit_code;
}

// One run of the session (the first, or a follow-up of `follow_up`), with its
// own id, checkpoints and trajectory. Sets `run_id`; returns the exit code.
int run_once(RunSetup& s, RunTools& t, std::string& run_id, std::ostream& out, std::ostream& err) {
  s.cfg.run_id = run_id = new_run_id();
  FanoutSink events;
  events.add(t.screen.get());
  std::unique_ptr<TrajectorySink> trajectory = open_trajectory(*s.repo, s.cfg.run_id);
  if (trajectory) events.add(trajectory.get());
  t.events = &events;
  for (const std::string& message : t.notices) events.event(ev::Notice{message});
  t.notices.clear();
  AttemptTools at{t.client.get(), [&s] { return llm::make_client(*s.endpoint); }, t.runners.tests, &events,
                  t.interrupted};
  std::optional<Continuation> continues;
  if (s.follow_up) continues = std::move(s.follow_up->conversation);
  RunOutcome outcome = run_loop(s.cfg, *s.repo, at, std::move(continues));
  t.events = t.screen.get();
  if (!s.cfg.hooks.run_end.empty()) {
    json::Value end = json::Value::object();
    json::Value paths = json::Value::array();
    for (const auto& p : outcome.changed_paths) paths.push(p);
    end.set("status", status_name(outcome.status))
        .set("exit_code", outcome.exit_code)
        .set("paths", std::move(paths));
    HookRun h = run_hook(hook_runner, "run_end", s.cfg.hooks.run_end, std::move(end), s.cfg.run_id,
                         s.repo->root(), s.cfg.hooks.timeout_s);
    if (!h.problem.empty()) err << "diffsmith: " << h.problem << "\n";
  }
  return write_outputs(s, t, outcome, out, err);
}

// -i: after each verdict, one follow-up per line from stdin (the prompt on
// stderr) until an empty line or end of input; each is a run of its own that
// continues the previous one. An error or an interrupt ends the series.
// Between follow-ups the lock is held, so the tree is the previous run's
// (with what the user changed meanwhile, which the follow-up's start
// checkpoint keeps): no dirty check.
int follow_ups(RunSetup& s, RunTools& t, std::string run_id, int code, std::ostream& out, std::ostream& err) {
  bool echo = !::isatty(STDIN_FILENO);  // piped follow-ups are shown as if typed
  while (code == to_int(ExitCode::Ok) || code == to_int(ExitCode::NotSolved)) {
    if (t.interrupted && t.interrupted->load()) break;
    err << "\nfollow-up (empty line or Ctrl-D to end): " << std::flush;
    std::string line;
    if (!std::getline(s.in, line)) {
      err << "\n";
      break;
    }
    if (t.interrupted && t.interrupted->load()) break;  // Ctrl-C at the prompt
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (echo) err << line << "\n";
    if (line.find_first_not_of(" \t") == std::string::npos) break;
    auto f = load_follow_up(*s.repo, run_id);
    if (!f.ok()) return setup_failed(s, follow_up_failure(f.error()), err);
    s.follow_up = std::move(*f);
    // What would fail after the follow-up's work fails before its first
    // request, as for the first run: its commit target, outputs and index.
    if (Pass fail = check_outputs(s)) return setup_failed(s, *fail, err);
    if (Pass fail = check_index(s)) return setup_failed(s, *fail, err);
    s.cfg.task = line;
    s.cfg.pinned.clear();  // already in the conversation
    code = run_once(s, t, run_id, out, err);
  }
  return code;
}

}  // namespace

int run_run_command(RunCommandArgs& a, std::istream& in, std::ostream& out, std::ostream& err) {
  RunSetup s(a, in);
  for (Pass (*pass)(RunSetup&) :
       {open_repository, load_continued_run, load_settings, resolve_endpoint, check_outputs})
    if (Pass f = pass(s)) return setup_failed(s, *f, err);
  // The handlers go in before the lock: a SIGINT/SIGTERM from here on only
  // sets the flag (the run then ends cleanly and releases the lock), so no
  // signal can leave a lock file behind.
  InterruptGuard interrupt;
  auto lock = worktree::RepoLock::acquire(*s.repo);
  if (!lock.ok()) return setup_failed(s, repository(lock.error()), err);
  // Under the lock: a run without an end is then one that was killed, not
  // one still at work.
  if (Pass f = check_work_tree(s)) return setup_failed(s, *f, err);
  RunTools tools;
  if (Pass f = start_tools(s, interrupt, tools)) return setup_failed(s, *f, err);
  std::string run_id;
  int code = run_once(s, tools, run_id, out, err);
  if (a.interactive) code = follow_ups(s, tools, run_id, code, out, err);
  return code;
}

}  // namespace ds::agent
