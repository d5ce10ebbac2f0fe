// SystemRunner: fork/exec `/bin/sh -c CMD` in a new session (so its own
// process group), stdout+stderr into one pipe read by a poll loop, the whole
// group killed at the timeout, on kill_running_children(), and after the
// command exits (background children and daemons never outlive a run).
#include "exec/process.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>

#include "exec/capture.hpp"

extern char** environ;

namespace ds::exec {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kTermGrace{1000};  // SIGTERM → SIGKILL
constexpr milliseconds kPipeGrace{200};   // command exited, pipe still open
constexpr milliseconds kDrainLimit{500};  // group killed, pipe still open
constexpr milliseconds kTick{100};        // how often the interrupt flag is seen
constexpr int kReadsPerWake = 16;         // keeps the loop responsive under floods

// Process groups of running commands, for kill_running_children(). Plain
// lock-free atomics so a signal handler may read them.
constexpr int kSlots = 64;
std::atomic<pid_t> g_groups[kSlots];
std::atomic<unsigned long> g_interrupts{0};

class GroupSlot {
 public:
  explicit GroupSlot(pid_t pgid) {
    for (int i = 0; i < kSlots; ++i) {
      pid_t expected = 0;
      if (g_groups[i].compare_exchange_strong(expected, pgid)) {
        index_ = i;
        return;
      }
    }
  }
  ~GroupSlot() {
    if (index_ >= 0) g_groups[index_].store(0);
  }
  GroupSlot(const GroupSlot&) = delete;
  GroupSlot& operator=(const GroupSlot&) = delete;

 private:
  int index_ = -1;  // -1: table full; the run still sees the interrupt flag
};

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return ::fnmatch(p.c_str(), name.c_str(), 0) == 0; });
}

// The parent's environment minus scrubbed names, plus req.set.
std::vector<std::string> child_environment(const RunRequest& req) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    if (req.set.count(name)) continue;
    if (matches_any(name, req.scrub) && !matches_any(name, req.keep)) continue;
    env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : req.set) env.push_back(k + "=" + v);
  return env;
}

[[noreturn]] void report_and_exit(int err_fd, int stage) {
  int msg[2] = {stage, errno};
  ssize_t ignored = ::write(err_fd, msg, sizeof msg);
  (void)ignored;
  ::_exit(127);
}

// Runs in the child between fork and exec: async-signal-safe calls only.
// Failures are reported to the parent as {stage, errno} on `err_fd`.
[[noreturn]] void exec_child(const RunRequest& req, char* const* argv, char* const* envp, int out_fd,
                             int err_fd) {
  auto fail = [err_fd](int stage) { report_and_exit(err_fd, stage); };
  if (::setsid() < 0) fail(0);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU})
    ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0) fail(1);
  if (::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) fail(1);
  // Descriptors the parent leaked without O_CLOEXEC must not reach the command.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  if (!req.cwd.empty() && ::chdir(req.cwd.c_str()) < 0) fail(2);
  ::execve("/bin/sh", argv, envp);
  report_and_exit(err_fd, 3);
}

int exit_code_of(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return info.si_status;
  return 128 + info.si_status;  // CLD_KILLED / CLD_DUMPED
}

milliseconds until(Clock::time_point t, Clock::time_point now) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(t - now));
}

}  // namespace

void kill_running_children() {
  g_interrupts.fetch_add(1);
  for (auto& slot : g_groups) {
    pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, SIGTERM);
  }
}

