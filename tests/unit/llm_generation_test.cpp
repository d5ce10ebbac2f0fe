// Generation options by model family: reasoning models (o-series, gpt-5) get
// reasoning_effort and never temperature, others get temperature and never a
// reasoning effort, unknown models get what was set; both wire bodies; the
// settings' layering and errors.
#include <catch2/catch.hpp>
#include <map>

#include "json/value.hpp"
#include "llm/chat_wire.hpp"
#include "llm/generation.hpp"
#include "llm/responses_wire.hpp"

using namespace ds::llm;
using ds::json::Value;

namespace {

Request request_for(const std::string& model, GenerationOptions g) {
  Request r;
  r.model = model;
  r.messages.push_back(Message::system("Be brief."));
  r.messages.push_back(Message::user("hi"));
  r.generation = std::move(g);
  return r;
}

GenerationOptions all_set(std::string effort = "high") {
  GenerationOptions g;
  g.reasoning_effort = std::move(effort);
  g.temperature = 0.3;
  g.max_output_tokens = 4000;
  return g;
}

using Map = std::map<std::string, std::string, std::less<>>;

SettingLayers layers(const Map& flags, const Map& env, const Map& config) {
  auto from = [](const Map& m) {
    return [&m](std::string_view k) -> std::optional<std::string> {
      auto it = m.find(k);
      if (it == m.end()) return std::nullopt;
      return it->second;
    };
  };
  return SettingLayers{from(flags), from(env), from(config), "/u/config.toml"};
}

}  // namespace

TEST_CASE("generation: model families") {
  for (const char* m : {"o3", "o3-2025-04-16", "o4-mini", "o1", "o3-mini", "gpt-5", "gpt-5-mini",
                        "gpt-5-nano", "gpt-5-2025-08-07", "openai/gpt-5-mini", "GPT-5"}) {
    INFO(m);
    CHECK(reasoning_support(m) == ReasoningSupport::Yes);
  }
  for (const char* m : {"gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini-2024-07-18", "gpt-3.5-turbo",
                        "gpt-5-chat-latest", "chatgpt-4o-latest"}) {
    INFO(m);
    CHECK(reasoning_support(m) == ReasoningSupport::No);
  }
  for (const char* m : {"qwen2.5-coder:32b", "llama3", "gpt-oss-20b", "omni", ""}) {
    INFO(m);
    CHECK(reasoning_support(m) == ReasoningSupport::Unknown);
  }
}

TEST_CASE(
    "generation: chat body for a reasoning model: reasoning_effort, max_completion_tokens, no temperature") {
  Value v = build_chat_body(request_for("gpt-5-mini", all_set("minimal")), true);
  CHECK(v["reasoning_effort"].as_string() == "minimal");
  CHECK(v["max_completion_tokens"].as_int() == 4000);
  CHECK_FALSE(v.has("temperature"));
  CHECK_FALSE(v.has("max_tokens"));
  auto notes = generation_notices("gpt-5-mini", all_set());
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] ==
        "temperature is not sent: gpt-5-mini is a reasoning model and accepts only its default temperature");

  // The o-series has no "minimal": low is sent, and the user is told.
  Value o = build_chat_body(request_for("o3", all_set("minimal")), false);
  CHECK(o["reasoning_effort"].as_string() == "low");
  CHECK(generation_notices("o3", all_set("minimal")).size() == 2);
}

TEST_CASE("generation: chat body for a non-reasoning model: temperature, no reasoning_effort") {
  Value v = build_chat_body(request_for("gpt-4.1", all_set()), true);
  CHECK(v["temperature"].as_double() == 0.3);
  CHECK(v["max_completion_tokens"].as_int() == 4000);
  CHECK_FALSE(v.has("reasoning_effort"));
  auto notes = generation_notices("gpt-4.1", all_set());
  REQUIRE(notes.size() == 1);
  CHECK(notes[0] == "reasoning-effort is not sent: gpt-4.1 is not a reasoning model");
  // Key order is fixed (prompt-cache friendly bodies are byte-stable).
  std::string body = ds::json::dump(v);
  CHECK(body.find("\"max_completion_tokens\":4000,\"temperature\":0.3") != std::string::npos);
}

TEST_CASE("generation: an unknown model gets what was set, nothing set sends nothing") {
  Value v = build_chat_body(request_for("gpt-oss-20b", all_set("low")), false);
  CHECK(v["reasoning_effort"].as_string() == "low");
  CHECK(v["temperature"].as_double() == 0.3);
  CHECK(generation_notices("gpt-oss-20b", all_set()).empty());

  Value none = build_chat_body(request_for("gpt-5", {}), false);
  CHECK_FALSE(none.has("reasoning_effort"));
  CHECK_FALSE(none.has("temperature"));
  CHECK_FALSE(none.has("max_completion_tokens"));
  CHECK(generation_notices("gpt-5", {}).empty());
}

