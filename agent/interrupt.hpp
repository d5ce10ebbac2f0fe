// Ctrl-C (SIGINT) and SIGTERM during a run: the first one sets a flag that the
// loop, the model client and the test runner check, and stops a running test
// command; the run then ends cleanly (checkpoint kept, lock released, exit
// 130). A second signal ends the process at once.
#pragma once

#include <atomic>

namespace ds::agent {

class InterruptGuard {
 public:
  InterruptGuard();   // installs the handlers
  ~InterruptGuard();  // restores the previous ones
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  const std::atomic<bool>* flag() const;
};

}  // namespace ds::agent
