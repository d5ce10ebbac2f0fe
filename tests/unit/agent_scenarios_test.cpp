// The edit-engine scenario corpus (tests/scenarios/NNN_name/) run end to end:
// each scenario's input/ becomes a fresh git repository, `diffsmith apply`
// runs on its edits.txt, and the whole tree, exit code, stderr and the printed
// diff are checked. The layout is described in tests/scenarios/README.md.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kScenarioRoot = fs::path(DIFFSMITH_SOURCE_DIR) / "tests" / "scenarios";
constexpr int kTimeoutSeconds = 60;

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs argv (no shell) in `cwd` with stdin from /dev/null, capturing stdout
// and stderr separately; kills it after kTimeoutSeconds.
ProcessResult run_process(const std::vector<std::string>& argv, const fs::path& cwd) {
  ProcessResult r;
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const std::string dir = cwd.string();

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return r;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return r;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_pipe[1], 1) < 0 || dup2(err_pipe[1], 2) < 0 ||
        chdir(dir.c_str()) != 0)
      _exit(126);
    execvp(cargv[0], cargv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return r;
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutSeconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  bool killed = false;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  if (killed) r.err += "\n[scenario runner: killed after " + std::to_string(kTimeoutSeconds) + " s]\n";
  return r;
}

ProcessResult git(const fs::path& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-c", "core.autocrlf=false", "-c", "core.hooksPath=/dev/null"});
  return run_process(args, repo);
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Non-empty lines of a small text file, with a trailing "\r" dropped.
std::vector<std::string> read_lines(const fs::path& p) {
  std::vector<std::string> lines;
  std::istringstream in(read_bytes(p));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Every regular file (and symlink, by its target) under `root`, keyed by its
// '/'-separated relative path; the top-level .git is skipped. Directories are
// not recorded: git does not track empty ones.
using Tree = std::map<std::string, std::string>;
Tree snapshot(const fs::path& root) {
  Tree tree;
  if (!fs::exists(root)) return tree;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = fs::relative(it->path(), root);
    if (it.depth() == 0 && rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink())
      tree[rel.generic_string()] = "symlink -> " + fs::read_symlink(it->path()).string();
    else if (it->is_regular_file())
      tree[rel.generic_string()] = read_bytes(it->path());
  }
  return tree;
}

std::string visible(std::string_view s) {
  std::string out;
  for (const unsigned char c : s.substr(0, 200)) {
    char buf[8] = {static_cast<char>(c), 0};
    if (c == '\r' || c == '\t')
      std::snprintf(buf, sizeof buf, "%s", c == '\r' ? "\\r" : "\\t");
    else if (c < 0x20 || c == 0x7f)
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
    out += buf;
  }
  return s.size() > 200 ? out + "..." : out;
}

// The first line where two file contents differ, shown with \r and \t visible.
std::string describe_difference(const std::string& want, const std::string& got) {
  size_t line = 1, start = 0;
  const size_t n = std::min(want.size(), got.size());
  size_t i = 0;
  for (; i < n && want[i] == got[i]; ++i)
    if (want[i] == '\n') ++line, start = i + 1;
  auto line_at = [&](const std::string& s) {
    if (start >= s.size()) return std::string("<end of file>");
    const size_t end = s.find('\n', start);
    return visible(s.substr(start, end == std::string::npos ? std::string::npos : end - start + 1));
  };
  std::ostringstream ss;
  ss << "first difference at line " << line << " (expected " << want.size() << " bytes, got " << got.size()
     << ")\n  expected: " << line_at(want) << "\n  actual:   " << line_at(got);
  return ss.str();
}

// "" when equal; else what differs first (a missing, unexpected or different file).
std::string compare_trees(const Tree& want, const Tree& got) {
  for (const auto& [path, bytes] : want) {
    const auto it = got.find(path);
    if (it == got.end()) return "missing file: " + path;
    if (it->second != bytes) return "file differs: " + path + "\n" + describe_difference(bytes, it->second);
  }
  for (const auto& [path, bytes] : got)
    if (!want.count(path))
      return "unexpected file: " + path + " (" + std::to_string(bytes.size()) + " bytes)";
  return "";
}

bool contains_nocase(std::string_view hay, std::string_view needle) {
  auto lower = [](unsigned char c) { return static_cast<char>(std::tolower(c)); };
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

std::vector<fs::path> scenario_dirs() {
  std::vector<fs::path> dirs;
  if (!fs::is_directory(kScenarioRoot)) return dirs;
  for (const auto& e : fs::directory_iterator(kScenarioRoot))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

struct Scenario {
  std::vector<std::string> args;
  bool expects_tree = false;                // expected/ present (else expected_error.txt)
  std::vector<std::string> stderr_needles;  // all must appear in stderr, case-insensitively
  int expected_exit = 0;
};

// Reads a scenario's files; a non-empty string explains why the folder is malformed.
std::string load_scenario(const fs::path& dir, Scenario& s) {
  if (!fs::is_regular_file(dir / "edits.txt")) return "no edits.txt";
  s.expects_tree = fs::is_directory(dir / "expected");
  const bool has_error = fs::is_regular_file(dir / "expected_error.txt");
  if (s.expects_tree == has_error) return "needs exactly one of expected/ and expected_error.txt";
  if (has_error && fs::exists(dir / "expected_stderr.txt"))
    return "expected_stderr.txt goes with expected/ only";
  if (has_error) {
    s.stderr_needles = read_lines(dir / "expected_error.txt");
    if (s.stderr_needles.empty()) return "expected_error.txt is empty";
  } else if (fs::exists(dir / "expected_stderr.txt")) {
    s.stderr_needles = read_lines(dir / "expected_stderr.txt");
  }
  if (fs::exists(dir / "args.txt")) s.args = read_lines(dir / "args.txt");
  s.expected_exit = s.expects_tree ? 0 : 1;
  if (fs::exists(dir / "expected_exit.txt")) {
    const auto lines = read_lines(dir / "expected_exit.txt");
    if (lines.size() != 1 || lines[0].empty() ||
        !std::all_of(lines[0].begin(), lines[0].end(), [](unsigned char c) { return std::isdigit(c); }))
      return "expected_exit.txt must hold one number";
    s.expected_exit = std::stoi(lines[0]);
  }
  const std::string name = dir.filename().string();
  if (name.size() < 5 || !std::isdigit(static_cast<unsigned char>(name[0])) ||
      !std::isdigit(static_cast<unsigned char>(name[1])) ||
      !std::isdigit(static_cast<unsigned char>(name[2])) || name[3] != '_')
    return "folder name must be NNN_name";
  return "";
}

// Files under .git that no edit may touch (the config and the hooks).
Tree guarded_git_files(const fs::path& repo) {
  Tree t = snapshot(repo / ".git" / "hooks");
  t["config"] = read_bytes(repo / ".git" / "config");
  return t;
}

// The printed diff must describe the change exactly: reversed, it applies to
// the result tree and gives back the input tree. With --dry-run it applies
// forward to the untouched tree instead.
void check_printed_diff(const fs::path& work, const fs::path& repo, const std::string& out, const Tree& input,
                        const Tree& expected, bool dry_run) {
  if (expected == input && !dry_run) {
    INFO("stdout:\n" << out);
    CHECK(out.find("diff --git") == std::string::npos);
    return;
  }
  const fs::path patch = work / "printed.patch";
  std::ofstream(patch, std::ios::binary) << out;
  if (dry_run) {
    const auto check = git(repo, {"apply", "--check", patch.string()});
    INFO("git apply --check on the printed diff:\n" << check.err << "\nstdout:\n" << out);
    CHECK(check.exit_code == 0);
    return;
  }
  const auto check = git(repo, {"apply", "--check", "-R", patch.string()});
  INFO("git apply --check -R on the printed diff:\n" << check.err << "\nstdout:\n" << out);
  REQUIRE(check.exit_code == 0);
  const auto reverse = git(repo, {"apply", "-R", patch.string()});
  REQUIRE(reverse.exit_code == 0);
  const std::string diff = compare_trees(input, snapshot(repo));
  INFO("after reversing the printed diff: " << diff);
  CHECK(diff.empty());
}

void run_scenario(const fs::path& dir) {
  Scenario s;
  const std::string bad = load_scenario(dir, s);
  INFO("scenario " << dir.filename().string() << ": " << bad);
  REQUIRE(bad.empty());

  // The repository lives in work/repo so that an edit escaping with "../"
  // would show up as a stray entry in work/.
  ds::test::TempDir work_dir("ds-scenario-");
  const fs::path work(work_dir.path);
  REQUIRE(!work.empty());
  const fs::path repo = work / "repo";
  fs::create_directories(repo);
  const bool has_input = fs::is_directory(dir / "input");
  if (has_input) fs::copy(dir / "input", repo, fs::copy_options::recursive);
  REQUIRE(git(repo, {"-c", "init.defaultBranch=main", "init", "-q"}).exit_code == 0);
  REQUIRE(git(repo, {"config", "core.autocrlf", "false"}).exit_code == 0);
  if (has_input) {  // without input/ the repository stays empty, with no commit
    REQUIRE(git(repo, {"add", "-A"}).exit_code == 0);
    const auto commit = git(repo, {"-c", "user.name=scenarios", "-c", "user.email=scenarios@localhost", "-c",
                                   "commit.gpgsign=false", "commit", "-q", "-m", "scenario input"});
    INFO(commit.err);
    REQUIRE(commit.exit_code == 0);
  }
  const Tree input = snapshot(repo);
  const std::string copied = compare_trees(snapshot(dir / "input"), input);
  INFO("copying input/ into the repository: " << copied);
  REQUIRE(copied.empty());
  const Tree git_before = guarded_git_files(repo);

  std::vector<std::string> argv = {DIFFSMITH_BINARY, "apply", fs::absolute(dir / "edits.txt").string(), "-C",
                                   repo.string()};
  argv.insert(argv.end(), s.args.begin(), s.args.end());
  const ProcessResult r = run_process(argv, work);

  INFO("exit code " << r.exit_code << "\n--- stderr ---\n" << r.err << "--- stdout ---\n" << r.out);
  CHECK(r.exit_code == s.expected_exit);
  for (const auto& needle : s.stderr_needles) {
    INFO("stderr should contain: " << needle);
    CHECK(contains_nocase(r.err, needle));
  }
  std::vector<std::string> stray;
  for (const auto& e : fs::directory_iterator(work))
    if (e.path().filename() != "repo") stray.push_back(e.path().filename().string());
  INFO("entries written next to the repository: " << stray.size());
  CHECK(stray.empty());
  const std::string git_diff = compare_trees(git_before, guarded_git_files(repo));
  INFO(".git/config and .git/hooks must not change: " << git_diff);
  CHECK(git_diff.empty());

  const Tree expected = s.expects_tree ? snapshot(dir / "expected") : input;
  const std::string diff = compare_trees(expected, snapshot(repo));
  INFO("tree after apply vs " << (s.expects_tree ? "expected/" : "input/ (must be unchanged)") << ": "
                              << diff);
  CHECK(diff.empty());
  if (s.expects_tree && diff.empty()) {
    const bool dry_run = std::find(s.args.begin(), s.args.end(), "--dry-run") != s.args.end();
    check_printed_diff(work, repo, r.out, input, expected, dry_run);
  }
}

}  // namespace

TEST_CASE("scenario corpus is well formed", "[scenarios]") {
  const auto dirs = scenario_dirs();
  CHECK(dirs.size() >= 45);
  int search_replace = 0, patch = 0;
  for (const auto& dir : dirs) {
    Scenario s;
    const std::string bad = load_scenario(dir, s);
    INFO(dir.filename().string() << ": " << bad);
    CHECK(bad.empty());
    const bool v4a = read_bytes(dir / "edits.txt").find("*** Begin Patch") != std::string::npos;
    ++(v4a ? patch : search_replace);
  }
  CHECK(search_replace >= 25);
  CHECK(patch >= 15);
}

TEST_CASE("diffsmith apply reproduces every edit scenario", "[scenarios][e2e]") {
  REQUIRE(fs::exists(DIFFSMITH_BINARY));
  const auto dirs = scenario_dirs();
  REQUIRE(!dirs.empty());
  for (const auto& dir : dirs) {
    DYNAMIC_SECTION(dir.filename().string()) { run_scenario(dir); }
  }
}
