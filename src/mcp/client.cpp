// The JSON-RPC exchanges of one MCP server, over either transport.
#include "mcp/client.hpp"

#include <fnmatch.h>

#include <chrono>

namespace ds::mcp {

namespace {

constexpr size_t kMaxText = 100000;  // a result's text sent to the model
constexpr const char* kProtocol = "2025-06-18";

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

}  // namespace

bool tool_allowed(const ServerSpec& spec, const std::string& tool) {
  for (const auto& p : spec.deny)
    if (::fnmatch(p.c_str(), tool.c_str(), 0) == 0) return false;
  if (spec.allow.empty()) return true;
  for (const auto& p : spec.allow)
    if (::fnmatch(p.c_str(), tool.c_str(), 0) == 0) return true;
  return false;
}

CallResult result_text(const json::Value& result) {
  CallResult out;
  out.is_error = result["isError"].is_bool() && result["isError"].as_bool();
  for (const auto& block : result["content"].items()) {
    std::string type = block["type"].as_string();
    std::string piece;
    if (type == "text") {
      piece = block["text"].as_string();
    } else if (type == "image" || type == "audio") {
      piece = "[" + type + " (" + block["mimeType"].as_string_or("unknown type") + ") not shown]";
    } else if (type == "resource") {
      piece = "[resource " + block["resource"]["uri"].as_string() + " not shown]";
    } else if (type == "resource_link") {
      piece = "[resource link " + block["uri"].as_string() +
              (block["name"].is_string() ? " (" + block["name"].as_string() + ")" : "") + "]";
    } else {
      piece = "[" + (type.empty() ? std::string("unknown") : type) + " content not shown]";
    }
    if (!out.text.empty()) out.text += "\n";
    out.text += piece;
  }
  if (out.text.empty() && result.has("structuredContent")) out.text = json::dump(result["structuredContent"]);
  if (out.text.size() > kMaxText) {
    out.text.resize(kMaxText);
    out.text += "\n[… output cut at " + std::to_string(kMaxText) + " bytes]";
  }
  return out;
}

Server::~Server() { stop(); }

void Server::stop() {
  if (transport_) transport_->close(), transport_.reset();
}

Error Server::withdraw(std::string why) {
  bool first = failure_.empty();
  if (first) failure_ = why;
  stop();
  if (first && on_withdrawn) on_withdrawn(why);
  return make_error("MCP server '" + spec_.name + "' " + why);
}

Status Server::start(const std::string& cwd) {
  transport_ = spec_.url.empty() ? make_stdio_transport(spec_) : make_http_transport(spec_);
  Status opened = transport_->open(cwd);
  if (!opened.ok()) {
    failure_ = opened.error().message;
    stop();
    return make_error("MCP server '" + spec_.name + "' " + failure_);
  }
  auto deadline = Clock::now() + std::chrono::milliseconds(spec_.start_timeout_ms);
  json::Value params = json::Value::object();
  params.set("protocolVersion", kProtocol)
      .set("capabilities", json::Value::object())
      .set("clientInfo", json::Value::object().set("name", "diffsmith").set("version", "0"));
  auto init = request("initialize", std::move(params), ms_left(deadline), spec_.start_timeout_ms);
  if (!init.ok()) {
    if (alive()) return withdraw("did not start: " + init.error().message);
    return init.error();
  }
  const json::Value& info = (*init)["serverInfo"];
  server_info_ =
      info["name"].as_string() + (info["version"].is_string() ? " " + info["version"].as_string() : "");
  transport_->initialized((*init)["protocolVersion"].as_string_or(kProtocol));
  Status sent = transport_->notify(
      json::Value::object().set("jsonrpc", "2.0").set("method", "notifications/initialized"),
      ms_left(deadline));
  if (!sent.ok()) return withdraw(sent.error().message + " after initialize");
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    json::Value p = json::Value::object();
    if (!cursor.empty()) p.set("cursor", cursor);
    auto list = request("tools/list", std::move(p), ms_left(deadline), spec_.start_timeout_ms);
    if (!list.ok()) {
      if (alive()) return withdraw("did not list its tools: " + list.error().message);
      return list.error();
    }
    for (const auto& t : (*list)["tools"].items()) {
      ToolInfo ti;
      ti.name = t["name"].as_string();
      ti.description = t["description"].as_string();
      ti.input_schema =
          t["inputSchema"].is_object() ? t["inputSchema"] : json::Value::object().set("type", "object");
      if (!ti.name.empty()) tools_.push_back(std::move(ti));
    }
    cursor = (*list)["nextCursor"].as_string();
    if (cursor.empty()) break;
  }
  return Ok{};
}

// One request through the transport. Only a JSON-RPC error leaves the server
// alive; any transport failure withdraws it.
Result<json::Value> Server::request(const std::string& method, json::Value params, int timeout_ms,
                                    int limit_ms) {
  if (!alive()) return make_error("MCP server '" + spec_.name + "' is not running: " + failure_);
  int64_t id = next_id_++;
  json::Value msg = json::Value::object();
  msg.set("jsonrpc", "2.0").set("id", id).set("method", method).set("params", std::move(params));
  auto m = transport_->exchange(msg, id, method, timeout_ms, limit_ms);
  if (!m.ok()) return withdraw(m.error().message);
  if (m->has("error")) {
    const json::Value& e = (*m)["error"];
    return make_error("MCP server '" + spec_.name + "' answered " + method + " with error " +
                      std::to_string(e["code"].as_int()) + ": " + e["message"].as_string());
  }
  return (*m)["result"];
}

Result<CallResult> Server::call(const std::string& tool, const json::Value& arguments) {
  json::Value params = json::Value::object();
  params.set("name", tool).set("arguments", arguments);
  auto r = request("tools/call", std::move(params), spec_.call_timeout_ms, spec_.call_timeout_ms);
  if (!r.ok()) return r.error();
  return result_text(*r);
}

json::Value answer_server_request(const json::Value& m) {
  json::Value reply = json::Value::object();
  reply.set("jsonrpc", "2.0").set("id", m["id"]);
  if (m["method"].as_string() == "ping")
    reply.set("result", json::Value::object());
  else
    reply.set("error", json::Value::object().set("code", -32601).set("message", "method not found"));
  return reply;
}

std::string seconds_text(int ms) {
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) s += "." + std::to_string(ms % 1000 / 100);
  return s + " s";
}

std::string shown(const std::string& text) { return text.size() > 80 ? text.substr(0, 80) + "…" : text; }

}  // namespace ds::mcp
