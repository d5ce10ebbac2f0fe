// Batch summary: collected from the output files, printed as text, rendered
// as one self-contained HTML page.
#include "agent/batch/report.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "agent/batch/output.hpp"
#include "agent/batch/progress.hpp"
#include "agent/trajectory.hpp"
#include "base/atomic_write.hpp"
#include "llm/pricing.hpp"
#include "text/redact.hpp"

namespace ds::agent {
namespace {

std::string cost_text(const std::optional<double>& c) { return c ? llm::format_usd(*c) : "unknown"; }

// A meta line's `attempts` (--attempts N) in one line: how many ran, how many
// were verified, and which won why.
std::string attempts_text(const json::Value& d) {
  const auto& attempts = d["attempts"].items();
  if (attempts.empty()) return "";
  int ran = 0, solved = 0;
  std::string winner;
  for (const auto& a : attempts) {
    ran += a["status"].as_string() != "not_run";
    solved += a["status"].as_string() == "solved";
    if (a["winner"].as_bool()) winner = std::to_string(a["attempt"].as_int());
  }
  std::string out = std::to_string(ran) + " of " + std::to_string(attempts.size()) + " attempts ran, " +
                    std::to_string(solved) + " solved";
  if (!winner.empty()) out += "; chosen: " + d["selection"].as_string();
  return out;
}

// Diff lines coloured by kind, escaped.
std::string diff_html(const std::string& patch) {
  std::string out;
  size_t pos = 0;
  while (pos < patch.size()) {
    size_t nl = patch.find('\n', pos);
    if (nl == std::string::npos) nl = patch.size();
    std::string line = patch.substr(pos, nl - pos);
    pos = nl + 1;
    const char* cls = "";
    if (line.rfind("diff --git", 0) == 0 || line.rfind("+++", 0) == 0 || line.rfind("---", 0) == 0)
      cls = "h";
    else if (line.rfind("@@", 0) == 0)
      cls = "k";
    else if (!line.empty() && line[0] == '+')
      cls = "a";
    else if (!line.empty() && line[0] == '-')
      cls = "d";
    out += *cls ? "<span class=\"" + std::string(cls) + "\">" + html_escape(line) + "</span>\n"
                : html_escape(line) + "\n";
  }
  return out;
}

const char* kStyle = R"(body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;margin:1em 0}
th,td{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
th{cursor:pointer;background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.solved{color:#116611;font-weight:bold}.unsolved{color:#995500}.error,.interrupted{color:#bb1111}
.not-run{color:#777}.unverified{color:#995500}
.oracle{background:#fff0f0;border:2px solid #bb1111;padding:.6em;color:#bb1111}.totals td{font-weight:bold;border-top:2px solid #999}
pre{background:#f8f8f8;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:12px}
pre .a{color:#116611}pre .d{color:#bb1111}pre .k{color:#0066aa}pre .h{font-weight:bold}
.reason{color:#555;font-size:12px})";

// Click a header to sort by that column (numbers by data-v).
const char* kScript = R"(document.documentElement.dataset.rendered='yes';
document.querySelectorAll('#tasks th').forEach(function(th,i){th.addEventListener('click',function(){
var tb=document.querySelector('#tasks tbody'),rows=Array.from(tb.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i].textContent;
var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){tb.appendChild(r);});});});)";

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

BatchReport::Totals BatchReport::totals() const {
  Totals t;
  for (const auto& r : rows) {
    ++t.tasks;
    if (r.status == "solved")
      ++t.solved;
    else if (r.status == "unverified" || r.status == "done")
      ++t.unverified;
    else if (r.status == "unsolved" || r.status == "no_change")
      ++t.unsolved;
    else if (r.status == "error")
      ++t.errors;
    else if (r.status == "interrupted")
      ++t.interrupted;
    else
      ++t.not_run;
    if (r.in_predictions) ++t.predictions;
    if (r.status != "not run") {
      t.oracle_tests += r.oracle_tests.value_or(false);
      t.hints += r.hints.value_or(false);
      t.mode_unknown += !r.oracle_tests.has_value();
    }
    t.turns += r.turns;
    t.duration_s += r.duration_s;
    if (r.status == "not run") continue;
    if (r.cost_usd)
      t.cost_usd += *r.cost_usd;
    else if (r.turns > 0)
      t.cost_known = false;
  }
  return t;
}

namespace {

// The task text and the last test run from a task's trajectory; nothing
// when it cannot be read (an older or removed work dir).
void read_trajectory(const std::string& path, ReportRow& row) {
  if (path.empty()) return;
  auto records = read_trajectory_records(path);
  if (!records.ok()) return;
  for (const auto& r : *records) {
    if (r.is_message) continue;
    const std::string& type = r.value["type"].as_string();
    if (type == "run_started" && row.task.empty()) {
      row.task = r.value["task"].as_string();
    } else if (type == "tests") {
      row.test_tail = r.value["output_tail"].as_string();
      row.tests_passed = r.value["passed"].as_bool();
    }
  }
}

// A task's section: model, task text, the last test run's output, its diff.
std::string task_section(const ReportRow& row, size_t i) {
  bool ran = !row.task.empty() || !row.test_tail.empty() || !row.patch.empty();
  if (!ran) return "";
  std::string h = "<h2 id=\"task-" + std::to_string(i) + "\">" + html_escape(row.id) + "</h2>\n<p>" +
                  html_escape(row.status);
  if (!row.model.empty()) h += " · model <b>" + html_escape(row.model) + "</b>";
  h += "</p>\n";
  if (!row.task.empty())
    h += "<details class=\"task-text\"><summary>task</summary><pre>" + html_escape(text::redact(row.task)) +
         "</pre></details>\n";
  if (row.tests_passed) {
    h += "<p>last test run: " + std::string(*row.tests_passed ? "passed" : "failed") + "</p>\n";
    if (!row.test_tail.empty())
      h += "<pre class=\"tests\">" + html_escape(text::redact(row.test_tail)) + "</pre>\n";
  }
  if (!row.patch.empty())
    h += "<pre class=\"diff\" id=\"diff-" + std::to_string(i) + "\">" + diff_html(text::redact(row.patch)) +
         "</pre>\n";
  return h;
}

}  // namespace

Result<BatchReport> collect_report(const std::vector<std::string>& ids, const std::string& out_path,
                                   const std::string& meta_path) {
  auto preds = read_latest_by_id(out_path);
  if (!preds) return preds.error();
  auto meta = read_latest_by_id(meta_path);
  if (!meta) return meta.error();
  BatchReport rep;
  rep.out_path = out_path;
  for (const auto& id : ids) {
    ReportRow row;
    row.id = id;
    if (auto m = meta->find(id); m != meta->end()) {
      const json::Value& d = m->second["diffsmith"];
      row.status = d["status"].as_string_or("not run");
      row.reason = d["reason"].as_string();
      row.turns = static_cast<int>(d["turns"].as_int());
      if (d["cost_usd"].is_number()) row.cost_usd = d["cost_usd"].as_double();
      row.duration_s = d["duration_s"].as_double();
      if (d["patch_applies"].is_bool()) row.patch_applies = d["patch_applies"].as_bool();
      if (d["oracle_tests"].is_bool()) row.oracle_tests = d["oracle_tests"].as_bool();
      if (d["hints"].is_bool()) row.hints = d["hints"].as_bool();
      row.model = d["model"].as_string();
      read_trajectory(d["trajectory"].as_string(), row);
      row.attempts = attempts_text(d);
    }
    if (auto p = preds->find(id); p != preds->end()) {
      row.in_predictions = true;
      row.patch = p->second["model_patch"].as_string();
      if (rep.model_name.empty()) rep.model_name = p->second["model_name_or_path"].as_string();
      if (row.status == "not run") row.status = "unsolved";  // a prediction from elsewhere, no meta line
    }
    rep.rows.push_back(std::move(row));
  }
  return rep;
}

std::string oracle_warning(const BatchReport& r) {
  auto t = r.totals();
  if (t.oracle_tests == 0 && t.hints == 0 && t.mode_unknown == 0) return "";
  std::string ran = std::to_string(t.tasks - t.not_run);
  std::string w = "ORACLE RUN, not a SWE-bench score:";
  if (t.oracle_tests > 0)
    w += " " + std::to_string(t.oracle_tests) + " of " + ran +
         " task(s) ran with --oracle-tests (test_patch applied, the FAIL_TO_PASS/PASS_TO_PASS ids given);";
  if (t.hints > 0) w += " " + std::to_string(t.hints) + " of " + ran + " with --hints (hints_text shown);";
  if (t.mode_unknown > 0)
    w += " " + std::to_string(t.mode_unknown) + " of " + ran +
         " come from a diffsmith that did not record its mode (it used the tests);";
  w.back() = '.';
  return w + " Standard mode (the default) is what SWE-bench's rules allow; see docs/swe-bench.md.";
}

std::string summary_text(const BatchReport& r) {
  size_t w = 8;
  for (const auto& row : r.rows) w = std::max(w, std::min<size_t>(row.id.size(), 60));
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-*s  %-11s %5s %11s %9s  %s\n", static_cast<int>(w), "TASK", "STATUS",
                "TURNS", "COST", "TIME", "PATCH");
  out += line;
  for (const auto& row : r.rows) {
    std::string patch =
        row.in_predictions ? (row.patch.empty() ? "empty" : std::to_string(row.patch.size()) + " B") : "-";
    if (row.patch_applies && !*row.patch_applies) patch += " (does not apply!)";
    std::snprintf(line, sizeof line, "%-*s  %-11s %5d %11s %9s  %s\n", static_cast<int>(w),
                  row.id.substr(0, 60).c_str(), row.status.c_str(), row.turns,
                  cost_text(row.cost_usd).c_str(), format_duration(row.duration_s).c_str(), patch.c_str());
    out += line;
  }
  auto t = r.totals();
  out += "solved " + std::to_string(t.solved) + "/" + std::to_string(t.tasks) + " · unverified " +
         std::to_string(t.unverified) + " · unsolved " + std::to_string(t.unsolved) + " · errors " +
         std::to_string(t.errors) + " · interrupted " + std::to_string(t.interrupted) + " · not run " +
         std::to_string(t.not_run) + " · " + std::to_string(t.predictions) + " prediction(s) · " +
         std::to_string(t.turns) + " turns · " +
         (t.cost_known ? llm::format_usd(t.cost_usd) : "cost unknown") + " · task time " +
         format_duration(t.duration_s) + "\n";
  if (std::string w = oracle_warning(r); !w.empty()) out += w + "\n";
  return out;
}

std::string report_html(const BatchReport& r) {
  auto t = r.totals();
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
                  html_escape(r.title) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n<h1>" +
                  html_escape(r.title) + "</h1>\n<p>";
  std::vector<std::string> models;  // the models the tasks ran with
  for (const auto& row : r.rows)
    if (!row.model.empty() && std::find(models.begin(), models.end(), row.model) == models.end())
      models.push_back(row.model);
  for (const auto& m : models) h += "model <b>" + html_escape(m) + "</b> · ";
  if (!r.model_name.empty()) h += "model_name_or_path <b>" + html_escape(r.model_name) + "</b> · ";
  h += "predictions <code>" + html_escape(r.out_path) + "</code>";
  if (!r.shard.empty()) h += " · shard " + html_escape(r.shard);
  h += "</p>\n";
  if (std::string w = oracle_warning(r); !w.empty())
    h += "<p id=\"mode\" class=\"oracle\"><b>" + html_escape(w) + "</b></p>\n";
  else if (t.tasks > t.not_run)
    h += "<p id=\"mode\">standard mode: the model saw the problem statement and the repository at "
         "base_commit only</p>\n";
  h += "<p id=\"score\">solved <b>" + std::to_string(t.solved) + "</b> of " + std::to_string(t.tasks) +
       "</p>\n";
  h += "<table "
       "id=\"tasks\"><thead><tr><th>task</th><th>status</th><th>turns</th><th>cost</th><th>duration</th>"
       "<th>diff</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const auto& row = r.rows[i];
    std::string cls = row.status == "not run" ? "not-run" : row.status;
    h += "<tr class=\"task\"><td>" + html_escape(row.id);
    if (!row.task.empty() || !row.test_tail.empty())
      h += " <a href=\"#task-" + std::to_string(i) + "\">details</a>";
    if (!row.reason.empty() && row.status != "solved")
      h += "<div class=\"reason\">" + html_escape(text::redact(row.reason)) + "</div>";
    if (!row.attempts.empty()) h += "<div class=\"attempts\">" + html_escape(row.attempts) + "</div>";
    h += "</td><td class=\"" + cls + "\">" + html_escape(row.status) + "</td>";
    h += "<td class=\"n\">" + std::to_string(row.turns) + "</td>";
    h += "<td class=\"n\" data-v=\"" + (row.cost_usd ? std::to_string(*row.cost_usd) : std::string("-1")) +
         "\">" + html_escape(cost_text(row.cost_usd)) + "</td>";
    h += "<td class=\"n\" data-v=\"" + std::to_string(row.duration_s) + "\">" +
         format_duration(row.duration_s) + "</td><td>";
    if (!row.patch.empty())
      h += "<a href=\"#diff-" + std::to_string(i) + "\">diff</a>";
    else
      h += row.in_predictions ? "empty" : "-";
    if (row.patch_applies && !*row.patch_applies) h += " <b class=\"error\">does not apply</b>";
    h += "</td></tr>\n";
  }
  h += "</tbody>\n<tfoot><tr class=\"totals\"><td>total " + std::to_string(t.tasks) + "</td><td>" +
       std::to_string(t.solved) + " solved</td><td class=\"n\">" + std::to_string(t.turns) +
       "</td><td class=\"n\">" + (t.cost_known ? llm::format_usd(t.cost_usd) : std::string("unknown")) +
       "</td><td class=\"n\">" + format_duration(t.duration_s) + "</td><td>" + std::to_string(t.predictions) +
       " predictions</td></tr></tfoot>\n";
  h += "</table>\n<p>unverified " + std::to_string(t.unverified) + " · unsolved " +
       std::to_string(t.unsolved) + " · errors " + std::to_string(t.errors) + " · interrupted " +
       std::to_string(t.interrupted) + " · not run " + std::to_string(t.not_run) + "</p>\n";
  for (size_t i = 0; i < r.rows.size(); ++i) h += task_section(r.rows[i], i);
  h += "<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return h;
}

Status write_report_html(const std::string& path, const BatchReport& r) {
  Status st = write_file_atomic(path, report_html(r), new_file_mode(false));
  if (!st) return make_error("cannot write the report: " + st.error().message);
  return Ok{};
}

}  // namespace ds::agent
