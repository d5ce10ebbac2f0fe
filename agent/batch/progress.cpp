// Progress lines and the live status line of `diffsmith batch`.
#include "agent/batch/progress.hpp"

#include <cstdio>

#include "agent/batch/runner.hpp"
#include "llm/pricing.hpp"

namespace ds::agent {

std::string format_duration(double seconds) {
  char buf[32];
  if (seconds < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
  else if (seconds < 3600)
    std::snprintf(buf, sizeof buf, "%dm %02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh %02dm", static_cast<int>(seconds) / 3600,
                  static_cast<int>(seconds) % 3600 / 60);
  return buf;
}

BatchProgress::BatchProgress(std::ostream& err, bool live, bool quiet, size_t total,
                             std::function<std::optional<double>()> cost_now)
    : err_(err),
      live_(live),
      quiet_(quiet),
      total_(total),
      cost_now_(std::move(cost_now)),
      started_(std::chrono::steady_clock::now()) {}

size_t BatchProgress::done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return done_;
}

size_t BatchProgress::solved() const {
  std::lock_guard<std::mutex> lock(mu_);
  return solved_;
}

std::string BatchProgress::status_line() const {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string line = std::to_string(done_) + "/" + std::to_string(total_) + " done · " +
                     std::to_string(solved_) + " solved · " + std::to_string(running_) + " running · ";
  auto cost = cost_now_ ? cost_now_() : std::nullopt;
  line += cost ? llm::format_usd(*cost) : std::string("cost unknown");
  if (done_ > 0 && done_ < total_)
    line += " · ETA " +
            format_duration(elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_));
  line += " · " + format_duration(elapsed);
  return line;
}

void BatchProgress::clear_line() {
  if (!line_shown_) return;
  err_ << "\r\x1b[K";
  line_shown_ = false;
}

void BatchProgress::draw_line() {
  if (!live_) return;
  err_ << "\r\x1b[K" << status_line() << std::flush;
  line_shown_ = true;
}

void BatchProgress::task_started(const std::string& id) {
  (void)id;
  std::lock_guard<std::mutex> lock(mu_);
  ++running_;
  draw_line();
}

void BatchProgress::task_finished(const TaskResult& r) {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ > 0) --running_;
  ++done_;
  if (r.status == "solved") ++solved_;
  if (!quiet_ || r.status == "error") {
    clear_line();
    std::string line =
        "[" + std::to_string(done_) + "/" + std::to_string(total_) + "] " + r.id + "  " + r.status;
    line += "  " + std::to_string(r.turns) + " turn(s)  ";
    line += r.cost_usd ? llm::format_usd(*r.cost_usd) : std::string("cost unknown");
    line += "  " + format_duration(r.duration_s);
    if (r.status != "solved" && !r.reason.empty()) line += "  (" + r.reason + ")";
    err_ << line << "\n";
  }
  draw_line();
  err_ << std::flush;
}

void BatchProgress::note(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  clear_line();
  err_ << line << "\n";
  draw_line();
  err_ << std::flush;
}

void BatchProgress::tick() {
  std::lock_guard<std::mutex> lock(mu_);
  draw_line();
}

void BatchProgress::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  clear_line();
  err_ << std::flush;
}

}  // namespace ds::agent
