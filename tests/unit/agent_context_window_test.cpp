// What the model is sent: the system prompt names exactly the offered tools,
// and old tool and test outputs collapse to stubs in blocks, keeping the
// request prefix byte-stable between collapses and every tool result paired
// with its call on both wire APIs. Through the real Session (real repository,
// scripted model, fake test command).
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "agent/context.hpp"
#include "agent/context_window.hpp"
#include "llm/chat_wire.hpp"
#include "llm/responses_wire.hpp"
#include "support/fake_session.hpp"

using namespace ds;
using namespace ds::test::session;
using agent::RunStatus;

namespace {

const char* kMoney = "def cents(x):\n    return int(x * 100)\n";
const std::vector<std::string> kAllTools = {"read_file",        "list_files",  "search",    "repo_map",
                                            "apply_edits",      "apply_patch", "run_tests", "run_command",
                                            "set_reproduction", "finish"};

std::string big_file(int lines) {
  std::string s;
  for (int i = 0; i < lines; ++i) s += "RATE_" + std::to_string(i) + " = " + std::to_string(i * 7) + "\n";
  return s;
}

// Call ids unique across the run, as a real model's are.
llm::Turn ided(llm::Turn t, int turn) {
  for (size_t i = 0; i < t.tool_calls.size(); ++i)
    t.tool_calls[i].id = "call_t" + std::to_string(turn) + "_" + std::to_string(i);
  return t;
}

std::vector<std::string> offered(const llm::Request& r) {
  std::vector<std::string> names;
  for (const auto& t : r.tools) names.push_back(t.name);
  return names;
}

// Each tool is named in the system prompt iff it is offered.
void check_prompt_names(const llm::Request& r) {
  REQUIRE(!r.messages.empty());
  const std::string& sys = r.messages[0].content;
  auto names = offered(r);
  for (const auto& t : kAllTools) {
    bool is_offered = std::find(names.begin(), names.end(), t) != names.end();
    INFO("tool " << t);
    CHECK(contains(sys, "`" + t + "`") == is_offered);
    if (!is_offered) CHECK(!contains(sys, t));
  }
}

}  // namespace

TEST_CASE("prompt: the system prompt names exactly the tools offered, in every configuration") {
  struct Config {
    const char* name;
    std::function<void(agent::RunConfig&)> set;
  };
  auto commands = std::make_shared<FakeRunner>();
  commands->result = [](const exec::RunRequest&) { return exited(0); };
  std::vector<Config> configs = {
      {"default", [](agent::RunConfig&) {}},
      {"--no-test", [](agent::RunConfig& c) { c.test_cmd.clear(); }},
      {"run_command", [&](agent::RunConfig& c) { c.command_runner = commands; }},
      {"--no-test with run_command",
       [&](agent::RunConfig& c) {
         c.test_cmd.clear();
         c.command_runner = commands;
       }},
      {"patch format", [](agent::RunConfig& c) { c.edit_format = edit::Format::Patch; }},
      {"repo map", [](agent::RunConfig& c) { c.map_tokens = 512; }},
      {"--reproduce", [](agent::RunConfig& c) { c.reproduce = true; }},
  };
  for (const auto& config : configs) {
    INFO("configuration " << config.name);
    TempRepo repo({{"money.py", kMoney}});
    Harness h(repo);
    config.set(h.cfg);
    h.tests_pass_when([](const TempRepo&) { return false; });
    h.client.script = {finish_call("nothing")};
    h.cfg.max_turns = 1;
    (void)h.run();
    REQUIRE(!h.client.requests.empty());
    check_prompt_names(h.client.requests[0]);
    const std::string& sys = h.client.requests[0].messages[0].content;
    CHECK(!contains(sys, "{{"));  // every placeholder filled
    CHECK(!contains(sys, "Hidden tests"));
    CHECK(contains(sys, "Understand the problem deeply"));
  }
}

