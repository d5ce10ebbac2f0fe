// ProgressTicker (agent/progress.hpp).
#include "agent/progress.hpp"

namespace ds::agent {

ProgressTicker::ProgressTicker(EventSink& events, std::chrono::milliseconds every, ev::Progress what) {
  if (every.count() > 0) thread_ = std::thread([this, &events, every, what] { tick(events, every, what); });
}

ProgressTicker::~ProgressTicker() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(m_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ProgressTicker::tick(EventSink& events, std::chrono::milliseconds every, ev::Progress what) {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(m_);
  for (auto next = start + every; !cv_.wait_until(lock, next, [this] { return done_; }); next += every) {
    what.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
            .count();
    events.event(what);  // under the lock: the destructor waits for it to be written
  }
}

}  // namespace ds::agent
