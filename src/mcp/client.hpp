// An MCP (Model Context Protocol) client: a child process over stdio (JSON-RPC
// 2.0, one JSON object per line) or a url over streamable HTTP (one POST per
// message). start() runs initialize, notifications/initialized and tools/list
// within a time limit; call() runs tools/call within its own. A server that
// exits, hangs past a limit, fails at the HTTP level or sends something that
// is not JSON-RPC is stopped and marked dead (alive() false, failure() says
// why): its tools are withdrawn, and no call ever waits longer than its limit.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"
#include "mcp/transport.hpp"

namespace ds::mcp {

struct ToolInfo {
  std::string name;  // the server's name for it
  std::string description;
  json::Value input_schema;  // as the server sent it (byte-stable when the server is)
};

struct CallResult {
  std::string text;  // text blocks; images, audio and resources named, not sent
  bool is_error = false;
};

// Is `tool` offered under the spec's allow/deny patterns? Deny wins.
bool tool_allowed(const ServerSpec& spec, const std::string& tool);

// A tools/call result's content as text for the model.
CallResult result_text(const json::Value& result);

class Server {
 public:
  explicit Server(ServerSpec spec) : spec_(std::move(spec)) {}
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts the child (or opens the HTTP session) and lists its tools (all of them: filter with
  // tool_allowed). On failure the server is dead and the error says why.
  Status start(const std::string& cwd);
  // One tools/call. An error result from the tool is a CallResult with
  // is_error; a JSON-RPC error is an Error (the server stays); a crash, a
  // time-out or junk is an Error and the server is dead afterwards.
  Result<CallResult> call(const std::string& tool, const json::Value& arguments);

  bool alive() const { return transport_ && failure_.empty(); }
  const std::string& failure() const { return failure_; }
  const ServerSpec& spec() const { return spec_; }
  const std::vector<ToolInfo>& tools() const { return tools_; }
  std::string server_info() const { return server_info_; }  // "name version" from initialize

  // Called once when the server dies or is withdrawn, with the reason.
  std::function<void(const std::string& why)> on_withdrawn;

 private:
  // `limit_ms`: the limit the time-out message names (start-up: the whole
  // start_timeout, of which `timeout_ms` is what is left).
  Result<json::Value> request(const std::string& method, json::Value params, int timeout_ms, int limit_ms);
  Error withdraw(std::string why);
  void stop();

  ServerSpec spec_;
  std::unique_ptr<Transport> transport_;  // null until started and after stop()
  int64_t next_id_ = 1;
  std::string failure_;
  std::string server_info_;
  std::vector<ToolInfo> tools_;
};

}  // namespace ds::mcp