TEST_CASE(
    "prompt: standard SWE-bench mode says hidden tests judge the change, and the prompt is byte-stable") {
  std::string first;
  for (int i = 0; i < 2; ++i) {
    TempRepo repo({{"money.py", kMoney}});
    Harness h(repo);
    h.cfg.hidden_tests = true;
    h.tests_pass_when([](const TempRepo&) { return false; });
    h.client.script = {calls({{"read_file", R"({"path":"money.py"})"}}), finish_call("x")};
    h.cfg.max_turns = 2;
    (void)h.run();
    REQUIRE(h.client.requests.size() == 2);
    const std::string& sys = h.client.requests[0].messages[0].content;
    CHECK(contains(sys, "Hidden tests will judge your change"));
    CHECK(h.client.requests[1].messages[0].content == sys);  // across turns
    if (i == 0) first = sys;
    CHECK(sys == first);  // across runs
  }
}

TEST_CASE("prompt: the collapse note is in the prompt only when collapse is on") {
  agent::PromptOptions o;
  o.tools = {"read_file", "finish"};
  o.collapse = true;
  CHECK(contains(agent::system_prompt(o), "[collapsed:"));
  o.collapse = false;
  CHECK(!contains(agent::system_prompt(o), "[collapsed:"));
}

namespace {

// The chat body's messages, each dumped: what the prompt cache sees.
std::vector<std::string> chat_messages(const llm::Request& r) {
  std::vector<std::string> out;
  json::Value body = llm::build_chat_body(r, true);
  for (const auto& m : body["messages"].items()) out.push_back(json::dump(m));
  return out;
}

// Chat: every tool message answers a call of the assistant message before
// its run of tool messages, and every call is answered once.
void check_chat_pairing(const llm::Request& r) {
  json::Value body = llm::build_chat_body(r, true);
  std::set<std::string> open;
  for (const auto& m : body["messages"].items()) {
    const std::string& role = m["role"].as_string();
    if (role == "tool") {
      INFO("tool message " << m["tool_call_id"].as_string());
      CHECK(open.erase(m["tool_call_id"].as_string()) == 1);
      continue;
    }
    CHECK(open.empty());  // a new message only after every call was answered
    open.clear();
    if (role == "assistant")
      for (const auto& c : m["tool_calls"].items()) open.insert(c["id"].as_string());
  }
  CHECK(open.empty());
}

// Responses: every function_call has one function_call_output after it, and
// every output answers an earlier call.
void check_responses_pairing(const llm::Request& r) {
  json::Value body = llm::build_responses_body(r, true);
  std::map<std::string, int> calls, answers;
  for (const auto& item : body["input"].items()) {
    const std::string& type = item["type"].as_string();
    if (type == "function_call") ++calls[item["call_id"].as_string()];
    if (type == "function_call_output") {
      INFO("output " << item["call_id"].as_string());
      CHECK(calls.count(item["call_id"].as_string()) == 1);
      ++answers[item["call_id"].as_string()];
    }
  }
  CHECK(calls == answers);
  for (const auto& [id, n] : calls) CHECK(n == 1);
}

}  // namespace

