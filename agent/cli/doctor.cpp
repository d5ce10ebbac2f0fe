// `diffsmith doctor`: settings with sources, one tiny request, the result.
#include "agent/cli/doctor.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <string>

#include "agent/cli/mcp_settings.hpp"
#include "agent/config/command_setup.hpp"
#include "agent/config/lint_setup.hpp"
#include "agent/config/options.hpp"
#include "agent/config/run_settings.hpp"
#include "agent/events.hpp"
#include "agent/exit_code.hpp"
#include "agent/instructions.hpp"
#include "exec/process.hpp"
#include "git/repository.hpp"
#include "llm/client_factory.hpp"
#include "llm/errors.hpp"
#include "llm/generation.hpp"
#include "llm/http.hpp"
#include "llm/pricing.hpp"
#include "text/lines.hpp"
#include "text/redact.hpp"

namespace ds::agent {
namespace {

void row(std::ostream& out, std::string_view name, std::string_view value, std::string_view source = {}) {
  out << "  " << std::left << std::setw(21) << name << value;
  if (!source.empty()) out << "   (" << source << ")";
  out << "\n";
}

// One setting: its value from the first layer that has it, else the table's
// default.
void setting_row(std::ostream& out, const Settings& s, const OptionSpec& o) {
  auto v = s.get(o.name);
  if (!v) {
    std::string def = *o.default_text ? o.default_text : o.flag ? "false" : "-";
    row(out, o.name, def, "default");
    return;
  }
  std::string value = v->value;
  for (char& c : value)
    if (c == '\n') c = ',';
  row(out, o.name, value.empty() ? "\"\"" : text::redact(value), v->where());
}

// The test command as a run here would pick it.
void test_row(std::ostream& out, const Settings& s, const std::string& root) {
  if (root.empty()) {
    out << "tests: none (not in a git repository)\n";
    return;
  }
  auto t = resolve_test_command(s, root);
  if (!t.ok())
    out << "tests: none (" << t.error().message << ")\n";
  else if (t->command.empty())
    out << "tests: none (--no-test)\n";
  else
    out << "tests: " << t->command << " (" << (t->source == "-t" ? "--test" : t->source) << ")\n";
}

// DIFFSMITH_* variables one or two letters away from a setting's variable:
// most likely a typo that silently does nothing.
void env_typos(std::ostream& out) {
  for (char** e = environ; *e; ++e) {
    std::string name(*e, std::string_view(*e).find('='));
    if (name.rfind("DIFFSMITH_", 0) != 0) continue;
    std::string key = name.substr(10);
    for (char& c : key) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (find_setting(key) && setting_env_name(key) == name) continue;
    std::string near = nearest_setting(key, true);
    if (!near.empty())
      out << "  warning: " << name << " is not a setting; did you mean " << setting_env_name(near) << "?\n";
  }
}

// The reply text on one line, quoted and cut short.
std::string short_reply(const std::string& text) {
  std::string one;
  for (char c : text) one += (c == '\n' || c == '\r') ? ' ' : c;
  if (one.size() > 60) one = one.substr(0, 60) + "...";
  return "\"" + one + "\"";
}

constexpr int64_t kDoctorTestLimitS = 60;  // the test command's try: at most this long

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

// What a run here would do first: start the sandbox (run `true` in it) and
// run the test command (in the sandbox, as a run does, unless the settings
// say otherwise), each with its outcome.
void try_sandbox_and_tests(const Settings& s, const std::string& root, std::ostream& out) {
  out << "diffsmith doctor: sandbox and tests\n";
  auto tests = resolve_test_command(s, root);
  std::string test_cmd = tests.ok() ? tests->command : "";
  exec::SystemRunner system;
  auto setup = setup_commands(s, root, !test_cmd.empty(), system);
  exec::ProcessRunner* test_runner = &system;
  if (!setup.ok()) {
    row(out, "sandbox", "cannot be used: " + setup.error().message);
    test_runner = nullptr;  // a run would stop here too
  } else {
    if (!setup->notice.empty()) out << "  note: " << setup->notice << "\n";
    if (setup->commands) {
      exec::RunRequest req{.command = "true", .cwd = root, .timeout = std::chrono::seconds(30)};
      auto r = setup->commands->run(req);
      if (!r.ok())
        row(out, "sandbox", "failed to start: " + r.error().message);
      else
        row(out, "sandbox",
            r->exit_code == 0
                ? "ok: ran `true` in it in " + ms_text(r->duration)
                : "`true` exited " + std::to_string(r->exit_code) + ": " + tail_excerpt(r->output, 3, 400),
            setup->sandboxed ? "bwrap" : "--sandbox off: unsandboxed");
    } else {
      row(out, "sandbox", "not used: the model gets no run_command");
    }
    if (setup->tests) test_runner = setup->tests.get();
  }
  if (test_cmd.empty()) {
    row(out, "test run", "none: no test command");
    return;
  }
  if (!test_runner) {
    row(out, "test run", "not tried: the sandbox the tests need cannot be used (see above)");
    return;
  }
  auto limit = s.integer("test-timeout", kDoctorTestLimitS);
  int64_t limit_s =
      std::min<int64_t>(limit.ok() && *limit > 0 ? *limit : kDoctorTestLimitS, kDoctorTestLimitS);
  out << "running the test command (at most " << limit_s << " s): " << text::redact(test_cmd) << "\n";
  out.flush();
  exec::RunRequest req{.command = test_cmd, .cwd = root, .timeout = std::chrono::seconds(limit_s)};
  req.scrub = exec::secret_env_patterns();
  auto r = test_runner->run(req);
  if (!r.ok()) {
    row(out, "test run", "could not start: " + r.error().message);
    return;
  }
  std::string what = r->timed_out        ? "stopped after " + std::to_string(limit_s) + " s (no verdict yet)"
                     : r->exit_code == 0 ? "passed in " + ms_text(r->duration)
                                         : "failed (exit " + std::to_string(r->exit_code) + ") in " +
                                               ms_text(r->duration) + ": a run would fix it";
  row(out, "test run", what, setup.ok() && setup->tests ? "in the sandbox" : "unsandboxed");
  if (r->exit_code != 0 || r->timed_out)
    for (const auto& line : text::split_lines(tail_excerpt(r->output, 5, 1000)))
      out << "    " << text::redact(line) << "\n";
}

}  // namespace

void print_settings(const Settings& s, const std::string& root, std::ostream& out) {
  out << "diffsmith doctor: settings (flag > env > repo config > user config > default)\n";
  test_row(out, s, root);
  out << syntax_guard_summary(s);
  for (const OptionSpec& o : run_options()) {
    if (std::string_view(o.name) == "test" && !s.get("test") && !root.empty()) {  // detected
      auto t = resolve_test_command(s, root);
      row(out, o.name, t.ok() && !t->command.empty() ? t->command : "-",
          t.ok() ? t->source : "none detected");
      continue;
    }
    setting_row(out, s, o);
  }
  out << "diffsmith doctor: batch settings\n";
  for (const OptionSpec& o : batch_options()) setting_row(out, s, o);
  env_typos(out);
}

void print_instructions(const Settings& s, const std::string& root, const std::string& dir,
                        std::ostream& out) {
  RunConfig c;
  if (Status st = fill_run_config(s, c); !st.ok()) {
    out << "project instructions: " << st.error().message << "\n";
    return;
  }
  if (!c.instructions.enabled) {
    out << "project instructions: off (--no-instructions)\n";
    return;
  }
  std::error_code ec;
  c.instructions.cwd = std::filesystem::absolute(dir.empty() ? "." : dir, ec).lexically_normal().string();
  Instructions found = load_instructions(root, c.instructions);
  if (root.empty() && found.files.empty()) {
    out << "project instructions: none (not in a git repository)\n";
    return;
  }
  out << "project instructions (AGENTS.md; cap " << c.instructions.max_bytes << " bytes):";
  if (found.files.empty()) out << " none found";
  out << "\n";
  for (const auto& f : found.files) {
    std::string what = !f.skipped.empty()      ? "skipped: " + f.skipped
                       : f.included == f.bytes ? std::to_string(f.bytes) + " bytes"
                       : f.included == 0       ? std::to_string(f.bytes) + " bytes, left out (over the cap)"
                                               : std::to_string(f.bytes) + " bytes, cut to " +
                                               std::to_string(f.included) + " (the cap)";
    row(out, f.path, what);
  }
}

int run_doctor_command(DoctorCommandArgs& a, std::ostream& out, std::ostream& err) {
  std::string root;
  if (auto repo = git::Repository::open(a.dir); repo.ok()) root = repo->root();
  if (Status st = load_config_files(a.settings, root, all_setting_names()); !st.ok())
    return fail(err, "doctor", st.error().message, ExitCode::Usage);
  print_settings(a.settings, root, out);
  print_instructions(a.settings, root, a.dir, out);
  if (!root.empty()) try_sandbox_and_tests(a.settings, root, out);
  print_mcp_and_hooks(a.settings, root, out);
  auto endpoint = llm::resolve_endpoint(endpoint_layers(a.settings));
  if (!endpoint.ok()) return fail(err, "doctor", endpoint.error().message, ExitCode::Usage);
  // The endpoint's sources with the file's line and kind (user or repo).
  for (llm::SettingInfo& info : endpoint->settings)
    if (auto v = a.settings.get(info.key); v && info.source.rfind("config ", 0) == 0)
      info.source = v->where();
  for (size_t i = 0; i < endpoint->refused.size() && i < a.settings.refused.size(); ++i)
    endpoint->refused[i].source = a.settings.refused[i].where();
  return run_doctor(*endpoint, out, err);
}

int run_doctor(const llm::EndpointConfig& cfg, std::ostream& out, std::ostream& err) {
  out << "diffsmith doctor: model endpoint\n";
  for (const llm::SettingInfo& s : cfg.settings) {
    if (s.source == "unset" && s.key != "api-key") continue;
    bool azure_only = s.key == "api-version" || s.key.rfind("azure-", 0) == 0;
    if ((cfg.provider == llm::Provider::Azure) != azure_only && (azure_only || s.key == "base-url")) continue;
    row(out, s.key, s.value.empty() ? "-" : text::redact(s.value), s.source);
  }
  for (const llm::SettingInfo& s : cfg.refused)
    row(out, s.key, "refused",
        s.source + ": " + (s.value.empty() ? "a repository's .diffsmith.toml may not set it" : s.value) +
            "; ignored");  // value: why (a budget it would raise)
  if (!cfg.replay_path.empty()) {
    row(out, "endpoint", "replay cassette " + cfg.replay_path + " (no network)");
  } else {
    row(out, "endpoint", "POST " + text::redact(llm::redact_url(llm::endpoint_url(cfg))));
  }
  if (cfg.api_key_source.rfind("config ", 0) == 0) {
    out << "  warning: the API key is read from a config file; prefer the " << cfg.api_key_env
        << " environment variable\n";
  }

  auto client = llm::make_client(cfg);
  if (!client.ok()) {
    return fail(err, "doctor", text::redact(client.error().message), exit_code_for(client.error()));
  }

  llm::Request req;
  req.model = cfg.model;
  req.messages.push_back(llm::Message::user("Reply with the single word: ok"));
  req.generation = cfg.generation;
  if (!req.generation.max_output_tokens) {
    // A reasoning model spends tokens on reasoning before the answer.
    bool reasons = llm::reasoning_support(cfg.model) == llm::ReasoningSupport::Yes;
    req.generation.max_output_tokens = reasons ? 1024 : 16;
  }
  for (const std::string& note : llm::generation_notices(cfg.model, req.generation)) {
    out << "  note: " << note << "\n";
  }
  out << "sending one tiny request (max output tokens " << *req.generation.max_output_tokens << ")...\n";
  out.flush();
  auto turn = (*client)->complete(req, nullptr);
  if (!turn.ok()) {
    return fail(err, "doctor", "request failed: " + text::redact(turn.error().message),
                exit_code_for(turn.error()));
  }

  out << "ok: answered in " << turn->latency.count() << " ms"
      << (turn->attempts > 1 ? " after " + std::to_string(turn->attempts) + " attempts" : std::string())
      << "\n";
  row(out, "model", turn->model.empty() ? "(not reported)" : turn->model);
  row(out, "request id", turn->request_id.empty() ? "(none)" : turn->request_id);
  row(out, "reply", text::redact(short_reply(turn->text)), "finish_reason " + turn->finish_reason);
  if (turn->usage_known) {
    row(out, "usage",
        "prompt " + std::to_string(turn->usage.prompt_tokens) + " (cached " +
            std::to_string(turn->usage.cached_tokens) + "), completion " +
            std::to_string(turn->usage.completion_tokens));
    std::string model = turn->model.empty() ? cfg.model : turn->model;
    llm::Cost cost = llm::cost_of(turn->usage, llm::price_for(model, cfg.prices));
    row(out, "cost", cost.usd ? llm::format_usd(*cost.usd) : llm::cost_unknown_note(model));
  } else {
    row(out, "usage", "not reported by the server");
  }
  if (turn->rate_limits.empty()) {
    row(out, "rate limits", "no x-ratelimit-* headers");
  } else {
    bool first = true;
    for (const auto& [name, value] : turn->rate_limits) {
      row(out, first ? "rate limits" : "", name + ": " + value);
      first = false;
    }
  }
  return to_int(ExitCode::Ok);
}

}  // namespace ds::agent