Result<RunResult> SystemRunner::run(const RunRequest& req) {
  auto start = Clock::now();
  unsigned long interrupts_at_start = g_interrupts.load();

  // Everything the child needs is built before fork: no allocation after it.
  std::vector<std::string> env = child_environment(req);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", command = req.command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0)
    return make_error("could not create a pipe for `" + req.command + "`: " + std::strerror(errno));
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) < 0)
    return make_error("could not create a pipe for `" + req.command + "`: " + std::strerror(errno));
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);

  pid_t pid = ::fork();
  if (pid < 0)
    return make_error("could not fork to run `" + req.command + "`: " + std::strerror(errno) +
                      "; check the process limit (ulimit -u) and free memory");
  if (pid == 0) exec_child(req, argv, envp.data(), out_w.get(), err_w.get());

  out_w.reset();
  err_w.reset();
  int failure[2];
  ssize_t n;
  do n = ::read(err_r.get(), failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof failure)) {  // exec did not happen
    ::waitpid(pid, nullptr, 0);
    static const char* kStage[] = {"setsid", "redirecting stdio", "chdir", "exec /bin/sh"};
    std::string what = kStage[std::clamp(failure[0], 0, 3)];
    std::string msg =
        "could not start `" + req.command + "`: " + what + " failed: " + std::strerror(failure[1]);
    if (failure[0] == 2) msg += " (cwd " + req.cwd + "); check that the directory exists";
    return make_error(msg);
  }

  GroupSlot slot(pid);
  // glibc 2.36's <sys/pidfd.h> lacks extern "C", hence the raw syscall.
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));  // -1 on old kernels: we tick
  ::fcntl(out_r.get(), F_SETFL, ::fcntl(out_r.get(), F_GETFL) | O_NONBLOCK);
  ::fcntl(out_r.get(), F_SETPIPE_SZ, 1 << 20);  // fewer wake-ups on floods; best effort

  RunResult result;
  HeadTailCapture capture(req.output_cap);
  std::vector<char> buf(1 << 16);
  // Clamped so that start + timeout cannot overflow (milliseconds::max() = "no limit").
  auto deadline =
      start + std::clamp(req.timeout, milliseconds(0), milliseconds(100LL * 365 * 24 * 3600 * 1000));
  bool pipe_open = true, exited = false, terminating = false, group_killed = false;
  Clock::time_point term_at, exit_at, killed_at;
  siginfo_t exit_info{};

  auto terminate = [&](Clock::time_point now) {
    terminating = true;
    term_at = now;
    ::kill(-pid, SIGTERM);
  };

  for (;;) {
    auto now = Clock::now();
    if (!exited) {
      if (!terminating && g_interrupts.load() != interrupts_at_start) {
        result.interrupted = true;
        terminate(now);
      } else if (!terminating && now >= deadline) {
        result.timed_out = true;
        terminate(now);
      } else if (terminating && !group_killed && now >= term_at + kTermGrace) {
        ::kill(-pid, SIGKILL);
        group_killed = true;
        killed_at = now;
      }
    } else {
      if (!pipe_open) break;
      // The command is gone but something it started still holds the pipe.
      if (!group_killed && now >= exit_at + kPipeGrace) {
        ::kill(-pid, SIGKILL);
        group_killed = true;
        killed_at = now;
      }
      if (group_killed && now >= std::max(killed_at, exit_at) + kDrainLimit) break;
    }

    milliseconds wait = kTick;
    if (!exited && !terminating) wait = std::min(wait, until(deadline, now));
    if (!exited && terminating && !group_killed) wait = std::min(wait, until(term_at + kTermGrace, now));
    if (exited) wait = std::min(wait, milliseconds(20));
    if (!exited && pidfd.get() < 0) wait = std::min(wait, milliseconds(10));

    pollfd fds[2];
    nfds_t nfds = 0;
    if (pipe_open) fds[nfds++] = {out_r.get(), POLLIN, 0};
    if (!exited && pidfd.get() >= 0) fds[nfds++] = {pidfd.get(), POLLIN, 0};
    int rc = ::poll(fds, nfds, static_cast<int>(wait.count()));
    if (rc < 0 && errno != EINTR) {
      std::string msg = std::string("poll failed while running `") + req.command +
                        "`: " + std::strerror(errno) + "; the command was killed";
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      return make_error(msg);
    }

    if (pipe_open) {
      for (int i = 0; i < kReadsPerWake; ++i) {
        ssize_t got = ::read(out_r.get(), buf.data(), buf.size());
        if (got > 0) {
          capture.append(std::string_view(buf.data(), static_cast<size_t>(got)));
          continue;
        }
        if (got == 0) {
          pipe_open = false;
          out_r.reset();
        } else if (errno == EINTR) {
          continue;
        }
        break;  // EOF or EAGAIN
      }
    }
    if (!exited) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
          info.si_pid == pid) {
        exited = true;
        exit_info = info;
        exit_at = Clock::now();
      }
    }
  }

  // The leader is still an unreaped zombie, so its group id cannot have been
  // reused: kill whatever is left of the group, then reap.
  ::kill(-pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }

  // SIGTERM from kill_running_children() may end the command before the loop
  // saw the flag: it is still an interruption.
  if (!result.timed_out && g_interrupts.load() != interrupts_at_start) result.interrupted = true;
  result.exit_code = (result.timed_out || result.interrupted) ? -1 : exit_code_of(exit_info);
  result.output = capture.text();
  result.output_bytes = capture.total_bytes();
  result.truncated = capture.truncated();
  result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace ds::exec
