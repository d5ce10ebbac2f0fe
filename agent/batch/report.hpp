// The end of a batch: a summary of the selected tasks, read back from the
// predictions and meta files (so tasks done by earlier, resumed runs are
// included), printed as a text table and written as a self-contained HTML
// page (table with status, turns, cost, duration, a link to each diff;
// totals).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace ds::agent {

struct ReportRow {
  std::string id;
  std::string status = "not run";  // solved | unverified | unsolved | error | interrupted | not run
  std::string reason;
  int turns = 0;
  std::optional<double> cost_usd;
  double duration_s = 0;
  std::string patch;  // model_patch from the predictions file
  bool in_predictions = false;
  std::optional<bool> patch_applies;
  // From the meta line; nullopt: written before diffsmith recorded the mode.
  std::optional<bool> oracle_tests, hints;
  // From the task's trajectory (the meta line names it) and the meta line.
  std::string model;      // the model the endpoint was asked for
  std::string task;       // the task text the model got
  std::string test_tail;  // the end of the last test run's output
  std::optional<bool> tests_passed;
  std::string attempts;  // --attempts N: "3 attempts, 2 verified, winner 2: <why>"; "" otherwise
};

struct BatchReport {
  std::string title = "diffsmith batch";
  std::string model_name;
  std::string out_path;
  std::string shard;            // "0/4", or "" when not sharded
  std::vector<ReportRow> rows;  // in task order

  struct Totals {
    size_t tasks = 0, solved = 0, unverified = 0, unsolved = 0, errors = 0, interrupted = 0, not_run = 0,
           predictions = 0;
    size_t oracle_tests = 0, hints = 0, mode_unknown = 0;  // rows run so (of those that ran)
    int turns = 0;
    double cost_usd = 0;
    bool cost_known = true;
    double duration_s = 0;
  };
  Totals totals() const;
};

// Rows for `ids` from the latest line per id of the predictions file and of
// its meta file.
Result<BatchReport> collect_report(const std::vector<std::string>& ids, const std::string& out_path,
                                   const std::string& meta_path);

// How the tasks were run, for the summary and the report's header: ""
// when every task that ran did so in standard mode; else a warning that
// the numbers are not a SWE-bench score, with the counts.
std::string oracle_warning(const BatchReport& r);

// A fixed-width table and a totals line, for stdout.
std::string summary_text(const BatchReport& r);

// The HTML page: no external resources, works without JavaScript (a small
// inline script only adds sorting by column).
std::string report_html(const BatchReport& r);

// Writes report_html atomically (temp file + rename).
Status write_report_html(const std::string& path, const BatchReport& r);

// `s` with & < > " ' escaped for HTML text and attribute values.
std::string html_escape(const std::string& s);

}  // namespace ds::agent
