// What `diffsmith batch` shows while it works, on stderr: a line per
// finished task, and on a terminal also a live status line (done/total,
// solved, cost, ETA) redrawn in place. Thread-safe: workers report to it.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>

namespace ds::agent {

struct TaskResult;

class BatchProgress {
 public:
  // `cost_now` gives the cost of all tasks so far (nullopt = unknown).
  BatchProgress(std::ostream& err, bool live, bool quiet, size_t total,
                std::function<std::optional<double>()> cost_now);

  void task_started(const std::string& id);
  void task_finished(const TaskResult& r);
  void note(const std::string& line);  // printed above the live line
  void tick();                         // redraw the live line (live mode only)
  void finish();                       // clear the live line

  size_t done() const;
  size_t solved() const;

  // "3/10 done · 2 solved · 1 running · $0.0123 · ETA 4m 10s".
  std::string status_line() const;

 private:
  void clear_line();  // callers hold mu_
  void draw_line();

  std::ostream& err_;
  bool live_, quiet_;
  size_t total_;
  std::function<std::optional<double>()> cost_now_;
  mutable std::mutex mu_;
  size_t done_ = 0, solved_ = 0, running_ = 0;
  bool line_shown_ = false;
  std::chrono::steady_clock::time_point started_;
};

// "4m 10s", "12.3s", "1h 02m".
std::string format_duration(double seconds);

}  // namespace ds::agent
