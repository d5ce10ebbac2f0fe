// In-process fakes for the agent loop (ninja's FakeCommandRunner idea): a
// scripted llm::Client that returns prepared turns and records every
// request, a process runner whose test verdict is a function of the work
// tree, and an event sink that keeps every event. The repository is real
// (libgit2 on a temp dir), so edits, checkpoints and diffs take their real
// path; only the model and the test command are fakes.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "agent/config/run_config.hpp"
#include "agent/events.hpp"
#include "agent/session.hpp"
#include "exec/process.hpp"
#include "git/repository.hpp"
#include "json/value.hpp"
#include "llm/types.hpp"
#include "support/run_fixture.hpp"

namespace ds::test::session {

using e2e::contains;
using e2e::TempRepo;

// The model: turns in order; an error turn when the script runs out.
class ScriptedClient final : public llm::Client {
 public:
  std::vector<Result<llm::Turn>> script;
  std::vector<llm::Request> requests;
  std::function<void(size_t request_index)> before_reply;  // e.g. set the interrupt flag

  Result<llm::Turn> complete(const llm::Request& req, const llm::TextCallback& on_text) override {
    size_t i = requests.size();
    requests.push_back(req);
    if (before_reply) before_reply(i);
    if (i >= script.size()) return make_error("the scripted model has no more turns", llm::ErrorKind::Server);
    if (script[i].ok() && on_text) on_text(script[i]->text);
    return script[i];
  }
};

// The test command: passes when `passes(cmd)` says so; counts its runs.
class FakeRunner final : public exec::ProcessRunner {
 public:
  std::function<exec::RunResult(const exec::RunRequest&)> result;
  std::function<void()> during;  // runs inside every test run (sleep, set a flag …)
  int runs = 0;

  Result<exec::RunResult> run(const exec::RunRequest& req) override {
    ++runs;
    if (during) during();
    return result(req);
  }
};

inline exec::RunResult exited(int code, std::string output = "") {
  exec::RunResult r;
  r.exit_code = code;
  r.output = output.empty() ? (code == 0 ? "1 passed\n" : "1 failed\n") : std::move(output);
  return r;
}

class RecordingSink final : public agent::EventSink {
 public:
  std::vector<json::Value> events;
  std::vector<json::Value> messages;
  void message(const json::Value& m) override { messages.push_back(m); }
  std::vector<agent::Event> typed;  // the same events, as the session built them
  std::vector<json::Value> of_type(const std::string& type) const {
    std::vector<json::Value> out;
    for (const auto& e : events)
      if (e["type"].as_string() == type) out.push_back(e);
    return out;
  }

 protected:
  void on_event(const agent::Event& e) override {
    typed.push_back(e);
    events.push_back(agent::to_json(e));
  }
};

// --- turns -------------------------------------------------------------------

inline llm::Turn reply(const std::string& text) {
  llm::Turn t;
  t.text = text;
  t.finish_reason = "stop";
  t.usage.prompt_tokens = 1000;
  t.usage.completion_tokens = 100;
  return t;
}

inline llm::Turn edit_reply(const std::string& path, const std::string& search, const std::string& replace) {
  return reply("Editing " + path + ".\n\n" + e2e::sr_block(path, search, replace));
}

inline llm::Turn calls(std::vector<std::pair<std::string, std::string>> name_args,
                       const std::string& text = "") {
  llm::Turn t = reply(text);
  t.finish_reason = "tool_calls";
  int n = 0;
  for (auto& [name, args] : name_args) {
    llm::ToolCall c;
    c.id = "call_" + std::to_string(++n);
    c.name = name;
    c.arguments = args;
    auto parsed = json::parse(args);
    if (parsed.ok()) c.args = std::move(*parsed);
    t.tool_calls.push_back(std::move(c));
  }
  return t;
}

inline llm::Turn finish_call(const std::string& summary) {
  return calls({{"finish", json::dump(json::Value::object().set("summary", summary))}});
}

// --- one run ---------------------------------------------------------------

struct Harness {
  TempRepo& repo;
  agent::RunConfig cfg;
  ScriptedClient client;
  FakeRunner runner;
  RecordingSink events;
  std::atomic<bool> interrupted{false};

  explicit Harness(TempRepo& r) : repo(r) {
    cfg.task = "do the task";
    cfg.test_cmd = "fake-tests";
    cfg.run_id = "test-run";
    cfg.map_tokens = 0;
    cfg.max_turns = 8;
    cfg.cost_of = [](const std::string&, const llm::Usage&) { return 0.01; };
  }

  // Tests pass when `pass(work tree)` is true.
  void tests_pass_when(std::function<bool(const TempRepo&)> pass) {
    runner.result = [this, pass](const exec::RunRequest&) { return exited(pass(repo) ? 0 : 1); };
  }

  agent::RunOutcome run() {
    auto opened = git::Repository::open(repo.root());
    REQUIRE(opened.ok());
    agent::Session s(cfg, *opened, client, runner, events, &interrupted);
    return s.run();
  }

  // Every user and tool message the model was sent, joined.
  std::string feedback() const {
    std::string all;
    for (const auto& m : events.messages) {
      const std::string& role = m["role"].as_string();
      if (role == "user" || role == "tool") all += m["content"].as_string() + "\n----\n";
    }
    return all;
  }
};

}  // namespace ds::test::session
