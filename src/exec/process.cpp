// SystemRunner: `/bin/sh -c CMD` under a per-run supervisor process (a
// child subreaper in a new session, so the command's process group is the
// supervisor's), stdout+stderr into one pipe read by a poll loop. SIGTERM
// goes to the group at the timeout and on kill_running_children(); then,
// and after the command exits, the supervisor SIGKILLs every descendant,
// daemons that called setsid included, and does the same by itself if the
// runner dies (docs/processes.md says what is guaranteed).
#include "exec/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

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
  ~GroupSlot() { release(); }
  // From here on kill_running_children() leaves this group alone (its leader
  // may be reaped soon, and its id reused).
  void release() {
    if (index_ >= 0) g_groups[index_].store(0);
    index_ = -1;
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
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Messages from the supervisor on the status pipe, 12 bytes, one write each.
enum MsgKind : int32_t { kStarted = 1, kStartFailed = 2, kExited = 3 };
// kStarted: a = the command's pid (= its process group); kStartFailed: a =
// stage, b = errno; kExited: a = si_code, b = si_status of its exit.
struct Msg {
  int32_t kind, a, b;
};
enum Stage : int32_t { kStageSetup = 0, kStageStdio = 1, kStageChdir = 2, kStageExec = 3 };

// What the supervisor and the command need, prepared before fork: between
// fork and exec only async-signal-safe calls are allowed (no allocation).
struct ChildSetup {
  char* const* argv;
  char* const* envp;
  const char* cwd;  // nullptr: stay
  int out_fd;       // the command's stdout+stderr
  int status_fd;    // supervisor → runner messages
  int control_fd;   // runner → supervisor: 'K' = kill everything; EOF = the runner is gone
};

void send_msg(int fd, int32_t kind, int32_t a, int32_t b = 0) {
  Msg m{kind, a, b};
  ssize_t ignored = ::write(fd, &m, sizeof m);
  (void)ignored;
}

// Runs in the command's process, forked from the single-threaded supervisor.
[[noreturn]] void exec_command(const ChildSetup& cs, int exec_fd) {
  auto fail = [exec_fd](int32_t stage) {
    int32_t msg[2] = {stage, errno};
    ssize_t ignored = ::write(exec_fd, msg, sizeof msg);
    (void)ignored;
    ::_exit(127);
  };
  ::setpgid(0, 0);  // its own group: `kill 0` in a test must not reach the supervisor
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU})
    ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0) fail(kStageStdio);
  if (::dup2(cs.out_fd, 1) < 0 || ::dup2(cs.out_fd, 2) < 0) fail(kStageStdio);
  // Descriptors the parent leaked without O_CLOEXEC must not reach the command.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  if (cs.cwd && ::chdir(cs.cwd) < 0) fail(kStageChdir);
  ::execve("/bin/sh", cs.argv, cs.envp);
  fail(kStageExec);
  ::_exit(127);
}

// Sends SIGKILL to every process whose parent is this one, found by reading
// /proc/<pid>/stat (/proc/<pid>/task/<tid>/children needs
// CONFIG_PROC_CHILDREN, which not every kernel has). Raw syscalls and stack
// buffers only. Returns how many it signalled.
int kill_direct_children() {
  struct Dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[1];
  };
  pid_t self = ::getpid();
  int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return 0;
  int killed = 0;
  alignas(8) char buf[8192];
  for (;;) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      const auto* d = reinterpret_cast<const Dirent64*>(buf + off);
      off += d->d_reclen;
      pid_t pid = 0;
      const char* c = d->d_name;
      for (; *c >= '0' && *c <= '9'; ++c) pid = pid * 10 + (*c - '0');
      if (*c != '\0' || pid <= 0 || pid == self) continue;
      char path[64] = "/proc/";
      size_t len = 6;
      for (const char* q = d->d_name; *q && len < 50; ++q) path[len++] = *q;
      for (const char* q = "/stat"; *q; ++q) path[len++] = *q;
      path[len] = '\0';
      int fd = ::open(path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      char stat[512];
      ssize_t got = ::read(fd, stat, sizeof stat - 1);
      ::close(fd);
      if (got <= 0) continue;
      stat[got] = '\0';
      // "pid (comm) S ppid ...": comm may hold anything, so look after the last ')'.
      const char* close = nullptr;
      for (const char* q = stat; *q; ++q)
        if (*q == ')') close = q;
      if (!close || close[1] != ' ' || !close[2] || close[3] != ' ') continue;
      pid_t ppid = 0;
      for (const char* q = close + 4; *q >= '0' && *q <= '9'; ++q) ppid = ppid * 10 + (*q - '0');
      if (ppid == self && ::kill(pid, SIGKILL) == 0) ++killed;
    }
  }
  ::close(dir);
  return killed;
}

