// While a test run or a model's command runs, the session's thread waits in
// the runner and nothing is said: a ProgressTicker says, from a thread of
// its own, what runs and for how long (a Progress event about once a
// second, the first after one interval) until it is destroyed. The session
// emits nothing else meanwhile, so the sinks see one event at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agent/events.hpp"

namespace ds::agent {

class ProgressTicker {
 public:
  // `every` zero: no thread, no events (batch).
  ProgressTicker(EventSink& events, std::chrono::milliseconds every, ev::Progress what);
  ~ProgressTicker();
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;

 private:
  void tick(EventSink& events, std::chrono::milliseconds every, ev::Progress what);
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace ds::agent