TEST_CASE("generation: responses body: reasoning {effort}, max_output_tokens, encrypted reasoning included") {
  std::string body = ds::json::dump(build_responses_body(request_for("o4-mini", all_set("medium")), true));
  CHECK(
      body ==
      R"({"model":"o4-mini","instructions":"Be brief.","input":[{"role":"user","content":"hi"}],"store":false,)"
      R"("include":["reasoning.encrypted_content"],"stream":true,"max_output_tokens":4000,)"
      R"("reasoning":{"effort":"medium"}})");

  Value plain = build_responses_body(request_for("gpt-4.1", all_set()), false);
  CHECK_FALSE(plain.has("include"));
  CHECK_FALSE(plain.has("reasoning"));
  CHECK(plain["temperature"].as_double() == 0.3);
  CHECK(plain["max_output_tokens"].as_int() == 4000);

  // A reasoning model with no effort set still carries its reasoning over.
  Value bare = build_responses_body(request_for("gpt-5", {}), false);
  CHECK(bare["include"].at(0).as_string() == "reasoning.encrypted_content");
  CHECK_FALSE(bare.has("reasoning"));
}

TEST_CASE("generation: reasoning items of a turn go back first in the assistant's input items") {
  Request r = request_for("gpt-5", {});
  Message a;
  a.role = Role::Assistant;
  a.content = "Reading.";
  a.reasoning.push_back(
      *ds::json::parse(R"({"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"E1"})"));
  a.tool_calls.push_back(ToolCall{"call_1", "read_file", R"({"path":"a.c"})", Value()});
  r.messages.push_back(a);
  r.messages.push_back(Message::tool("call_1", "read_file", "text"));
  Value input = build_responses_body(r, false)["input"];
  REQUIRE(input.items().size() == 5);
  CHECK(ds::json::dump(input.at(1)) ==
        R"({"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"E1"})");
  CHECK(input.at(2)["role"].as_string() == "assistant");
  CHECK(input.at(3)["type"].as_string() == "function_call");
  CHECK(input.at(4)["type"].as_string() == "function_call_output");
  // Chat Completions has no place for them: the message is unchanged.
  Value chat = build_chat_body(r, false)["messages"];
  CHECK(ds::json::dump(chat.at(2)).find("rs_1") == std::string::npos);
}

TEST_CASE("generation: settings come from flag > env > config, with sources, bad values say where") {
  Map flags{{"temperature", "0.7"}}, env{{"DIFFSMITH_REASONING_EFFORT", "low"}},
      config{{"max-output-tokens", "2048"}, {"temperature", "1.5"}};
  std::vector<SettingInfo> infos;
  auto g = resolve_generation(layers(flags, env, config), &infos);
  REQUIRE(g.ok());
  CHECK(g->reasoning_effort == "low");
  CHECK(*g->temperature == 0.7);
  CHECK(*g->max_output_tokens == 2048);
  REQUIRE(infos.size() == 3);
  CHECK(infos[0].source == "env DIFFSMITH_REASONING_EFFORT");
  CHECK(infos[1].source == "--temperature");
  CHECK(infos[2].source == "config /u/config.toml");

  auto empty = resolve_generation(layers({}, {}, {}));
  REQUIRE(empty.ok());
  CHECK(empty->reasoning_effort.empty());
  CHECK_FALSE(empty->temperature);
  CHECK_FALSE(empty->max_output_tokens);

  auto effort = resolve_generation(layers({{"reasoning-effort", "extreme"}}, {}, {}));
  REQUIRE_FALSE(effort.ok());
  CHECK(effort.error().kind == ErrorKind::Config);
  CHECK(effort.error().message ==
        "setting reasoning-effort = \"extreme\" (from --reasoning-effort) is not one of minimal, low, "
        "medium, high");
  auto hot = resolve_generation(layers({}, {}, {{"temperature", "2.5"}}));
  REQUIRE_FALSE(hot.ok());
  CHECK(hot.error().message ==
        "setting temperature = \"2.5\" (from config /u/config.toml) is not a number from 0 to 2");
  for (const char* bad : {"0", "-5", "12.5", "many"}) {
    INFO(bad);
    CHECK_FALSE(resolve_generation(layers({{"max-output-tokens", bad}}, {}, {})).ok());
  }
}

TEST_CASE("generation: resolve_endpoint carries the options and lists them for doctor") {
  Map flags{{"reasoning-effort", "high"}}, env{{"OPENAI_API_KEY", "sk-test-123456"}};
  auto c = resolve_endpoint(layers(flags, env, {}));
  REQUIRE(c.ok());
  CHECK(c->generation.reasoning_effort == "high");
  bool listed = false;
  for (const auto& s : c->settings) listed |= s.key == "reasoning-effort" && s.source == "--reasoning-effort";
  CHECK(listed);
  bool offered = false;
  for (const auto& s : endpoint_settings()) offered |= std::string_view(s.key) == "max-output-tokens";
  CHECK(offered);
  auto bad = resolve_endpoint(layers({{"temperature", "hot"}}, env, {}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::Config);
}
