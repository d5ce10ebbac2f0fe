// Signal handling for runs.
#include "agent/interrupt.hpp"

#include <csignal>

#include "exec/process.hpp"

namespace ds::agent {
namespace {

std::atomic<bool> g_interrupted{false};
struct sigaction g_old_int, g_old_term;

void on_signal(int sig) {
  if (g_interrupted.exchange(true)) {
    // Second signal: stop now.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  exec::kill_running_children();
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted = false;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>* InterruptGuard::flag() const { return &g_interrupted; }

}  // namespace ds::agent
