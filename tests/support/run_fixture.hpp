// End-to-end helpers for `diffsmith run` tests: a real git repository in a
// temp dir built from a map of files, the diffsmith binary (DIFFSMITH_BINARY)
// run via fork/exec with a clean environment, captured stdout/stderr, exit
// code and a timeout, and small readers for the mock server's requests and
// for edit-block text the scripted model sends.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "json/value.hpp"
#include "support/mock_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

extern char** environ;

namespace ds::test::e2e {

namespace fs = std::filesystem;
using ds::test::MockServer;

inline std::string make_temp_dir(const char* prefix = "ds-e2e-") { return ds::test::make_temp_dir(prefix); }

inline void write_file(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

using ds::test::TempDir;  // support/temp_dir.hpp

struct ProcResult {
  int exit_code = -1;      // exit status; 128+N when killed by signal N
  bool timed_out = false;  // killed by us at the timeout
  std::string out, err;
  double seconds = 0;   // wall time from start to exit
  long max_rss_kb = 0;  // peak resident memory of the child (and its waited-for descendants), from wait4
};

struct ProcOptions {
  std::string cwd;
  std::map<std::string, std::string> env;  // added to (or replacing in) the clean environment
  std::vector<std::string> unset;          // removed from it
  int timeout_s = 30;
};

// The environment a test child sees: the test's own, minus anything that
// could point diffsmith at a real endpoint or config (OPENAI_*, AZURE_*,
// DIFFSMITH_*, XDG_CONFIG_HOME), with HOME moved to `home` and NO_COLOR set.
inline std::vector<std::string> clean_environment(const std::string& home,
                                                  const std::map<std::string, std::string>& extra,
                                                  const std::vector<std::string>& unset = {}) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string name = kv.substr(0, kv.find('='));
    if (name.rfind("OPENAI_", 0) == 0 || name.rfind("AZURE_", 0) == 0 || name.rfind("DIFFSMITH_", 0) == 0 ||
        name == "XDG_CONFIG_HOME" || name == "HOME" || name == "NO_COLOR" || extra.count(name) ||
        std::find(unset.begin(), unset.end(), name) != unset.end())
      continue;
    env.push_back(kv);
  }
  env.push_back("HOME=" + home);
  env.push_back("NO_COLOR=1");
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

// A running child process whose stdout and stderr go to files in a scratch
// directory. Killed (SIGKILL) if still running when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const ProcOptions& opts)
      : started_(std::chrono::steady_clock::now()), timeout_s_(opts.timeout_s) {
    std::vector<std::string> argv_copy = argv,
                             env_copy = clean_environment(scratch_.path, opts.env, opts.unset);
    std::vector<char*> args, envp;
    for (auto& a : argv_copy) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env_copy) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string out_path = scratch_.path + "/stdout", err_path = scratch_.path + "/stderr";
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      int in = ::open("/dev/null", O_RDONLY);
      int out = ::open(out_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      int err = ::open(err_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0) ::_exit(126);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      if (!opts.cwd.empty() && ::chdir(opts.cwd.c_str()) != 0) ::_exit(126);
      ::execve(args[0], args.data(), envp.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  std::string stdout_so_far() const { return read_file(scratch_.path + "/stdout"); }

  // Waits for the exit (or the timeout, then SIGKILL) and collects the output.
  ProcResult wait() {
    ProcResult r;
    auto deadline = started_ + std::chrono::seconds(timeout_s_);
    int status = 0;
    struct rusage usage {};
    while (pid_ > 0) {
      pid_t w = ::wait4(pid_, &status, WNOHANG, &usage);
      if (w == pid_) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timed_out = true;
        ::kill(pid_, SIGKILL);
        ::wait4(pid_, &status, 0, &usage);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    r.max_rss_kb = usage.ru_maxrss;
    r.out = read_file(scratch_.path + "/stdout");
    r.err = read_file(scratch_.path + "/stderr");
    return r;
  }

 private:
  TempDir scratch_;  // stdout, stderr, and the child's HOME
  pid_t pid_ = -1;
  std::chrono::steady_clock::time_point started_;
  int timeout_s_;
};

inline ProcResult run_process(const std::vector<std::string>& argv, const ProcOptions& opts = {}) {
  Child c(argv, opts);
  return c.wait();
}

// `diffsmith ARGS...` (the binary this build produced).
inline std::vector<std::string> diffsmith_argv(const std::vector<std::string>& args) {
  INFO(std::string("the diffsmith binary must be built first: ") + DIFFSMITH_BINARY);
  REQUIRE(fs::exists(DIFFSMITH_BINARY));
  std::vector<std::string> argv = {DIFFSMITH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

inline ProcResult run_diffsmith(const std::vector<std::string>& args, const ProcOptions& opts = {}) {
  return run_process(diffsmith_argv(args), opts);
}

// A git repository in a temp dir: `files` written and committed on branch
// main as the first commit (unless `commit` is false). Removed at scope exit.
class TempRepo {
 public:
  using Files = std::map<std::string, std::string>;
  // Brace lists of {path, content} pick this overload (not the copy constructor).
  explicit TempRepo(std::initializer_list<Files::value_type> files, bool commit = true)
      : TempRepo(Files(files), commit) {}
  explicit TempRepo(const Files& files, bool commit = true) {
    git({"init", "-q", "-b", "main"});
    git({"config", "user.name", "Test User"});
    git({"config", "user.email", "test@example.com"});
    git({"config", "core.autocrlf", "false"});
    for (const auto& [path, data] : files) write(path, data);
    if (commit) {
      git({"add", "-A"});
      git({"commit", "-q", "-m", "initial"});
    }
  }
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;

  const std::string& root() const { return dir_.path; }
  std::string path(const std::string& rel) const { return dir_.path + "/" + rel; }
  void write(const std::string& rel, const std::string& data) const { write_file(path(rel), data); }
  std::string read(const std::string& rel) const { return read_file(path(rel)); }
  bool exists(const std::string& rel) const { return fs::exists(path(rel)); }

  // Runs git in the repository; fails the test unless it exits 0 (or
  // allow_fail). Returns stdout.
  std::string git(const std::vector<std::string>& args, bool allow_fail = false, int* code = nullptr) const {
    std::vector<std::string> argv = {"/usr/bin/git", "-C", dir_.path};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcResult r = run_process(argv);
    if (code) *code = r.exit_code;
    if (!allow_fail) {
      INFO("git " << args.front() << " failed: " << r.err);
      REQUIRE(r.exit_code == 0);
    }
    return r.out;
  }

  // Every file of the work tree (not .git) with its bytes and executable bit,
  // plus the index (`git ls-files -s`) and HEAD: equal snapshots mean the
  // repository is in the same state byte for byte.
  std::string snapshot() const {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(dir_.path); it != fs::recursive_directory_iterator();
         ++it) {
      if (it->path().filename() == ".git") {
        it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      std::string rel = fs::relative(it->path(), dir_.path).string();
      bool exec = (fs::status(it->path()).permissions() & fs::perms::owner_exec) != fs::perms::none;
      files[rel] = std::string(exec ? "x " : "- ") + read_file(it->path().string());
    }
    std::string s;
    for (const auto& [p, d] : files) s += "== " + p + " " + std::to_string(d.size()) + "\n" + d + "\n";
    s += "== index\n" + git({"ls-files", "-s"});
    s += "== HEAD\n" + git({"rev-parse", "HEAD"});
    return s;
  }

  // The trajectory files under .git/diffsmith/runs/, concatenated.
  std::string trajectories() const {
    std::string all;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(path(".git/diffsmith/runs"), ec))
      all += read_file(e.path().string());
    return all;
  }

 private:
  TempDir dir_;
};

// --- the scripted model ----------------------------------------------------

// One SEARCH/REPLACE block for `path`, fenced, as the model writes it.
inline std::string sr_block(const std::string& path, const std::string& search, const std::string& replace) {
  return path + "\n```\n<<<<<<< SEARCH\n" + search + "=======\n" + replace + ">>>>>>> REPLACE\n```\n";
}

inline json::Value tool_call(const std::string& name, json::Value arguments) {
  return json::Value::object().set("name", name).set("arguments", std::move(arguments));
}

// A mock script entry: assistant text plus tool calls.
inline json::Value turn(std::vector<json::Value> calls, const std::string& text = "") {
  json::Value t = json::Value::object();
  if (!text.empty()) t.set("text", text);
  if (!calls.empty()) {
    json::Value a = json::Value::array();
    for (auto& c : calls) a.push(std::move(c));
    t.set("tool_calls", std::move(a));
  }
  return t;
}

inline json::Value edit_turn(const std::string& edits) {
  return turn({tool_call("apply_edits", json::Value::object().set("edits", edits))});
}
inline json::Value read_turn(const std::string& path) {
  return turn({tool_call("read_file", json::Value::object().set("path", path))});
}
inline json::Value finish_turn(const std::string& summary) {
  return turn({tool_call("finish", json::Value::object().set("summary", summary))});
}

inline std::string script(std::vector<json::Value> entries) {
  json::Value a = json::Value::array();
  for (auto& e : entries) a.push(std::move(e));
  return json::dump(a);
}

// --- reading what the model was sent ---------------------------------------

// The chat messages of one logged mock request.
inline const json::Array& messages_of(const json::Value& request) {
  return request["body"]["messages"].items();
}

// All message contents of a request, joined: for "did X reach the model".
inline std::string all_text(const json::Value& request) {
  std::string s;
  for (const auto& m : messages_of(request)) s += m["content"].as_string() + "\n\x1e\n";
  return s;
}

// The content of the tool message answering `call_id` ("" when absent).
inline std::string tool_reply(const json::Value& request, const std::string& call_id) {
  for (const auto& m : messages_of(request))
    if (m["role"].as_string() == "tool" && m["tool_call_id"].as_string() == call_id)
      return m["content"].as_string();
  return {};
}

// Tool names offered in a request.
inline std::vector<std::string> tool_names(const json::Value& request) {
  std::vector<std::string> names;
  for (const auto& t : request["body"]["tools"].items()) names.push_back(t["function"]["name"].as_string());
  return names;
}

// stdout parsed as JSON lines; a line that is not JSON fails the test.
inline std::vector<json::Value> json_lines(const std::string& text) {
  std::vector<json::Value> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto v = json::parse(line);
    INFO("stdout line is not JSON: " << line);
    REQUIRE(v.ok());
    out.push_back(std::move(*v));
  }
  return out;
}

// --- running the agent against the mock -------------------------------------

inline std::unique_ptr<MockServer> start_mock(const std::string& script_json, MockServer::Options o = {}) {
  auto m = MockServer::start(script_json, o);
  INFO("starting the mock: " << (m.ok() ? std::string() : m.error().message));
  REQUIRE(m.ok());
  return std::move(*m);
}

// `diffsmith run TASK -t TEST --base-url <mock> EXTRA...` in the repository.
inline ProcResult run_agent(const TempRepo& repo, const MockServer& mock, const std::string& task,
                            const std::string& test_cmd, const std::vector<std::string>& extra = {},
                            ProcOptions opts = {}) {
  std::vector<std::string> args = {"run", task, "-t", test_cmd, "--base-url", mock.base_url()};
  args.insert(args.end(), extra.begin(), extra.end());
  if (opts.cwd.empty()) opts.cwd = repo.root();
  return run_diffsmith(args, opts);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace ds::test::e2e
