// How the client reaches one MCP server: a child process over stdio or a url
// over streamable HTTP. A transport moves JSON-RPC messages; the exchanges
// (initialize, tools/list, tools/call) are the client's. Every Error a
// transport returns is fatal: the server is withdrawn with its message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace ds::mcp {

struct ServerSpec {
  std::string name;                                      // the NAME of [mcp.servers.NAME] or --mcp
  std::string command;                                   // run with execvp (or /bin/sh -c when shell)
  std::vector<std::string> args;                         // after the command
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  bool shell = false;                                    // command is a /bin/sh -c string (--mcp)
  std::string url;                                       // streamable HTTP (instead of a command)
  std::string bearer_env;                                // url: Authorization: Bearer $VAR
  std::vector<std::string> allow, deny;                  // tool-name patterns (fnmatch); empty allow: all
  int start_timeout_ms = 10000;                          // spawn to tools/list answered
  int call_timeout_ms = 60000;                           // one tools/call
};

class Transport {
 public:
  virtual ~Transport() = default;
  // stdio: spawns the child in `cwd`. http: nothing to do yet.
  virtual Status open(const std::string& cwd) = 0;
  // Sends `request` (whose id is `id`) and returns the response with that id
  // (an object with "result" or "error"), answering the server's own
  // requests and skipping its notifications meanwhile. `limit_ms` is the
  // limit a time-out message names.
  virtual Result<json::Value> exchange(const json::Value& request, int64_t id, const std::string& method,
                                       int timeout_ms, int limit_ms) = 0;
  // Sends a notification (no answer expected beyond an acknowledgement).
  virtual Status notify(const json::Value& message, int timeout_ms) = 0;
  // Tells the transport what initialize answered (http: the protocol version).
  virtual void initialized(const std::string& protocol_version) { (void)protocol_version; }
  // Kills the child / ends the session. Idempotent.
  virtual void close() = 0;
};

std::unique_ptr<Transport> make_stdio_transport(const ServerSpec& spec);
std::unique_ptr<Transport> make_http_transport(const ServerSpec& spec);

// Our answer to a request of the server's: ping answered, anything else
// "method not found" (we offer no capabilities).
json::Value answer_server_request(const json::Value& request);

// "1 s", "2.5 s"
std::string seconds_text(int ms);

// A message for the model or a notice, cut to 80 characters.
std::string shown(const std::string& text);

}  // namespace ds::mcp
