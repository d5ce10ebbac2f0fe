// Responses API: building the request body and decoding replies.
#include "llm/responses_wire.hpp"

#include "llm/errors.hpp"
#include "llm/generation.hpp"

namespace ds::llm {
namespace {

using json::Value;

std::string snippet(std::string_view s) {
  return s.size() <= 120 ? std::string(s) : std::string(s.substr(0, 120)) + "...";
}

Value text_item(const char* role, const std::string& text) {
  return Value::object().set("role", role).set("content", text);
}

Value tool_def_json(const ToolDef& t) {
  Value v = Value::object();
  v.set("type", "function");
  v.set("name", t.name);
  if (!t.description.empty()) v.set("description", t.description);
  v.set("parameters", t.parameters.is_null()
                          ? Value::object().set("type", "object").set("properties", Value::object())
                          : t.parameters);
  v.set("strict", t.strict);
  return v;
}

// Usage of a Responses `response` object.
void read_usage(const Value& usage, Turn& turn) {
  if (!usage.is_object()) return;
  turn.usage.prompt_tokens = usage["input_tokens"].as_int();
  turn.usage.completion_tokens = usage["output_tokens"].as_int();
  turn.usage.cached_tokens = usage["input_tokens_details"]["cached_tokens"].as_int();
  turn.usage.reasoning_tokens = usage["output_tokens_details"]["reasoning_tokens"].as_int();
  turn.usage_known = true;
}

std::string incomplete_reason(const Value& response) {
  const std::string& why = response["incomplete_details"]["reason"].as_string();
  return why == "content_filter" ? "content_filter" : "length";
}

Error failure(const Value& err, std::string_view what) {
  ApiErrorInfo info = api_error_from(err);
  std::string msg =
      std::string(what) + ": " + (info.message.empty() ? std::string("(no message)") : info.message);
  if (!info.code.empty()) msg += " (code " + info.code + ")";
  return make_error(msg, classify_api_error(0, info));
}

ToolCall call_from_item(const Value& item) {
  ToolCall c;
  c.id = item["call_id"].as_string();
  c.name = item["name"].as_string();
  c.arguments = item["arguments"].as_string();
  return c;
}

// Text of a finished message item: its output_text / refusal parts.
std::string message_text(const Value& item) {
  std::string text;
  for (const Value& part : item["content"].items()) {
    text += part["text"].as_string();
    text += part["refusal"].as_string();
  }
  return text;
}

}  // namespace

json::Value build_responses_body(const Request& req, bool stream) {
  Value body = Value::object();
  body.set("model", req.model);
  size_t first = 0;
  if (!req.messages.empty() && req.messages[0].role == Role::System) {
    body.set("instructions", req.messages[0].content);
    first = 1;
  }
  Value input = Value::array();
  for (size_t i = first; i < req.messages.size(); ++i) {
    const Message& m = req.messages[i];
    switch (m.role) {
      case Role::System:
        input.push(text_item("system", m.content));
        break;
      case Role::User:
        input.push(text_item("user", m.content));
        break;
      case Role::Assistant:
        // The turn's reasoning items go back first, as received: they came
        // before the message and the calls they led to.
        for (const Value& r : m.reasoning) input.push(r);
        if (!m.content.empty() || m.tool_calls.empty()) input.push(text_item("assistant", m.content));
        for (const ToolCall& c : m.tool_calls) {
          input.push(Value::object()
                         .set("type", "function_call")
                         .set("call_id", c.id)
                         .set("name", c.name)
                         .set("arguments", c.arguments.empty() ? std::string("{}") : c.arguments));
        }
        break;
      case Role::Tool:
        input.push(Value::object()
                       .set("type", "function_call_output")
                       .set("call_id", m.tool_call_id)
                       .set("output", m.content));
        break;
    }
  }
  body.set("input", std::move(input));
  if (!req.tools.empty()) {
    Value tools = Value::array();
    for (const ToolDef& t : req.tools) tools.push(tool_def_json(t));
    body.set("tools", std::move(tools));
    const std::string& tc = req.tool_choice;
    if (tc == "auto" || tc == "none" || tc == "required") {
      body.set("tool_choice", tc);
    } else if (!tc.empty()) {
      body.set("tool_choice", Value::object().set("type", "function").set("name", tc));
    }
    if (req.parallel_tool_calls) body.set("parallel_tool_calls", *req.parallel_tool_calls);
  }
  body.set("store", false);
  const SentGeneration gen = sent_generation(req.model, req.generation);
  // Nothing is stored, so a reasoning model's reasoning can only carry over
  // to the next turn as encrypted items we pass back ourselves.
  if (gen.carry_reasoning) body.set("include", Value::array().push("reasoning.encrypted_content"));
  if (stream) body.set("stream", true);
  if (gen.max_output_tokens) body.set("max_output_tokens", *gen.max_output_tokens);
  if (!gen.reasoning_effort.empty())
    body.set("reasoning", Value::object().set("effort", gen.reasoning_effort));
  if (gen.temperature) body.set("temperature", *gen.temperature);
  if (!req.prompt_cache_key.empty()) body.set("prompt_cache_key", req.prompt_cache_key);
  return body;
}

Status ResponsesStreamDecoder::on_event(const SseEvent& e) {
  ++events_;
  if (done_ || e.data == "[DONE]") return Ok{};
  auto parsed = json::parse(e.data);
  if (!parsed.ok()) {
    return make_error("stream event " + std::to_string(events_) + " (" + e.event + ") is not valid JSON (" +
                          parsed.error().message + "): " + snippet(e.data),
                      ErrorKind::Protocol);
  }
  const Value& v = *parsed;
  std::string type = v["type"].as_string_or(e.event);
  if (type == "response.created" || type == "response.in_progress") {
    if (turn_.model.empty()) turn_.model = v["response"]["model"].as_string();
  } else if (type == "response.output_text.delta" || type == "response.refusal.delta") {
    const std::string& delta = v["delta"].as_string();
    if (!delta.empty()) {
      turn_.text += delta;
      if (on_text_) on_text_(delta);
    }
  } else if (type == "response.output_item.added" || type == "response.output_item.done") {
    const Value& item = v["item"];
    if (item["type"].as_string() == "reasoning") {
      // .done carries the whole item (encrypted_content included).
      if (type == "response.output_item.done") reasoning_[v["output_index"].as_int()] = item;
    } else if (item["type"].as_string() == "function_call") {
      ToolCall& c = calls_[v["output_index"].as_int()];
      ToolCall fresh = call_from_item(item);
      if (!fresh.id.empty()) c.id = fresh.id;
      if (!fresh.name.empty()) c.name = fresh.name;
      // On .done the item holds the complete arguments; on .added usually "".
      if (type == "response.output_item.done" || c.arguments.empty()) c.arguments = fresh.arguments;
    } else if (type == "response.output_item.done" && item["type"].as_string() == "message" &&
               turn_.text.empty()) {
      // A server that sends no text deltas still completes the message item.
      turn_.text = message_text(item);
      if (on_text_ && !turn_.text.empty()) on_text_(turn_.text);
    }
  } else if (type == "response.function_call_arguments.delta") {
    calls_[v["output_index"].as_int()].arguments += v["delta"].as_string();
  } else if (type == "response.function_call_arguments.done") {
    calls_[v["output_index"].as_int()].arguments = v["arguments"].as_string();
  } else if (type == "response.completed" || type == "response.incomplete") {
    const Value& r = v["response"];
    if (!r["model"].as_string().empty()) turn_.model = r["model"].as_string();
    read_usage(r["usage"], turn_);
    turn_.finish_reason = type == "response.incomplete" ? incomplete_reason(r) : "";
    if (reasoning_.empty()) {  // a server that sent no output_item.done for them
      const json::Array& output = r["output"].items();
      for (size_t i = 0; i < output.size(); ++i) {
        if (output[i]["type"].as_string() == "reasoning") reasoning_[static_cast<int64_t>(i)] = output[i];
      }
    }
    done_ = true;
  } else if (type == "response.failed") {
    return failure(v["response"]["error"], "the response failed");
  } else if (type == "error") {
    return failure(v, "error event in stream");
  }
  return Ok{};
}

Result<Turn> ResponsesStreamDecoder::finish() {
  if (!done_) {
    return make_error("the stream ended before response.completed after " + std::to_string(events_) +
                          " events (the connection broke or the server stopped early)",
                      ErrorKind::Protocol);
  }
  for (auto& [index, c] : calls_) {
    c.args = parse_arguments(c.arguments);
    turn_.tool_calls.push_back(std::move(c));
  }
  calls_.clear();
  for (auto& [index, item] : reasoning_) turn_.reasoning.push_back(std::move(item));
  reasoning_.clear();
  if (turn_.finish_reason.empty()) turn_.finish_reason = turn_.tool_calls.empty() ? "stop" : "tool_calls";
  return std::move(turn_);
}

Result<Turn> parse_responses_body(std::string_view body) {
  auto parsed = json::parse(body);
  if (!parsed.ok() || !parsed->is_object()) {
    return make_error("the reply is not a JSON object: " + snippet(body), ErrorKind::Protocol);
  }
  const Value& v = *parsed;
  if (v["error"].is_object()) return failure(v["error"], "the response failed");
  if (v["status"].as_string() == "failed") return failure(v["error"], "the response failed");
  Turn turn;
  turn.model = v["model"].as_string();
  for (const Value& item : v["output"].items()) {
    const std::string& type = item["type"].as_string();
    if (type == "message") {
      turn.text += message_text(item);
    } else if (type == "function_call") {
      ToolCall c = call_from_item(item);
      c.args = parse_arguments(c.arguments);
      turn.tool_calls.push_back(std::move(c));
    } else if (type == "reasoning") {
      turn.reasoning.push_back(item);
    }
  }
  read_usage(v["usage"], turn);
  if (v["status"].as_string() == "incomplete") {
    turn.finish_reason = incomplete_reason(v);
  } else {
    turn.finish_reason = turn.tool_calls.empty() ? "stop" : "tool_calls";
  }
  return turn;
}

}  // namespace ds::llm
