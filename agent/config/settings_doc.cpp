// The settings reference (Markdown) from the settings table.
#include "agent/config/settings_doc.hpp"

#include <string_view>
#include <vector>

#include "agent/config/options.hpp"

namespace ds::agent {
namespace {

// [mcp.servers.NAME] and [hooks]: tables, not flat settings, so not in the
// settings table.
constexpr const char* kMcpAndHooks = R"md(
## MCP servers (`[mcp.servers.NAME]`, user's config only)

diffsmith starts each configured MCP server when a run starts, speaks JSON-RPC 2.0 to it (`initialize`, `notifications/initialized`, `tools/list`, `tools/call`) over its stdin and stdout (one JSON object per line) or, for a `url` server, over streamable HTTP, and offers its tools to the model as `NAME__tool`, after the built-in tools, sorted by name; the list is the same in every request, so the prompt cache still hits. A server's own requests are answered (`ping`) or refused (anything else), its notifications ignored.

```toml
[mcp.servers.docs]
command = "python3"                      # run directly (execvp), in the work tree
args = ["-m", "my_docs_server", "--stdio"]
allow = ["search*", "fetch"]             # tool names (shell patterns); empty: all
deny = ["delete_*"]                      # wins over allow
start_timeout = 10                       # seconds from start to its tool list (default 10)
call_timeout = 60                        # seconds for one tools/call (default 60)

[mcp.servers.docs.env]                   # added to the environment diffsmith inherits
DOCS_INDEX = "/srv/docs"

[mcp.servers.tickets]                    # streamable HTTP instead of a command
url = "http://127.0.0.1:8931/mcp"
bearer_env = "TICKETS_TOKEN"             # sends "Authorization: Bearer $TICKETS_TOKEN"
```

- `--mcp NAME=COMMAND` or `--mcp NAME=URL` (repeatable) starts a server for one run; COMMAND runs with `/bin/sh -c`, an `http://` or `https://` URL is reached over streamable HTTP. A `[mcp.servers.NAME]` of the same name lends it its `allow`, `deny`, `env`, `bearer_env` and time limits.
- Results go to the model as text; images, audio and resources are named (`[image (image/png) not shown]`), not sent. A tool's error result and a server's JSON-RPC error reach the model as the tool's error.
- A server that exits, does not answer within its time limit, or writes a line that is not JSON-RPC is killed; its tools are withdrawn for the rest of the run, with a notice. One that fails to start is left out with a notice, and the run goes on.
- A `url` server (MCP streamable HTTP, protocol 2025-06-18; a server may also answer 2025-03-26) gets every message as a POST with `Accept: application/json, text/event-stream`; its answer is one JSON response or an event stream, read until the response to the request (its notifications skipped, its `ping` answered with a POST of its own). The `Mcp-Session-Id` initialize returns and the negotiated `MCP-Protocol-Version` go on every later request; the session is ended with a DELETE when the run ends. An HTTP error status, a refused connection, a body that is not JSON-RPC or no answer within the time limit withdraws it like a crashed stdio server. A `bearer_env` naming an unset variable leaves the server out. Loopback urls bypass any proxy.
- A server has either `command` or `url`, not both.
- `diffsmith doctor` starts every server and lists its tools (those hidden by `allow`/`deny` marked), then stops it.
- `--json` shows MCP calls as `tool_call` events like any other tool.

## Hooks (`[hooks]`, user's config only)

One command per event, run with `/bin/sh -c` in the work tree, on this machine (never in the sandbox), with one JSON object on its stdin and `DIFFSMITH_HOOK_EVENT` and `DIFFSMITH_RUN_ID` in its environment:

| Event | When | The JSON |
|---|---|---|
| `before_tool` | before every tool call of the model | `{"event", "run_id", "work_tree", "tool": {"id", "name", "arguments"}}` |
| `after_edit` | after a turn's edits (edit tools, edit blocks, files a command wrote) are written | `{"event", "run_id", "work_tree", "paths": [...]}` |
| `before_commit` | before `--commit`/`--branch` commits a solved run | `{"event", "run_id", "work_tree", "paths": [...], "branch"}` |
| `run_end` | after the run's verdict | `{"event", "run_id", "work_tree", "status", "exit_code", "paths": [...]}` |

- Exit 0 goes on. Exit 2 blocks the action: `before_tool`'s call is not made and the hook's stderr goes to the model as the tool's error; `before_commit`'s commit is not made (exit 4). Any other exit, and a hook killed at `timeout`, is reported as a notice and ignored. (`after_edit` and `run_end` cannot undo what happened: exit 2 is reported.)
- `timeout` (seconds, default 60) limits each hook run.
- What an `after_edit` hook changes in the work tree is an edit like the model's: shown as a `diff` event (`"source": "after_edit hook"`), checkpointed with the turn, in the run's patch, and taken back by `diffsmith undo`.

Format after every edit (the formatter's changes are part of the run, and undone with it):

```toml
[hooks]
after_edit = "git ls-files -z -- '*.py' | xargs -0 -r black -q"
```

Refuse edits under a protected path (`deploy/`), with a script (a TOML string here is one line):

```toml
[hooks]
before_tool = "sh ~/.config/diffsmith/protect-deploy.sh"
```

```sh
# ~/.config/diffsmith/protect-deploy.sh
input=$(cat)
case "$input" in
  *'"name":"apply_edits"'*deploy/*|*'"name":"apply_patch"'*deploy/*|*'"name":"run_command"'*deploy/*)
    echo "deploy/ is protected: change the code elsewhere" >&2; exit 2;;
esac
```

A repository's `.diffsmith.toml` may name neither MCP servers nor hooks (they run commands as you): such keys are ignored with a warning and listed by `doctor` as refused.
)md";

// A table cell: '|' would end the cell.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string code(std::string_view text) { return text.empty() ? "" : "`" + std::string(text) + "`"; }

void table(std::string& md, const std::vector<OptionSpec>& options, bool run) {
  md += run ? "| Setting | Flag | Environment | Default | `.diffsmith.toml` | `batch` | What it does |\n"
              "|---|---|---|---|---|---|---|\n"
            : "| Setting | Flag | Environment | Default | `.diffsmith.toml` | What it does |\n"
              "|---|---|---|---|---|---|\n";
  for (const OptionSpec& o : options) {
    std::string flag = o.config_only ? "(none)" : "`--" + std::string(o.name) + "`";
    if (*o.short_name) flag = code(o.short_name) + ", " + flag;
    if (o.negatable) flag += ", `--no-" + std::string(o.name) + "`";
    std::string value = o.flag ? "true/false" : o.multi ? "list" : o.value_name ? o.value_name : "text";
    md += "| `" + std::string(o.name) + "` " + value + " | " + flag + " | " + code(setting_env_name(o.name)) +
          " | " + cell(code(o.flag && !*o.default_text ? "false" : o.default_text)) + " | " +
          (o.budget != Budget::None ? "lower only"
           : o.repo                 ? "yes"
                                    : "no") +
          " | ";
    if (run) md += o.not_in_batch ? "ignored: " + cell(o.not_in_batch) + " | " : "yes | ";
    md += cell(o.help) + " |\n";
  }
}

// The budgets, from the table: `max-turns`, `max-cost`, ...
std::string budget_names() {
  std::string names;
  for (const OptionSpec& o : all_settings())
    if (o.budget != Budget::None) names += (names.empty() ? "`" : ", `") + std::string(o.name) + "`";
  return names;
}

}  // namespace

std::string settings_markdown() {
  std::string md =
      "# Settings\n\n"
      "<!-- Generated by `diffsmith settings-doc` from agent/cli/options.cpp; a test fails when this file "
      "differs. -->\n\n"
      "Every setting has one name, and that name works in every place a setting can be given, for "
      "`run`, `batch` and `doctor` alike:\n\n"
      "| Where | Example | Beats |\n"
      "|---|---|---|\n"
      "| the command line | `--max-turns 10` | everything else |\n"
      "| the environment | `DIFFSMITH_MAX_TURNS=10` | the config files |\n"
      "| the repository's `.diffsmith.toml` | `max-turns = 10` | the user's config file |\n"
      "| the user's `~/.config/diffsmith/config.toml` (`$XDG_CONFIG_HOME/diffsmith/config.toml`) | "
      "`max_turns = 10` | the default |\n\n"
      "- In config files `_` and `-` are the same (`max_cost` is `max-cost`); `[sections]` may group keys "
      "and are ignored. A flag is `true` or `false` there and in the environment; a list is a TOML list "
      "(`file = [\"a.py\", \"b.py\"]`).\n"
      "- The environment variable is `DIFFSMITH_` and the name in capitals with `_` for `-`, except for the "
      "endpoint settings that keep the OpenAI SDK's names (`OPENAI_BASE_URL`, ...), as the table says.\n"
      "- A key that is no setting is an error naming the file, the line and the nearest name "
      "(`config.toml:3: unknown setting 'max_turn' (did you mean max-turns?)`).\n"
      "- The syntax guard's checkers: `[lint]` with `EXT = \"CMD {file}\"` (`py = \"off\"` turns one off) in "
      "the user's config only; a repository's `.diffsmith.toml` may not set them (they are commands run on "
      "every edit). README.md, \"The syntax guard\".\n"
      "- One config file serves every command: a `batch` setting in it (`workers`) does not bother `run`, "
      "and `batch` ignores run settings that make no sense per task (the `batch` column).\n"
      "- A repository is not trusted: its `.diffsmith.toml` may set only the settings marked *yes* (or "
      "*lower "
      "only*) in the `.diffsmith.toml` column (nothing that could send the key or the code elsewhere, show "
      "the key to "
      "the tests, or write outside the repository). Anything else it sets is ignored with a warning, and "
      "`doctor` lists it as refused.\n"
      "- Budgets (*lower only*: " +
      budget_names() +
      ") a repository may only tighten: its value counts only when it is lower than what applies without it "
      "(a flag, the environment, the user's config file, else the default). `0` means no limit for "
      "`max-cost` and `max-time`, so a repository's `max-cost = 0` lifts the limit and is refused. A "
      "looser value is ignored with a warning naming the file, the line and the value that applies, and "
      "the run goes on within the user's limits (an error would let any cloned repository stop the "
      "user's runs); `doctor` lists it as refused. Raise a budget with a flag, the environment or the "
      "user's config.\n"
      "- `batch` reads the `.diffsmith.toml` of the repository it is started in (or of `-C DIR`).\n"
      "- `diffsmith doctor` prints every setting with its value and where it came from (`--flag`, "
      "`env NAME`, `user config PATH:LINE`, `repo config PATH:LINE`, `default`), the test command "
      "(given, or detected and from which file), then checks the endpoint with one tiny request.\n\n"
      "## run (also taken by batch and doctor)\n\n";
  table(md, run_options(), true);
  md += "\n## Model endpoint (run, batch and doctor)\n\n";
  table(md, endpoint_options(), false);
  md += "\n## batch only\n\n";
  table(md, batch_options(), false);
  md += kMcpAndHooks;
  return md;
}

}  // namespace ds::agent
