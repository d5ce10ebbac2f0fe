// `diffsmith run` and `diffsmith doctor`: settings → repository → lock →
// session → outputs → exit code. Reads top to bottom in that order.
#include "agent/cmd_run.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "agent/cmd_apply.hpp"
#include "agent/cmd_doctor.hpp"
#include "agent/command_setup.hpp"
#include "agent/container_setup.hpp"
#include "agent/interrupt.hpp"
#include "agent/options.hpp"
#include "agent/run_settings.hpp"
#include "agent/session.hpp"
#include "git/commit.hpp"
#include "git/file_io.hpp"
#include "git/lock.hpp"
#include "git/repository.hpp"
#include "git/status.hpp"
#include "llm/client_factory.hpp"
#include "llm/config.hpp"
#include "llm/errors.hpp"
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

// RunConfig from the layered settings; an error message for exit code 2.
Result<RunConfig> build_run_config(RunCommandArgs& a, std::istream& in) {
  const Settings& s = a.settings;
  RunConfig c;
  std::string task_file = s.str("task-file");
  if (!task_file.empty()) {
    if (!read_input(task_file, in, c.task, std::cerr)) return make_error("cannot read --task-file " + task_file);
  } else if (a.task == "-") {
    std::stringstream buf;
    buf << in.rdbuf();
    c.task = buf.str();
  } else {
    c.task = a.task;
  }
  if (c.task.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error("no task given: pass it as an argument, with --task-file FILE, or as - to read stdin");
  c.test_cmd = s.str("test");
  if (c.test_cmd.empty()) return make_error("no test command: pass -t \"COMMAND\" (or set test = \"...\" in .diffsmith.toml)");
  if (Status st = fill_run_config(s, c); !st.ok()) return st.error();
  if (Status st = fill_container_config(s, c); !st.ok()) return st.error();
  auto dirty = s.boolean("allow-dirty", false);
  if (!dirty.ok()) return dirty.error();
  c.allow_dirty = *dirty;
  return c;
}

// The API key lives in this process (its environment, the request headers):
// a core dump would carry it (and land in the work tree with the default
// core_pattern), and the test command, which the model writes, could read it
// from /proc/<our pid>/environ or ptrace us. A process that is not dumpable
// allows neither; children get their own dumpable state back at exec.
void protect_secrets() { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

bool write_file(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp-diffsmith";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return false;
    f << data;
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int run_run_command(RunCommandArgs& a, std::istream& in, std::ostream& out, std::ostream& err) {
  protect_secrets();
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
  auto cfg = build_run_config(a, in);
  if (!cfg.ok()) {
    err << "diffsmith run: " << cfg.error().message << "\n";
    return 2;
  }
  auto endpoint = llm::resolve_endpoint(endpoint_layers(a.settings));
  if (!endpoint.ok()) {
    err << "diffsmith run: " << endpoint.error().message << "\n";
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

  // 3. The work tree must be clean unless --allow-dirty; one run at a time.
  auto dirty = git::dirty_paths(*repo);
  if (!dirty.ok()) {
    err << "diffsmith run: " << dirty.error().message << "\n";
    return 4;
  }
  if (!dirty->empty() && !cfg->allow_dirty) {
    err << "diffsmith run: the work tree has uncommitted changes (" << dirty->size() << " path(s), e.g. "
        << dirty->front() << "). Commit or stash them, or pass --allow-dirty (they are kept and `diffsmith undo` "
        << "restores them).\n";
    return 4;
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
    note.set("type", "notice").set("message", "model request attempt " + std::to_string(n.failed_attempt) +
                                                  " failed: " + n.reason + buf +
                                                  (n.text_emitted ? " (the text above is discarded)" : ""));
    events.event(note);
  };
  auto client = llm::make_client(*endpoint);
  if (!client.ok()) {
    err << "diffsmith run: " << client.error().message << "\n";
    return llm::exit_code_for(client.error());
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
  if ((commit || !branch.empty()) && outcome.status == RunStatus::Solved && !outcome.changed_paths.empty()) {
    std::string message = outcome.summary.empty() ? "diffsmith: " + cfg->task : outcome.summary;
    message = message.substr(0, message.find('\n'));
    if (message.size() > 72) message = message.substr(0, 69) + "...";
    auto c = git::commit_changes(*repo, outcome.changed_paths, message, branch);
    if (!c.ok()) {
      err << "diffsmith run: solved, but the commit failed: " << c.error().message << "\n";
      return 4;
    }
    if (!json) err << "committed " << c->substr(0, 12) << (branch.empty() ? "" : " on branch " + branch) << ": " << message << "\n";
  } else if ((commit || !branch.empty()) && outcome.status != RunStatus::Solved) {
    if (!json) err << "not committed: the run did not solve the task (the change is in the work tree; `diffsmith undo` reverts it)\n";
  }
  return outcome.exit_code;
}

int run_doctor_command(RunCommandArgs& a, std::ostream& out, std::ostream& err) {
  protect_secrets();
  std::string root;
  if (auto repo = git::Repository::open(a.dir); repo.ok()) root = repo->root();
  std::vector<std::string> keys;
  for (const auto& s : llm::endpoint_settings()) keys.push_back(s.key);
  if (Status st = load_config_files(a.settings, root, keys); !st.ok()) {
    err << "diffsmith doctor: " << st.error().message << "\n";
    return 2;
  }
  auto endpoint = llm::resolve_endpoint(endpoint_layers(a.settings));
  if (!endpoint.ok()) {
    err << "diffsmith doctor: " << endpoint.error().message << "\n";
    return 2;
  }
  return run_doctor(*endpoint, out, err);
}

}  // namespace ds::agent
