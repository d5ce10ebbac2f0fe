// [mcp.servers.NAME] keys: command, args, env.VAR, url, bearer_env, allow,
// deny, start_timeout, call_timeout. [hooks] keys: before_tool, after_edit,
// before_commit, run_end, timeout.
#include "agent/cli/mcp_settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace ds::agent {

namespace {

std::vector<std::string> lines_of(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t nl = v.find('\n', start);
    if (nl == std::string::npos) nl = v.size();
    if (nl > start) out.push_back(v.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

Result<int> seconds_ms(const SettingValue& v, const std::string& key) {
  char* end = nullptr;
  double d = std::strtod(v.value.c_str(), &end);
  if (v.value.empty() || *end != '\0' || !(d > 0) || d > 86400)
    return make_error(key + " must be a number of seconds above 0, got '" + v.value + "' (" + v.where() +
                      ")");
  return static_cast<int>(std::lround(d * 1000));
}

bool valid_server_name(const std::string& n) {
  return !n.empty() && n.size() <= 32 && n.find("__") == std::string::npos &&
         std::all_of(n.begin(), n.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

bool is_http_url(const std::string& v) { return v.rfind("http://", 0) == 0 || v.rfind("https://", 0) == 0; }

}  // namespace

Result<std::vector<mcp::ServerSpec>> mcp_server_specs(const Settings& s) {
  std::map<std::string, mcp::ServerSpec> specs;
  const std::string prefix = "mcp.servers.";
  for (const auto& [full, v] : s.tables) {
    if (full.rfind("mcp.", 0) != 0) continue;
    if (full.rfind(prefix, 0) != 0)
      return make_error("unknown setting '" + full + "' (" + v.where() +
                        "): MCP servers go in [mcp.servers.NAME]");
    std::string rest = full.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot == std::string::npos)
      return make_error("'" + full + "' (" + v.where() + "): MCP servers are tables, [mcp.servers.NAME]");
    std::string name = rest.substr(0, dot), key = rest.substr(dot + 1);
    if (!valid_server_name(name))
      return make_error("MCP server name '" + name + "' (" + v.where() +
                        ") must be letters, digits, '-' or '_' (no '__'), at most 32 characters");
    mcp::ServerSpec& spec = specs[name];
    spec.name = name;
    if (key == "command") {
      spec.command = v.value;
    } else if (key == "args") {
      spec.args = lines_of(v.value);
    } else if (key.rfind("env.", 0) == 0) {
      spec.env.emplace_back(key.substr(4), v.value);
    } else if (key == "url") {
      if (!is_http_url(v.value))
        return make_error(full + " must be an http:// or https:// url, got '" + v.value + "' (" + v.where() +
                          ")");
      spec.url = v.value;
    } else if (key == "bearer_env") {
      spec.bearer_env = v.value;
    } else if (key == "allow") {
      spec.allow = lines_of(v.value);
    } else if (key == "deny") {
      spec.deny = lines_of(v.value);
    } else if (key == "start_timeout" || key == "call_timeout") {
      auto ms = seconds_ms(v, full);
      if (!ms.ok()) return ms.error();
      (key == "start_timeout" ? spec.start_timeout_ms : spec.call_timeout_ms) = *ms;
    } else {
      return make_error(
          "unknown setting '" + full + "' (" + v.where() +
          "); a server takes command, args, env, url, bearer_env, allow, deny, start_timeout, call_timeout");
    }
  }
  for (const std::string& flag : s.list("mcp")) {
    size_t eq = flag.find('=');
    std::string name = eq == std::string::npos ? "" : flag.substr(0, eq);
    if (!valid_server_name(name) || eq + 1 >= flag.size())
      return make_error("--mcp takes NAME=COMMAND or NAME=URL (NAME: letters, digits, '-' or '_'), got '" +
                        flag + "'");
    mcp::ServerSpec spec;
    spec.name = name;
    if (is_http_url(flag.substr(eq + 1))) {
      spec.url = flag.substr(eq + 1);
    } else {
      spec.command = flag.substr(eq + 1);
      spec.shell = true;
    }
    if (auto it = specs.find(name); it != specs.end()) {  // keeps the config's allow/deny/timeouts
      spec.allow = it->second.allow, spec.deny = it->second.deny, spec.env = it->second.env;
      spec.bearer_env = it->second.bearer_env;
      spec.start_timeout_ms = it->second.start_timeout_ms, spec.call_timeout_ms = it->second.call_timeout_ms;
    }
    specs[name] = std::move(spec);
  }
  std::vector<mcp::ServerSpec> out;
  for (auto& [name, spec] : specs) {
    if (spec.command.empty() && spec.url.empty())
      return make_error("MCP server '" + name + "' has neither a command nor a url");
    if (!spec.command.empty() && !spec.url.empty())
      return make_error("MCP server '" + name + "' has both a command and a url; give one");
    out.push_back(std::move(spec));
  }
  return out;
}

Result<Hooks> hooks_from_settings(const Settings& s) {
  Hooks h;
  for (const auto& [full, v] : s.tables) {
    if (full.rfind("hooks.", 0) != 0) continue;
    std::string key = full.substr(6);
    if (key == "before_tool")
      h.before_tool = v.value;
    else if (key == "after_edit")
      h.after_edit = v.value;
    else if (key == "before_commit")
      h.before_commit = v.value;
    else if (key == "run_end")
      h.run_end = v.value;
    else if (key == "timeout") {
      auto ms = seconds_ms(v, full);
      if (!ms.ok()) return ms.error();
      h.timeout_s = std::max(1, (*ms + 999) / 1000);
    } else {
      return make_error("unknown setting '" + full + "' (" + v.where() +
                        "); [hooks] takes before_tool, after_edit, before_commit, run_end, timeout");
    }
  }
  return h;
}

std::vector<std::shared_ptr<mcp::Server>> start_mcp_servers(
    const std::vector<mcp::ServerSpec>& specs, const std::string& cwd, std::vector<std::string>& notices,
    const std::function<void(const std::string&)>& on_withdrawn) {
  std::vector<std::shared_ptr<mcp::Server>> servers;
  for (const auto& spec : specs) {
    auto server = std::make_shared<mcp::Server>(spec);
    Status st = server->start(cwd);
    if (!st.ok()) {
      notices.push_back(st.error().message + "; its tools are not offered");
      continue;
    }
    std::string name = spec.name;
    server->on_withdrawn = [on_withdrawn, name](const std::string& why) {
      if (on_withdrawn) on_withdrawn("MCP server '" + name + "' " + why + "; its tools are withdrawn");
    };
    servers.push_back(std::move(server));
  }
  return servers;
}

void print_mcp_and_hooks(const Settings& s, const std::string& cwd, std::ostream& out) {
  out << "diffsmith doctor: MCP servers\n";
  auto specs = mcp_server_specs(s);
  if (!specs.ok()) {
    out << "  error: " << specs.error().message << "\n";
  } else if (specs->empty()) {
    out << "  none ([mcp.servers.NAME] in the user's config, or --mcp NAME=COMMAND|URL)\n";
  }
  for (const auto& spec : specs.ok() ? *specs : std::vector<mcp::ServerSpec>{}) {
    mcp::Server server(spec);
    Status st = server.start(cwd);
    std::string how = spec.shell ? spec.command : spec.url.empty() ? spec.command : spec.url;
    for (const auto& a : spec.args) how += " " + a;
    if (!st.ok()) {
      out << "  " << spec.name << ": " << how << "\n    error: " << st.error().message << "\n";
      continue;
    }
    out << "  " << spec.name << ": " << how << " (" << server.server_info() << ")\n";
    std::vector<std::string> names;
    for (const auto& t : server.tools())
      names.push_back(spec.name + "__" + t.name +
                      (mcp::tool_allowed(spec, t.name) ? "" : " (hidden by allow/deny)"));
    std::sort(names.begin(), names.end());
    for (const auto& n : names) out << "    " << n << "\n";
  }
  out << "diffsmith doctor: hooks\n";
  auto hooks = hooks_from_settings(s);
  if (!hooks.ok()) {
    out << "  error: " << hooks.error().message << "\n";
    return;
  }
  if (!hooks->any()) out << "  none ([hooks] in the user's config)\n";
  for (auto [name, cmd] : {std::pair<const char*, const std::string*>{"before_tool", &hooks->before_tool},
                           {"after_edit", &hooks->after_edit},
                           {"before_commit", &hooks->before_commit},
                           {"run_end", &hooks->run_end}})
    if (!cmd->empty()) out << "  " << name << ": " << *cmd << "\n";
  if (hooks->any()) out << "  timeout: " << hooks->timeout_s << " s\n";
}

}  // namespace ds::agent
