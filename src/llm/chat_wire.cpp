// Chat Completions: building the request body and decoding replies.
#include "llm/chat_wire.hpp"

#include "llm/errors.hpp"
#include "llm/generation.hpp"

namespace ds::llm {
namespace {

using json::Value;

std::string snippet(std::string_view s) {
  return s.size() <= 120 ? std::string(s) : std::string(s.substr(0, 120)) + "...";
}

Value tool_call_json(const ToolCall& c) {
  Value fn = Value::object();
  fn.set("name", c.name);
  fn.set("arguments", c.arguments.empty() ? std::string("{}") : c.arguments);
  Value v = Value::object();
  v.set("id", c.id);
  v.set("type", "function");
  v.set("function", std::move(fn));
  return v;
}

Value message_json(const Message& m) {
  Value v = Value::object();
  switch (m.role) {
    case Role::System:
      v.set("role", "system").set("content", m.content);
      break;
    case Role::User:
      v.set("role", "user").set("content", m.content);
      break;
    case Role::Assistant: {
      v.set("role", "assistant");
      // OpenAI's own replies carry content null beside tool calls, and the
      // API accepts it back; "" would be a (useless) text part.
      if (m.tool_calls.empty() || !m.content.empty()) {
        v.set("content", m.content);
      } else {
        v.set("content", nullptr);
      }
      if (!m.tool_calls.empty()) {
        Value calls = Value::array();
        for (const ToolCall& c : m.tool_calls) calls.push(tool_call_json(c));
        v.set("tool_calls", std::move(calls));
      }
      break;
    }
    case Role::Tool:
      v.set("role", "tool").set("tool_call_id", m.tool_call_id).set("content", m.content);
      break;
  }
  return v;
}

Value tool_def_json(const ToolDef& t) {
  Value fn = Value::object();
  fn.set("name", t.name);
  if (!t.description.empty()) fn.set("description", t.description);
  fn.set("parameters", t.parameters.is_null()
                           ? Value::object().set("type", "object").set("properties", Value::object())
                           : t.parameters);
  if (t.strict) fn.set("strict", true);
  Value v = Value::object();
  v.set("type", "function");
  v.set("function", std::move(fn));
  return v;
}

Value tool_choice_json(const std::string& choice) {
  if (choice == "auto" || choice == "none" || choice == "required") return Value(choice);
  Value fn = Value::object();
  fn.set("name", choice);
  return Value::object().set("type", "function").set("function", std::move(fn));
}

ToolCall read_message_tool_call(const Value& tc) {
  ToolCall c;
  c.id = tc["id"].as_string();
  c.name = tc["function"]["name"].as_string();
  c.arguments = tc["function"]["arguments"].as_string();
  c.args = parse_arguments(c.arguments);
  return c;
}

Error stream_error_event(const Value& v) {
  ApiErrorInfo info = api_error_from(v);
  std::string msg =
      "error event in stream: " + (info.message.empty() ? std::string("(no message)") : info.message);
  if (!info.type.empty())
    msg += " (type " + info.type + (info.code.empty() ? "" : ", code " + info.code) + ")";
  return make_error(msg, classify_api_error(0, info));
}

}  // namespace

json::Value build_chat_body(const Request& req, bool stream) {
  Value body = Value::object();
  body.set("model", req.model);
  Value msgs = Value::array();
  for (const Message& m : req.messages) msgs.push(message_json(m));
  body.set("messages", std::move(msgs));
  if (!req.tools.empty()) {
    Value tools = Value::array();
    for (const ToolDef& t : req.tools) tools.push(tool_def_json(t));
    body.set("tools", std::move(tools));
    if (!req.tool_choice.empty()) body.set("tool_choice", tool_choice_json(req.tool_choice));
    if (req.parallel_tool_calls) body.set("parallel_tool_calls", *req.parallel_tool_calls);
  }
  if (stream) {
    body.set("stream", true);
    body.set("stream_options", Value::object().set("include_usage", true));
  }
  // max_completion_tokens, not the deprecated max_tokens: reasoning models
  // reject max_tokens, and every current model takes max_completion_tokens.
  const SentGeneration gen = sent_generation(req.model, req.generation);
  if (gen.max_output_tokens) body.set("max_completion_tokens", *gen.max_output_tokens);
  if (!gen.reasoning_effort.empty()) body.set("reasoning_effort", gen.reasoning_effort);
  if (gen.temperature) body.set("temperature", *gen.temperature);
  if (req.seed) body.set("seed", static_cast<long long>(*req.seed));
  if (!req.prompt_cache_key.empty()) body.set("prompt_cache_key", req.prompt_cache_key);
  return body;
}

void read_chat_usage(const json::Value& usage, Turn& turn) {
  if (!usage.is_object()) return;
  turn.usage.prompt_tokens = usage["prompt_tokens"].as_int();
  turn.usage.completion_tokens = usage["completion_tokens"].as_int();
  turn.usage.cached_tokens = usage["prompt_tokens_details"]["cached_tokens"].as_int();
  turn.usage.reasoning_tokens = usage["completion_tokens_details"]["reasoning_tokens"].as_int();
  turn.usage_known = true;
}

Status ChatStreamDecoder::on_event(const SseEvent& e) {
  ++events_;
  if (done_) return Ok{};  // nothing follows [DONE]
  if (e.data == "[DONE]") {
    done_ = true;
    return Ok{};
  }
  auto parsed = json::parse(e.data);
  if (!parsed.ok()) {
    return make_error("stream event " + std::to_string(events_) + " is not valid JSON (" +
                          parsed.error().message + "): " + snippet(e.data),
                      ErrorKind::Protocol);
  }
  const Value& v = *parsed;
  if (v.has("error") && !v["error"].is_null()) return stream_error_event(v);
  if (turn_.model.empty()) turn_.model = v["model"].as_string();
  for (const Value& choice : v["choices"].items()) {
    if (choice["index"].as_int(0) != 0) continue;  // we ask for one choice
    const Value& delta = choice["delta"];
    for (const char* key : {"content", "refusal"}) {
      const std::string& text = delta[key].as_string();
      if (!text.empty()) {
        turn_.text += text;
        if (on_text_) on_text_(text);
      }
    }
    const json::Array& tcs = delta["tool_calls"].items();
    for (size_t i = 0; i < tcs.size(); ++i) {
      const Value& tc = tcs[i];
      // `index` is always sent by OpenAI; position is a fallback for servers
      // that leave it out.
      PartialCall& p = calls_[tc["index"].as_int(static_cast<int64_t>(i))];
      if (const std::string& id = tc["id"].as_string(); !id.empty()) p.id = id;
      const Value& fn = tc["function"];
      if (const std::string& name = fn["name"].as_string(); !name.empty()) {
        p.concatenated += name;
        if (name != p.name && name != p.last_fragment) p.name += name;
        p.last_fragment = name;
      }
      p.arguments += fn["arguments"].as_string();
    }
    if (choice["finish_reason"].is_string()) {
      turn_.finish_reason = choice["finish_reason"].as_string();
      finished_ = true;
    }
  }
  if (v["usage"].is_object()) read_chat_usage(v["usage"], turn_);
  return Ok{};
}

std::string ChatStreamDecoder::resolve_name(const PartialCall& p) const {
  if (p.concatenated == p.name) return p.name;
  for (const std::string& known : tool_names_) {
    if (known == p.concatenated) return p.concatenated;
  }
  return p.name;
}

Result<Turn> ChatStreamDecoder::finish() {
  if (!done_) {
    return make_error("the stream ended without data: [DONE] after " + std::to_string(events_) +
                          " events (the connection broke or the server stopped early)",
                      ErrorKind::Protocol);
  }
  if (!finished_) {
    return make_error("the stream ended without a finish_reason (" + std::to_string(events_) + " events)",
                      ErrorKind::Protocol);
  }
  for (auto& [index, p] : calls_) {
    ToolCall c;
    c.id = std::move(p.id);
    c.name = resolve_name(p);
    c.arguments = std::move(p.arguments);
    c.args = parse_arguments(c.arguments);
    turn_.tool_calls.push_back(std::move(c));
  }
  calls_.clear();
  return std::move(turn_);
}

Result<Turn> parse_chat_body(std::string_view body) {
  auto parsed = json::parse(body);
  if (!parsed.ok() || !parsed->is_object()) {
    return make_error("the reply is not a JSON object: " + snippet(body), ErrorKind::Protocol);
  }
  const Value& v = *parsed;
  if (v.has("error") && !v["error"].is_null()) return stream_error_event(v);
  const Value& choice = v["choices"].at(0);
  if (!choice.is_object())
    return make_error("the reply has no choices: " + snippet(body), ErrorKind::Protocol);
  Turn turn;
  turn.model = v["model"].as_string();
  const Value& msg = choice["message"];
  turn.text = msg["content"].as_string();
  if (turn.text.empty()) turn.text = msg["refusal"].as_string();
  for (const Value& tc : msg["tool_calls"].items()) {
    turn.tool_calls.push_back(read_message_tool_call(tc));
  }
  turn.finish_reason = choice["finish_reason"].as_string();
  read_chat_usage(v["usage"], turn);
  return turn;
}

}  // namespace ds::llm
