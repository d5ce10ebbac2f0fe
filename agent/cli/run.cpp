// `diffsmith run` and `diffsmith doctor`: settings → repository → lock →
// session → outputs → exit code. Reads top to bottom in that order.
#include "agent/cli/run.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "agent/cli/apply.hpp"
#include "agent/cli/doctor.hpp"
#include "agent/command_setup.hpp"
#include "agent/container_setup.hpp"
#include "agent/exit_code.hpp"
#include "agent/interrupt.hpp"
#include "agent/cli/options.hpp"
#include "agent/cli/run_settings.hpp"
#include "agent/session.hpp"
#include "agent/test_detect.hpp"
#include "git/commit.hpp"
#include "git/file_io.hpp"
#include "git/lock.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
#include "llm/generation.hpp"
#include "llm/pricing.hpp"
#include "llm/retry.hpp"

namespace ds::agent {

namespace {

std::string new_run_id() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%04x", rd() & 0xffff);
  return std::string(buf) + suffix;
}

std::vector<std::string> run_keys() {
  std::vector<std::string> keys = option_names(run_options());
  for (const auto& s : llm::endpoint_settings()) keys.push_back(s.key);
  return keys;
}

// The test command: -t (or the setting `test`), else --no-test, else one
// detected from the repository; the source is shown to the user.
Status choose_test_command(const Settings& s, bool no_test, const std::string& root, RunConfig& c) {
  auto given = s.get("test");
  if (given && !given->value.empty()) {
    if (no_test)
      return make_error("both a test command (" + given->source + ") and --no-test were given; pick one");
    c.test_cmd = given->value;
    c.test_source = given->source == "--test" ? "-t" : given->source;
    return Ok{};
  }
  if (no_test) return Ok{};
  DetectedTests d = detect_test_command(root);
  if (d.command.empty())
    return make_error(
        "no test command: none was given and none could be detected in " + root +
        ". Pass -t \"COMMAND\" (or set test = \"...\" in .diffsmith.toml), or --no-test to run without "
        "tests.");
  c.test_cmd = d.command;
  c.test_source = "detected from " + d.source;
  return Ok{};
}

// RunConfig from the layered settings; an error message for exit code 2.
Result<RunConfig> build_run_config(RunCommandArgs& a, const std::string& root, std::istream& in) {
  const Settings& s = a.settings;
  RunConfig c;
  std::string task_file = s.str("task-file");
  if (!task_file.empty()) {
    if (!read_input(task_file, in, c.task, std::cerr))
      return make_error("cannot read --task-file " + task_file);
  } else if (a.task == "-") {
    std::stringstream buf;
    buf << in.rdbuf();
    c.task = buf.str();
  } else {
    c.task = a.task;
  }
  if (c.task.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error("no task given: pass it as an argument, with --task-file FILE, or as - to read stdin");
  auto no_test = s.boolean("no-test", false);
  if (!no_test.ok()) return no_test.error();
  if (Status st = choose_test_command(s, *no_test, root, c); !st.ok()) return st.error();
  if (Status st = fill_run_config(s, c); !st.ok()) return st.error();
  if (Status st = fill_container_config(s, c); !st.ok()) return st.error();
  auto dirty = s.boolean("allow-dirty", false);
  if (!dirty.ok()) return dirty.error();
  c.allow_dirty = *dirty;
  return c;
}

bool write_file(const std::string& path, const std::string& data) {
  return git::write_file_atomic(path, data, git::new_file_mode(false)).ok();
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

}  // namespace

int run_run_command(RunCommandArgs& a, std::istream& in, std::ostream& out, std::ostream& err) {
  // 1. The repository (its .diffsmith.toml is part of the settings).
  auto repo = git::Repository::open(a.dir);
  if (!repo.ok()) {
    err << "diffsmith run: " << repo.error().message << "\n";
    return 4;
  }
  // 2. Settings: flags > env > repo config > user config.
  if (Status st = load_config_files(a.settings, repo->root(), run_keys()); !st.ok()) {
    err << "diffsmith run: " << st.error().message << "\n";
    return 2;
  }
  auto cfg = build_run_config(a, repo->root(), in);
  if (!cfg.ok()) {
    err << "diffsmith run: " << cfg.error().message << "\n";
    return 2;
  }
  auto endpoint = llm::resolve_endpoint(endpoint_layers(a.settings));
  if (!endpoint.ok()) {
    err << "diffsmith run: " << endpoint.error().message << "\n";
    return 2;
  }
  // A missing key is known now: say so before the work tree, the lock or the
  // first test run.
  if (Status st = llm::check_credentials(*endpoint); !st.ok()) {
    err << "diffsmith run: " << st.error().message << "\n";
    return 2;
  }
  cfg->model = endpoint->model;
  llm::PriceOverrides prices = endpoint->prices;
  cfg->cost_of = [prices](const std::string& model, const llm::Usage& u) {
    return llm::cost_of(u, llm::price_for(model, prices)).usd.value_or(-1.0);
  };
  auto json_r = a.settings.boolean("json", false);
  auto quiet_r = a.settings.boolean("quiet", false);
  auto commit_r = a.settings.boolean("commit", false);
  for (const auto* r : {&json_r, &quiet_r, &commit_r}) {
    if (!r->ok()) {
      err << "diffsmith run: " << r->error().message << "\n";
      return 2;
    }
  }
  bool json = *json_r, quiet = *quiet_r, commit = *commit_r;
  std::string output_patch = a.settings.str("output-patch");
  std::string branch = a.settings.str("branch");
  if (Status st = check_before_paying(*repo, a.settings, *cfg, prices, commit, branch, output_patch);
      !st.ok()) {
    err << "diffsmith run: " << st.error().message << "\n";
    return 2;
  }

  // 3. The work tree must be clean unless --allow-dirty; one run at a time.
  auto dirty = git::dirty_paths(*repo);
  if (!dirty.ok()) {
    err << "diffsmith run: " << dirty.error().message << "\n";
    return 4;
  }
  if (!dirty->empty() && !cfg->allow_dirty) {
    err << "diffsmith run: the work tree has uncommitted changes (" << dirty->size() << " path(s), e.g. "
        << dirty->front()
        << "). Commit or stash them, or pass --allow-dirty (they are kept and `diffsmith undo` "
        << "restores them).\n";
    return 4;
  }
  // Editing never needs the index, but --commit/--branch do at the end:
  // a stale index.lock must stop the run now, not after the model's work.
  if (commit || !branch.empty()) {
    std::string index_lock = git::index_lock_problem(*repo);
    if (!index_lock.empty()) {
      err << "diffsmith run: --commit/--branch must write the index, but " << index_lock << "\n";
      return 4;
    }
  }
  // The handlers go in before the lock: a SIGINT/SIGTERM from here on only
  // sets the flag (the run then ends cleanly and releases the lock), so no
  // signal can leave a lock file behind.
  InterruptGuard interrupt;
  auto lock = git::RepoLock::acquire(*repo);
  if (!lock.ok()) {
    err << "diffsmith run: " << lock.error().message << "\n";
    return 4;
  }

  // 4. The model client, events and the interrupt flag.
  endpoint->cancel = interrupt.flag();
  FanoutSink events;
  endpoint->on_retry = [&events](const llm::RetryNotice& n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "; retrying in %.1f s", static_cast<double>(n.delay.count()) / 1000.0);
    json::Value note = json::Value::object();
    note.set("type", "notice")
        .set("message", "model request attempt " + std::to_string(n.failed_attempt) + " failed: " + n.reason +
                            buf + (n.text_emitted ? " (the text above is discarded)" : ""));
    events.event(note);
  };
  auto client = llm::make_client(*endpoint);
  if (!client.ok()) {
    err << "diffsmith run: " << client.error().message << "\n";
    return to_int(exit_code_for(client.error()));
  }
  cfg->run_id = new_run_id();
  auto ds_dir = git::diffsmith_dir(*repo);
  JsonlSink jsonl(stdout);
  HumanSink human(stderr, use_color(stderr), quiet);
  events.add(json ? static_cast<EventSink*>(&jsonl) : &human);
  std::unique_ptr<TrajectorySink> trajectory;
  if (ds_dir.ok()) {
    std::string runs = *ds_dir + "/runs";
    ::mkdir(runs.c_str(), 0755);
    trajectory = std::make_unique<TrajectorySink>(runs + "/" + cfg->run_id + ".jsonl");
    if (trajectory->ok()) events.add(trajectory.get());
  }
  if (!llm::price_for(cfg->model, prices)) {
    json::Value note = json::Value::object();
    note.set("type", "notice").set("message", llm::cost_unknown_note(cfg->model));
    events.event(note);
  }
  for (const std::string& message : llm::generation_notices(cfg->model, cfg->generation)) {
    json::Value note = json::Value::object();
    note.set("type", "notice").set("message", message);
    events.event(note);
  }

  // 5. The loop. Tests and the model's commands run in the task's container
  //    (--container), else commands (and under --sandbox-tests the tests) in
  //    the sandbox; when that cannot be set up, run_command is not offered.
  exec::SystemRunner runner;
  exec::ProcessRunner* test_runner = &runner;
  std::shared_ptr<exec::ProcessRunner> sandboxed_tests;  // --sandbox-tests
  auto container = start_task_container(*cfg, *repo, {}, runner);
  if (!container.ok()) {
    err << "diffsmith run: " << container.error().message << "\n";
    return 2;
  }
  if (*container) {
    test_runner = container->get();
    auto no_commands = a.settings.boolean("no-commands", false);
    if (no_commands.ok() && !*no_commands)
      cfg->command_runner = std::shared_ptr<exec::ProcessRunner>(std::shared_ptr<void>(), container->get());
  } else {
    auto commands = setup_commands(a.settings, repo->root(), runner);
    if (!commands.ok()) {
      err << "diffsmith run: " << commands.error().message << "\n";
      return 2;
    }
    if (!commands->notice.empty()) {
      json::Value note = json::Value::object();
      note.set("type", "notice").set("message", commands->notice);
      events.event(note);
    }
    cfg->command_runner = commands->commands;
    cfg->command_timeout_s = commands->timeout_s;
    sandboxed_tests = commands->tests;
    if (sandboxed_tests) test_runner = sandboxed_tests.get();
  }
  Session session(*cfg, *repo, **client, *test_runner, events, interrupt.flag());
  RunOutcome outcome = session.run();

  // 6. Outputs: the patch file, the diff on stdout, the commit.
  if (!output_patch.empty() && !write_file(output_patch, outcome.diff)) {
    err << "diffsmith run: cannot write --output-patch " << output_patch << "\n";
  }
  if (!json) out << outcome.diff << std::flush;
  bool success = outcome.status == RunStatus::Solved || outcome.status == RunStatus::Done;
  if ((commit || !branch.empty()) && success && !outcome.changed_paths.empty()) {
    std::string message = outcome.summary.empty() ? "diffsmith: " + cfg->task : outcome.summary;
    message = message.substr(0, message.find('\n'));
    if (message.size() > 72) message = message.substr(0, 69) + "...";
    auto c = git::commit_changes(*repo, outcome.changed_paths, message, branch);
    if (!c.ok()) {
      err << "diffsmith run: solved, but the commit failed: " << c.error().message << "\n";
      return 4;
    }
    if (!json)
      err << "committed " << c->substr(0, 12) << (branch.empty() ? "" : " on branch " + branch) << ": "
          << message << "\n";
  } else if ((commit || !branch.empty()) && !success) {
    if (!json)
      err << "not committed: the run did not solve the task (the change is in the work tree; `diffsmith "
             "undo` reverts it)\n";
  }
  return outcome.exit_code;
}

int run_doctor_command(RunCommandArgs& a, std::ostream& out, std::ostream& err) {
  std::string root;
  if (auto repo = git::Repository::open(a.dir); repo.ok()) root = repo->root();
  if (Status st = load_config_files(a.settings, root, run_keys()); !st.ok()) {
    err << "diffsmith doctor: " << st.error().message << "\n";
    return 2;
  }
  if (!root.empty()) {
    RunConfig c;
    auto no_test = a.settings.boolean("no-test", false);
    if (Status st = choose_test_command(a.settings, no_test.ok() && *no_test, root, c); !st.ok())
      out << "tests: none (" << st.error().message << ")\n";
    else if (c.test_cmd.empty())
      out << "tests: none (--no-test)\n";
    else
      out << "tests: " << c.test_cmd << " (" << (c.test_source == "-t" ? "--test" : c.test_source) << ")\n";
  }
  auto endpoint = llm::resolve_endpoint(endpoint_layers(a.settings));
  if (!endpoint.ok()) {
    err << "diffsmith doctor: " << endpoint.error().message << "\n";
    return 2;
  }
  return run_doctor(*endpoint, out, err);
}

}  // namespace ds::agent
