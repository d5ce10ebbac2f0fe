// MockServer: starts tests/mock/mock_openai.py on a free 127.0.0.1 port with a
// script, reads back the requests it logged, and always stops it (destructor;
// also stdin EOF and PR_SET_PDEATHSIG if the test process dies).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "support/test_paths.hpp"

namespace ds::test {

class MockServer {
 public:
  struct Options {
    std::string api_key;  // when set, the mock requires it (--api-key)
  };

  // `script_json` is the mock's script: a JSON list of entries (see the top
  // of tests/mock/mock_openai.py).
  static Result<std::unique_ptr<MockServer>> start(const std::string& script_json, Options opts = {}) {
    char tmpl[] = "/tmp/ds-mock-XXXXXX";
    if (!mkdtemp(tmpl)) return make_error("mkdtemp failed for the mock server's directory");
    std::unique_ptr<MockServer> m(new MockServer(tmpl));
    { std::ofstream(m->dir_ + "/script.json") << script_json; }
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return make_error("pipe failed");
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
      close(in_pipe[0]);
      close(in_pipe[1]);
      return make_error("pipe failed");
    }
    std::vector<std::string> args = {"python3",
                                     std::string(DIFFSMITH_SOURCE_DIR) + "/tests/mock/mock_openai.py",
                                     "--script",
                                     m->dir_ + "/script.json",
                                     "--log",
                                     m->dir_,
                                     "--port",
                                     "0",
                                     "--exit-on-stdin-eof"};
    if (!opts.api_key.empty()) {
      args.push_back("--api-key");
      args.push_back(opts.api_key);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_t pid = fork();
    if (pid < 0) return make_error("fork failed for the mock server");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      dup2(in_pipe[0], 0);
      dup2(out_pipe[1], 1);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    m->pid_ = pid;
    m->stdin_fd_ = in_pipe[1];

    // Wait (at most 10 s) for "PORT <n>".
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_pipe[0], POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      ssize_t n = read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(out_pipe[0]);
    if (line.rfind("PORT ", 0) != 0) {
      return make_error("mock_openai.py did not print its port (got \"" + line +
                        "\"); is python3 installed?");
    }
    m->port_ = std::atoi(line.c_str() + 5);
    return m;
  }

  ~MockServer() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  // Stops the server (idempotent); its log stays readable until destruction,
  // which also removes the temporary directory.
  void stop() {
    if (stdin_fd_ >= 0) {
      close(stdin_fd_);
      stdin_fd_ = -1;
    }
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      for (int i = 0; i < 100; ++i) {
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
      }
    }
  }

  int port() const { return port_; }
  std::string root_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string base_url() const { return root_url() + "/v1"; }
  const std::string& dir() const { return dir_; }

  // The requests logged so far (requests.jsonl, one parsed object each).
  std::vector<json::Value> requests() const {
    std::vector<json::Value> out;
    std::ifstream in(dir_ + "/requests.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto v = json::parse(line);
      if (v.ok()) out.push_back(std::move(*v));
    }
    return out;
  }

  // The raw text of requests.jsonl.
  std::string request_log() const {
    std::ifstream in(dir_ + "/requests.jsonl");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  explicit MockServer(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
};

}  // namespace ds::test
