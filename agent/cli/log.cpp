// `diffsmith log`: list_runs, one line (or one JSON object) per run.
#include "agent/cli/log.hpp"

#include <cstdio>
#include <iostream>

#include "agent/cli/run_history.hpp"
#include "agent/exit_code.hpp"
#include "json/value.hpp"

namespace ds::agent {
namespace {

std::string cost_text(const RunInfo& r) {
  if (r.turns == 0) return "-";  // no model request: no cost to know
  const std::optional<double>& cost = r.cost_usd;
  if (!cost) return "$?";  // the price is unknown
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", *cost);
  return buf;
}

json::Value run_json(const RunInfo& r) {
  json::Value v = json::Value::object();
  v.set("run", r.id).set("started", r.started).set("status", r.status).set("turns", r.turns);
  v.set("cost_usd", r.cost_usd ? json::Value(*r.cost_usd) : json::Value(nullptr));
  v.set("files_changed", static_cast<int64_t>(r.files_changed)).set("task", r.task);
  v.set("model", r.model).set("reason", r.reason).set("summary", r.summary).set("undone", r.undone);
  if (r.ref) {  // the checkpoints, as `log --json` printed them before
    v.set("updated", r.ref->tip.time).set("checkpoints", static_cast<int64_t>(r.ref->checkpoints));
    v.set("start_commit", r.ref->first.commit).set("last_commit", r.ref->tip.commit).set("base", r.ref->base);
  }
  return v;
}

}  // namespace

int run_log_command(const LogCommandOptions& o, std::ostream& out, std::ostream& err) {
  auto repo = git::Repository::open(o.dir);
  if (!repo) return fail(err, "log", repo.error().message, ExitCode::Repository);
  auto runs = list_runs(*repo);
  if (!runs) return fail(err, "log", runs.error().message, ExitCode::Repository);
  if (runs->empty() && !o.json) out << "no diffsmith runs in " << repo->root() << "\n";
  for (const auto& r : *runs) {
    if (o.json) {
      out << json::dump(run_json(r)) << "\n";
      continue;
    }
    char line[160];
    std::snprintf(line, sizeof line, "%s  %s  %-10s %3lld turn(s)  %-8s %3zu file(s)  ", r.id.c_str(),
                  format_local_time(r.started).substr(0, 16).c_str(), r.undone ? "undone" : r.status.c_str(),
                  static_cast<long long>(r.turns), cost_text(r).c_str(), r.files_changed);
    out << line << first_line(r.task, 60) << "\n";
  }
  return to_int(ExitCode::Ok);
}

}  // namespace ds::agent
