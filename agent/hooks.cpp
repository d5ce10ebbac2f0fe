// Running one hook: the payload goes to a file the command reads as stdin,
// its stderr to another (the runner merges stdout and stderr otherwise).
#include "agent/hooks.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ds::agent {

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

HookRun run_hook(exec::ProcessRunner& runner, const std::string& event, const std::string& command,
                 json::Value payload, const std::string& run_id, const std::string& work_tree,
                 int timeout_s) {
  HookRun h;
  if (command.empty()) return h;
  json::Value obj = json::Value::object();
  obj.set("event", event).set("run_id", run_id).set("work_tree", work_tree);
  for (const auto& [k, v] : payload.members()) obj.set(k, v);
  std::string tmpl = (std::filesystem::temp_directory_path() / "ds-hook-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) {
    h.problem = "the " + event + " hook could not run: no temporary directory";
    return h;
  }
  std::string dir = tmpl, in_path = dir + "/stdin.json", err_path = dir + "/stderr";
  {
    std::ofstream out(in_path, std::ios::binary);
    out << json::dump(obj) << "\n";
  }
  exec::RunRequest req;
  req.command = "exec /bin/sh -c " + shell_quote(command) + " < " + shell_quote(in_path) + " 2> " +
                shell_quote(err_path);
  req.cwd = work_tree;
  req.timeout = std::chrono::seconds(timeout_s);
  req.set["DIFFSMITH_HOOK_EVENT"] = event;
  req.set["DIFFSMITH_RUN_ID"] = run_id;
  auto r = runner.run(req);
  {
    std::ifstream in(err_path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    h.stderr_text = ss.str();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!r.ok()) {
    h.problem = "the " + event + " hook could not start: " + r.error().message;
    return h;
  }
  h.ran = true;
  h.exit_code = r->exit_code;
  h.timed_out = r->timed_out;
  if (r->timed_out)
    h.problem = "the " + event + " hook was killed after " + std::to_string(timeout_s) + " s; ignored";
  else if (r->exit_code == 2)
    h.blocked = true;
  else if (r->exit_code != 0)
    h.problem = "the " + event + " hook exited " + std::to_string(r->exit_code) + "; ignored" +
                (h.stderr_text.empty() ? "" : ": " + h.stderr_text.substr(0, 500));
  if (h.blocked && h.stderr_text.empty()) h.stderr_text = "blocked by the " + event + " hook (exit 2)";
  return h;
}

}  // namespace ds::agent