// The per-run supervisor: a forked copy of the runner that never execs. It
// is a child subreaper, so every process the command starts stays its
// descendant even after a double fork and setsid (an orphan is re-parented
// to the nearest subreaper, not to init). When told to, when the runner
// closes the control socket, or when the runner dies (its end of the socket
// closes with it, even under SIGKILL), it kills its descendants until none
// is left, then exits.
[[noreturn]] void supervise(const ChildSetup& cs) {
  // Keep only our three descriptors: another run's control socket must not
  // stay open here, or that run's supervisor would miss its runner's death.
  int keep[3] = {cs.out_fd, cs.status_fd, cs.control_fd};
  std::sort(keep, keep + 3);
  int from = 3;
  for (int fd : keep) {
    if (fd > from) ::close_range(static_cast<unsigned>(from), static_cast<unsigned>(fd - 1), 0);
    from = fd + 1;
  }
  ::close_range(static_cast<unsigned>(from), ~0U, 0);

  sigset_t all;
  ::sigfillset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);  // SIGTERM to the group is for the command, not us
  sigset_t chld;
  ::sigemptyset(&chld);
  ::sigaddset(&chld, SIGCHLD);
  int sfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  int exec_pipe[2];
  if (::setsid() < 0 || ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || sfd < 0 ||
      ::pipe2(exec_pipe, O_CLOEXEC) < 0) {
    send_msg(cs.status_fd, kStartFailed, kStageSetup, errno);
    ::_exit(127);
  }
  pid_t cmd = ::fork();
  if (cmd < 0) {
    send_msg(cs.status_fd, kStartFailed, kStageSetup, errno);
    ::_exit(127);
  }
  if (cmd == 0) {
    ::close(exec_pipe[0]);
    exec_command(cs, exec_pipe[1]);
  }
  ::setpgid(cmd, cmd);  // also here, so the group exists before the runner signals it
  ::close(exec_pipe[1]);
  ::close(cs.out_fd);
  int32_t failure[2];
  ssize_t n;
  do n = ::read(exec_pipe[0], failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  ::close(exec_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    ::waitpid(cmd, nullptr, 0);
    send_msg(cs.status_fd, kStartFailed, failure[0], failure[1]);
    ::_exit(127);
  }
  send_msg(cs.status_fd, kStarted, cmd);

  bool reported = false;
  auto report = [&](const siginfo_t& info) {
    if (reported) return;
    send_msg(cs.status_fd, kExited, info.si_code, info.si_status);
    reported = true;
  };
  // While the run goes on: reports the command's exit without reaping it
  // (a zombie leader keeps its group id from being reused while the runner
  // may still signal the group), and reaps orphans that ended before it.
  auto reap_orphans = [&] {
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
      if (info.si_pid == cmd) return report(info);
      ::waitpid(info.si_pid, nullptr, WNOHANG);
    }
  };
  // Reaps everything that has ended; false when no child is left at all.
  auto reap_all = [&]() {
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG) != 0) return errno == EINTR;
      if (info.si_pid == 0) return true;
      if (info.si_pid == cmd) report(info);
    }
  };
  auto drain_signals = [&] {
    signalfd_siginfo info;
    while (::read(sfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
  };
  auto kill_all = [&] {
    for (;;) {
      if (!reap_all()) return;  // no child left (checked first: the /proc scan costs)
      kill_direct_children();
      pollfd p{sfd, POLLIN, 0};
      ::poll(&p, 1, 50);
      drain_signals();
    }
  };

  for (;;) {
    pollfd fds[2] = {{cs.control_fd, POLLIN, 0}, {sfd, POLLIN, 0}};
    int rc = ::poll(fds, 2, -1);
    if (rc < 0 && errno != EINTR) break;
    if (fds[1].revents) {
      drain_signals();
      reap_orphans();
    }
    if (fds[0].revents) {
      char c = 0;
      ssize_t got = ::read(cs.control_fd, &c, 1);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      kill_all();
      if (got <= 0) break;  // EOF: the run is over, or the runner died
    }
  }
  kill_all();
  ::_exit(0);
}

// Reads one whole message; false at EOF or on error.
bool read_msg(int fd, Msg& m) {
  size_t got = 0;
  auto* p = reinterpret_cast<char*>(&m);
  while (got < sizeof m) {
    ssize_t n = ::read(fd, p + got, sizeof m - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
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

namespace {

// The /bin/sh command line and the environment of a request, built before
// fork: between fork and exec nothing may allocate. Not copyable or movable:
// argv and envp point into its own strings.
struct ExecRequest {
  explicit ExecRequest(const RunRequest& req) : env(child_environment(req)), command(req.command) {
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  ExecRequest(const ExecRequest&) = delete;
  ExecRequest& operator=(const ExecRequest&) = delete;

  std::vector<std::string> env;
  std::vector<char*> envp;
  std::string sh = "/bin/sh", dash_c = "-c", command;
  char* argv[4] = {sh.data(), dash_c.data(), command.data(), nullptr};
};

// A command running under its supervisor: the supervisor's pid, the
// command's process group, and the runner's ends of the three channels.
struct Supervised {
  pid_t supervisor = -1;
  pid_t group = -1;
  Fd out_r, status_r, control_w;

  // Closes the control socket (EOF: the supervisor kills whatever is left,
  // then exits) and reaps the supervisor.
  void reap() {
    control_w.reset();
    while (::waitpid(supervisor, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
};

// Forks the supervisor, which starts the command; returns once the command
// runs, or with the stage that failed.
Result<std::unique_ptr<Supervised>> execute(const RunRequest& req, ExecRequest& x) {
  auto pipe_error = [&req] {
    return make_error("could not create a pipe for `" + req.command + "`: " + std::strerror(errno));
  };
  auto run = std::make_unique<Supervised>();
  int out_pipe[2], status_pipe[2], control[2];
  if (::pipe2(out_pipe, O_CLOEXEC) < 0) return pipe_error();
  run->out_r = Fd(out_pipe[0]);
  Fd out_w(out_pipe[1]);
  if (::pipe2(status_pipe, O_CLOEXEC) < 0) return pipe_error();
  run->status_r = Fd(status_pipe[0]);
  Fd status_w(status_pipe[1]);
  // A socket, not a pipe: writing to it after the supervisor is gone must
  // not raise SIGPIPE here (send with MSG_NOSIGNAL).
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) < 0) return pipe_error();
  run->control_w = Fd(control[0]);
  Fd control_r(control[1]);

  ChildSetup cs{x.argv,      x.envp.data(),  req.cwd.empty() ? nullptr : req.cwd.c_str(),
                out_w.get(), status_w.get(), control_r.get()};
  pid_t pid = ::fork();  // the supervisor; its process group is the command's
  if (pid < 0)
    return make_error("could not fork to run `" + req.command + "`: " + std::strerror(errno) +
                      "; check the process limit (ulimit -u) and free memory");
  if (pid == 0) supervise(cs);
  run->supervisor = pid;

  out_w.reset();
  status_w.reset();
  control_r.reset();
  Msg first{};
  if (!read_msg(run->status_r.get(), first) || first.kind != kStarted) {
    run->reap();
    static const char* kStage[] = {"starting the supervisor", "redirecting stdio", "chdir", "exec /bin/sh"};
    bool known = first.kind == kStartFailed;
    std::string what = known ? kStage[std::clamp(first.a, 0, 3)] : "starting the supervisor";
    std::string msg = "could not start `" + req.command + "`: " + what + " failed" +
                      (known ? std::string(": ") + std::strerror(first.b) : std::string());
    if (known && first.a == kStageChdir) msg += " (cwd " + req.cwd + "); check that the directory exists";
    return make_error(msg);
  }
  run->group = first.a;
  return run;
}

// The poll loop: reads the output into the capture, watches the interrupt
// flag and the deadline (SIGTERM, then SIGKILL to everything after a grace),
// and ends when the command has exited and its output is drained.
Result<RunResult> wait_for(const RunRequest& req, Supervised& run, Clock::time_point start,
                           unsigned long interrupts_at_start) {
  const pid_t group = run.group;
  GroupSlot slot(group);
  ::fcntl(run.out_r.get(), F_SETFL, ::fcntl(run.out_r.get(), F_GETFL) | O_NONBLOCK);
  ::fcntl(run.out_r.get(), F_SETPIPE_SZ, 1 << 20);  // fewer wake-ups on floods; best effort

  RunResult result;
  HeadTailCapture capture(req.output_cap);
  std::vector<char> buf(1 << 16);
  // Clamped so that start + timeout cannot overflow (milliseconds::max() = "no limit").
  auto deadline =
      start + std::clamp(req.timeout, milliseconds(0), milliseconds(100LL * 365 * 24 * 3600 * 1000));
  bool pipe_open = true, exited = false, terminating = false, group_killed = false;
  Clock::time_point term_at, exit_at, killed_at;
  int exit_code = -1;

  auto terminate = [&](Clock::time_point now) {
    terminating = true;
    term_at = now;
    ::kill(-group, SIGTERM);
  };
  // Everything the command started, in its group or not, gets SIGKILL.
  auto kill_everything = [&](Clock::time_point now) {
    slot.release();
    char k = 'K';
    ::send(run.control_w.get(), &k, 1, MSG_NOSIGNAL);
    group_killed = true;
    killed_at = now;
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
        kill_everything(now);
      }
    } else {
      if (!pipe_open) break;
      // The command is gone but something it started still holds the pipe.
      if (!group_killed && now >= exit_at + kPipeGrace) kill_everything(now);
      if (group_killed && now >= std::max(killed_at, exit_at) + kDrainLimit) break;
    }

    milliseconds wait = kTick;
    if (!exited && !terminating) wait = std::min(wait, until(deadline, now));
    if (!exited && terminating && !group_killed) wait = std::min(wait, until(term_at + kTermGrace, now));
    if (exited) wait = std::min(wait, milliseconds(20));

    pollfd fds[2];
    nfds_t nfds = 0;
    if (pipe_open) fds[nfds++] = {run.out_r.get(), POLLIN, 0};
    if (!exited) fds[nfds++] = {run.status_r.get(), POLLIN, 0};
    int rc = ::poll(fds, nfds, static_cast<int>(wait.count()));
    if (rc < 0 && errno != EINTR) {
      std::string msg = std::string("poll failed while running `") + req.command +
                        "`: " + std::strerror(errno) + "; the command was killed";
      slot.release();
      run.reap();
      return make_error(msg);
    }

    if (pipe_open) {
      for (int i = 0; i < kReadsPerWake; ++i) {
        ssize_t got = ::read(run.out_r.get(), buf.data(), buf.size());
        if (got > 0) {
          capture.append(std::string_view(buf.data(), static_cast<size_t>(got)));
          continue;
        }
        if (got == 0) {
          pipe_open = false;
          run.out_r.reset();
        } else if (errno == EINTR) {
          continue;
        }
        break;  // EOF or EAGAIN
      }
    }
    if (!exited && rc > 0 && fds[nfds - 1].revents) {
      Msg m{};
      // EOF without a status: the supervisor itself died (killed from inside
      // the command); its group is all we can still reach.
      if (read_msg(run.status_r.get(), m) && m.kind == kExited) {
        exit_code = m.a == CLD_EXITED ? m.b : 128 + m.b;  // CLD_KILLED / CLD_DUMPED
      } else {
        ::kill(-group, SIGKILL);
      }
      exited = true;
      exit_at = Clock::now();
    }
  }

  // The supervisor kills whatever the command left behind, then exits.
  slot.release();
  run.reap();

  // SIGTERM from kill_running_children() may end the command before the loop
  // saw the flag: it is still an interruption.
  if (!result.timed_out && g_interrupts.load() != interrupts_at_start) result.interrupted = true;
  result.exit_code = (result.timed_out || result.interrupted) ? -1 : exit_code;
  result.output = capture.text();
  result.output_bytes = capture.total_bytes();
  result.truncated = capture.truncated();
  result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace

// Build the request, start it under its supervisor, wait for it.
Result<RunResult> SystemRunner::run(const RunRequest& req) {
  auto start = Clock::now();
  unsigned long interrupts_at_start = g_interrupts.load();
  ExecRequest x(req);
  auto run = execute(req, x);
  if (!run) return run.error();
  return wait_for(req, **run, start, interrupts_at_start);
}

}  // namespace ds::exec
