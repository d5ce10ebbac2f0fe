// MCP servers and hooks from the settings: [mcp.servers.NAME] and [hooks] in
// the user's config (Settings::tables; a repository's file may set neither)
// and --mcp NAME=CMD; starting the servers for a run.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "agent/config/settings.hpp"
#include "agent/hooks.hpp"
#include "mcp/client.hpp"

namespace ds::agent {

// The configured servers, sorted by name; an error names a bad key or value.
Result<std::vector<mcp::ServerSpec>> mcp_server_specs(const Settings& s);

// The [hooks] table.
Result<Hooks> hooks_from_settings(const Settings& s);

// Starts every server in `cwd`; one that fails is reported on `notices` and
// left out. `on_withdrawn` is told when a running server dies later.
std::vector<std::shared_ptr<mcp::Server>> start_mcp_servers(
    const std::vector<mcp::ServerSpec>& specs, const std::string& cwd, std::vector<std::string>& notices,
    const std::function<void(const std::string&)>& on_withdrawn);

// doctor: each server started and its tools listed (offered or hidden by
// allow/deny), then stopped; the hooks.
void print_mcp_and_hooks(const Settings& s, const std::string& cwd, std::ostream& out);

}  // namespace ds::agent