TEST_CASE("collapse: old outputs collapse in blocks, and the prefix is byte-stable between collapses") {
  TempRepo repo({{"money.py", kMoney}, {"rates.py", big_file(150)}});
  Harness h(repo);
  h.cfg.max_turns = 24;
  h.cfg.collapse.keep_turns = 3;
  h.cfg.collapse.block_turns = 2;
  h.cfg.collapse.max_tokens = 0;
  // A failing test run prints a lot, so its feedback is collapsible too.
  h.runner.result = [&](const exec::RunRequest&) {
    bool ok = repo.read("money.py").find("round(") != std::string::npos;
    return exited(ok ? 0 : 1, ok ? "1 passed\n" : "FAILED test_cents\n" + big_file(80));
  };
  // Turns 1-19: reads, a search, and edits that keep the tests failing; turn 20 fixes it.
  for (int t = 1; t < 20; ++t) {
    if (t % 4 == 0)
      h.client.script.push_back(edit_reply(
          "money.py",
          "    return int(x * 100)" + std::string(t == 4 ? "" : "  # " + std::to_string(t - 4)) + "\n",
          "    return int(x * 100)  # " + std::to_string(t) + "\n"));
    else
      h.client.script.push_back(
          ided(calls({{"read_file", R"({"path":"rates.py"})"}, {"search", R"({"pattern":"RATE_1"})"}},
                     "Reading turn " + std::to_string(t)),
               t));
  }
  h.client.script.push_back(
      edit_reply("money.py", "    return int(x * 100)  # 16\n", "    return int(round(x * 100))\n"));
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  REQUIRE(h.client.requests.size() == 20);

  // Collapses happen when the tail exceeds K + B = 5 turns: before requests
  // 7, 9, 11 … (request n follows turn n-1), each collapsing 2 turns.
  std::vector<size_t> broke;
  for (size_t i = 1; i < h.client.requests.size(); ++i) {
    auto before = chat_messages(h.client.requests[i - 1]);
    auto now = chat_messages(h.client.requests[i]);
    REQUIRE(now.size() > before.size());
    size_t same = 0;
    while (same < before.size() && before[same] == now[same]) ++same;
    if (same < before.size()) broke.push_back(i + 1);  // 1-based request number
    check_chat_pairing(h.client.requests[i]);
    check_responses_pairing(h.client.requests[i]);
  }
  CHECK(broke == std::vector<size_t>{7, 9, 11, 13, 15, 17, 19});
  size_t notices = 0;
  for (const auto& e : h.events.of_type("notice"))
    notices += contains(e["message"].as_string(), "collapsed to one-line stubs");
  CHECK(notices == broke.size());

  // The last request: turns up to 14 collapsed, 15-19 whole; the model's
  // own messages and the edit results whole everywhere.
  const auto& last = h.client.requests.back().messages;
  int turn = 0;
  size_t stubs = 0, test_stubs = 0;
  for (const auto& m : last) {
    if (m.role == llm::Role::Assistant) {
      ++turn;
      CHECK((contains(m.content, "Reading turn") || contains(m.content, "SEARCH")));
    }
    if (m.role == llm::Role::Tool && m.name == "read_file") {
      INFO("turn " << turn);
      CHECK(contains(m.content, "[collapsed:") == (turn <= 14));
      if (turn <= 14) CHECK(contains(m.content, R"(call read_file {"path":"rates.py"} again)"));
      stubs += turn <= 14;
    }
    if (m.role == llm::Role::User && contains(m.content, "The test command fails")) {
      INFO("turn " << turn);
      CHECK(contains(m.content, "[collapsed: test output of turn") == (turn <= 14));
      CHECK(contains(m.content, "FAILED test_cents") == (turn > 14));
      test_stubs += turn <= 14;
    }
  }
  CHECK(stubs == 11);      // turns 1-14 minus the edit turns 4, 8, 12
  CHECK(test_stubs == 3);  // the test runs after turns 4, 8, 12
  // The stored conversation (trajectory) keeps every output whole.
  for (const auto& m : h.events.messages) CHECK(!contains(m["content"].as_string(), "[collapsed: read_file"));
}

TEST_CASE("collapse: the token ceiling collapses more, never the newest turn, and off means never") {
  for (bool enabled : {true, false}) {
    INFO("collapse " << (enabled ? "on" : "off"));
    TempRepo repo({{"money.py", kMoney}, {"rates.py", big_file(400)}});
    Harness h(repo);
    h.cfg.max_turns = 6;
    h.cfg.collapse.enabled = enabled;
    h.cfg.collapse.keep_turns = 10;
    h.cfg.collapse.block_turns = 1;
    h.cfg.collapse.max_tokens = 4000;  // the prompt and one read of rates.py
    h.tests_pass_when([](const TempRepo&) { return false; });
    for (int t = 0; t < 6; ++t)
      h.client.script.push_back(ided(calls({{"read_file", R"({"path":"rates.py"})"}}), t));
    (void)h.run();
    REQUIRE(h.client.requests.size() == 6);
    size_t whole = 0;
    for (const auto& m : h.client.requests.back().messages)
      whole += m.role == llm::Role::Tool && contains(m.content, "RATE_399");
    if (enabled)
      CHECK(whole == 1);  // only the newest fits under the ceiling
    else
      CHECK(whole == 5);
  }
}
