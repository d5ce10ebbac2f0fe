// agent/trajectory: messages written and read back, a trajectory file with a
// last line cut short by a kill, and a killed conversation's open tool calls.
#include <catch2/catch.hpp>

#include "agent/events.hpp"
#include "agent/sinks.hpp"
#include "agent/trajectory.hpp"
#include "support/run_fixture.hpp"

using namespace ds::agent;
using ds::llm::Message;
using ds::llm::Role;
using ds::test::e2e::TempDir;
using ds::test::e2e::write_file;

namespace {

Message assistant_with_calls() {
  Message m;
  m.role = Role::Assistant;
  m.content = "Reading two files.";
  m.tool_calls.push_back({"call_1", "read_file", "{\"path\":\"a.txt\"}", {}});
  m.tool_calls.push_back({"call_2", "read_file", "{\"path\":\"b \\\"q\\\".txt\"}", {}});
  return m;
}

void check_same(const Message& a, const Message& b) {
  CHECK(a.role == b.role);
  CHECK(a.content == b.content);
  CHECK(a.tool_call_id == b.tool_call_id);
  CHECK(a.name == b.name);
  REQUIRE(a.tool_calls.size() == b.tool_calls.size());
  for (size_t i = 0; i < a.tool_calls.size(); ++i) {
    CHECK(a.tool_calls[i].id == b.tool_calls[i].id);
    CHECK(a.tool_calls[i].name == b.tool_calls[i].name);
    CHECK(a.tool_calls[i].arguments == b.tool_calls[i].arguments);
  }
}

std::string line(const Message& m) {
  return ds::json::dump(ds::json::Value::object().set("message", message_json(m))) + "\n";
}

}  // namespace

TEST_CASE("trajectory: message_json and message_from_json round trip every role") {
  std::vector<Message> all = {Message::system("You are\ndiffsmith."), Message::user("fix it ✓\ttab"),
                              assistant_with_calls(), Message::tool("call_1", "read_file", "1\thello\n")};
  for (const auto& m : all) {
    auto back = message_from_json(message_json(m));
    REQUIRE(back.ok());
    check_same(m, *back);
    // Byte-identical when written again: a continued conversation keeps its prefix.
    CHECK(ds::json::dump(message_json(*back)) == ds::json::dump(message_json(m)));
  }
  auto args = message_from_json(message_json(assistant_with_calls()));
  REQUIRE(args.ok());
  CHECK(args->tool_calls[1].args["path"].as_string() == "b \"q\".txt");
}

TEST_CASE("trajectory: an unknown role or a non-object is an error naming it") {
  auto bad = message_from_json(ds::json::Value::object().set("role", "robot").set("content", "x"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("'robot'") != std::string::npos);
  CHECK_FALSE(message_from_json(ds::json::Value("text")).ok());
}

TEST_CASE(
    "trajectory: read_trajectory keeps order, skips a last line cut short, rejects a bad line before it") {
  TempDir dir;
  std::string path = dir.path + "/run.jsonl";
  std::string body = "{\"type\":\"run_started\",\"run_id\":\"r1\"}\n" + line(Message::system("sys")) +
                     line(Message::user("task")) + "{\"type\":\"mode\",\"mode\":\"fix\"}\n" +
                     line(assistant_with_calls());
  write_file(path, body + "{\"message\":{\"role\":\"tool\",\"cont");
  auto t = read_trajectory(path);
  REQUIRE(t.ok());
  REQUIRE(t->messages.size() == 3);
  CHECK(t->messages[0].content == "sys");
  check_same(t->messages[2], assistant_with_calls());
  REQUIRE(t->events.size() == 2);
  REQUIRE(t->find_event("run_started"));
  CHECK((*t->find_event("run_started"))["run_id"].as_string() == "r1");
  CHECK(t->last_event("run_finished") == nullptr);

  write_file(path, body + "{not json\n" + line(Message::user("after")));
  auto damaged = read_trajectory(path);
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.error().message.find(path + ":6:") != std::string::npos);

  CHECK_FALSE(read_trajectory(dir.path + "/missing.jsonl").ok());
}

TEST_CASE("trajectory: what TrajectorySink writes, read_trajectory reads back") {
  TempDir dir;
  std::string path = dir.path + "/run.jsonl";
  {
    TrajectorySink sink(path);
    REQUIRE(sink.ok());
    ds::agent::ev::RunStarted started;
    started.run_id = "r2";
    started.continues = "r1";
    sink.event(started);
    sink.message(message_json(Message::system("sys")));
    sink.message(message_json(assistant_with_calls()));
    ds::agent::ev::RunFinished finished;
    finished.status = "solved";
    sink.event(finished);
  }
  auto t = read_trajectory(path);
  REQUIRE(t.ok());
  REQUIRE(t->messages.size() == 2);
  check_same(t->messages[1], assistant_with_calls());
  REQUIRE(t->find_event("run_started"));
  CHECK((*t->find_event("run_started"))["continues"].as_string() == "r1");
  REQUIRE(t->last_event("run_finished"));
  CHECK((*t->last_event("run_finished"))["status"].as_string() == "solved");
}

TEST_CASE("trajectory: answer_open_tool_calls answers only the calls a killed run left open") {
  std::vector<Message> conv = {Message::system("sys"), Message::user("task"), assistant_with_calls(),
                               Message::tool("call_1", "read_file", "1\thello\n")};
  CHECK(answer_open_tool_calls(conv) == 1);
  REQUIRE(conv.size() == 5);
  CHECK(conv[4].role == Role::Tool);
  CHECK(conv[4].tool_call_id == "call_2");
  CHECK(conv[4].content.find("Not run") == 0);
  CHECK(answer_open_tool_calls(conv) == 0);  // complete now

  // An open call in the middle: answered right after the calls it has.
  std::vector<Message> mid = {Message::system("sys"), assistant_with_calls(), Message::user("more")};
  CHECK(answer_open_tool_calls(mid) == 2);
  REQUIRE(mid.size() == 5);
  CHECK(mid[2].tool_call_id == "call_1");
  CHECK(mid[3].tool_call_id == "call_2");
  CHECK(mid[4].content == "more");
}
