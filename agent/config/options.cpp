// The settings table of run, batch and doctor (one list per command group).
#include "agent/config/options.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "llm/config.hpp"
#include "text/edit_distance.hpp"

namespace ds::agent {
namespace {

constexpr OptionSpec opt(const char* name, const char* help, const char* default_text = "") {
  return OptionSpec{name, "", help, default_text};
}

constexpr const char* kNotPerTask = "each task brings its own";
constexpr const char* kPredictions = "batch writes predictions to --out and changes no branch";

std::string dashed(std::string_view name) {
  std::string key(name);
  std::replace(key.begin(), key.end(), '_', '-');
  return key;
}

}  // namespace

const std::vector<OptionSpec>& run_options() {
  static const std::vector<OptionSpec> kOptions = {
      opt("task-file", "Read the task text from this file").batch_ignores(kNotPerTask),
      opt("test",
          "Test command, run with /bin/sh -c in the repository root (default: detected from the repository); "
          "{related_tests}: the test files related to the files edited so far")
          .short_opt("-t")
          .repo_may_set(),
      opt("no-test", "Run without tests: the model's finish with a change ends the run as done")
          .is_flag()
          .batch_ignores("batch tasks are judged by their tests"),
      opt("test-setup-to-model",
          "When the first test run cannot test anything (no tests, tests that cannot be loaded, no runner), "
          "make fixing that the model's task instead of stopping before the first request")
          .is_flag()
          .batch_ignores("batch runs each task's tests as given"),
      opt("edit-format", "search-replace | patch", "search-replace").repo_may_set(),
      opt("file", "Pin a file: its whole text goes into the first message (repeatable)")
          .short_opt("-f")
          .is_list()
          .repo_may_set(),
      opt("max-turns", "Stop after this many model requests", "30").integer().repo_may_lower(),
      opt("max-cost", "Stop when the run has cost this many USD (0 = no limit)", "2.00")
          .number()
          .repo_may_lower(Budget::LowerOrNoLimit),
      opt("max-time", "Stop after this many seconds of wall time (0 = no limit)", "0")
          .integer()
          .repo_may_lower(Budget::LowerOrNoLimit),
      opt("test-timeout", "Seconds before a test run is killed (with its process group)", "600")
          .integer()
          .repo_may_lower(),
      opt("test-output-tokens", "Test output sent to the model, head and tail, in tokens", "2500")
          .integer()
          .repo_may_lower(),
      opt("map-tokens", "Repo map budget in tokens (0 disables the map)", "4096").integer().repo_may_lower(),
      opt("no-instructions",
          "Do not give the model the project instructions (AGENTS.md: the user's, then the repository's)")
          .is_flag(),
      opt("instructions-bytes",
          "Cap on the project instructions (bytes; k, M): nearer files first, the rest cut and said so",
          "32k")
          .byte_size(),
      opt("keep-turns",
          "Tool and test outputs older than this many turns are collapsed to one-line stubs, a block at a "
          "time (0 = never collapse)",
          "2")
          .integer(),
      opt("collapse-block", "Turns collapsed at once (the prompt cache misses once per block)", "6")
          .integer(),
      opt("context-tokens",
          "Collapse older outputs further while a request is estimated above this many tokens (0 = no "
          "ceiling)",
          "80000")
          .integer(),
      opt("max-diff-file-size",
          "Files larger than this (bytes; k, M, G) are named, not shown, in diffs and left out of the patch",
          "10M")
          .byte_size(),
      opt("json", "Print one JSON event per line on stdout").is_flag().batch_ignores(kPredictions),
      opt("output-patch", "Write the final diff to this file").batch_ignores(kPredictions),
      opt("commit", "Commit the final change on the current branch when solved")
          .is_flag()
          .batch_ignores(kPredictions),
      opt("branch", "Commit the final change on this new branch when solved").batch_ignores(kPredictions),
      opt("allow-test-edits",
          "Fix mode: let a change to test files alone solve the run (the task is about the tests)")
          .is_flag(),
      opt("reproduce",
          "Reproduce, fix, verify: solved only when the model's reproduction (set_reproduction) fails on the "
          "base tree and passes at the end, with no regression; else unverified")
          .is_flag(),
      opt("keep-repro", "With --reproduce: keep the reproduction's files in the final patch").is_flag(),
      opt("attempts",
          "Best of N: this many independent attempts, each in a scratch work tree and verified; only the "
          "chosen "
          "change reaches the work tree",
          "1")
          .integer(),
      opt("agree",
          "With --attempts: stop once this many verified attempts made the same change (0 = run all)", "0")
          .integer(),
      opt("attempts-parallel", "With --attempts: run this many attempts at once", "1").integer(),
      opt("output-repro",
          "Write the patch that creates the reproduction's files here (empty without a reproduction)")
          .batch_ignores(kPredictions),
      opt("allow-dirty", "Run on a work tree with uncommitted changes (they are kept)")
          .is_flag()
          .batch_ignores("batch checks out each task itself"),
      opt("quiet", "Show only edited files, test results, warnings and the final summary")
          .short_opt("-q")
          .is_flag(),
      opt("verbose", "Show the whole output of failing test runs (default: the last 15 lines)")
          .short_opt("-v")
          .is_flag(),
      opt("mcp",
          "Start this MCP server for the run: NAME=COMMAND (run with /bin/sh -c) or NAME=URL (streamable "
          "HTTP); its tools are offered as NAME__tool (repeatable; servers in the user's config: "
          "[mcp.servers.NAME])")
          .is_list()
          .batch_ignores("batch tasks run without MCP servers"),
      opt("pass-env", "Let the test command see this key-like env variable (repeatable)").is_list(),
      opt("parallel-tool-calls", "Allow parallel tool calls (true|false; server default if unset)")
          .repo_may_set(),
      opt("sandbox", "Where the model's commands run: bwrap | off (off: unsandboxed, at your own risk)",
          "bwrap"),
      opt("sandbox-network", "Let sandboxed commands use the network").is_flag(),
      opt("sandbox-tests",
          "Run the test command in the same sandbox as the model's commands (--no-sandbox-tests: without it)",
          "true")
          .is_flag()
          .with_no(),
      opt("no-commands", "Never offer the model the run_command tool").is_flag(),
      opt("no-lint",
          "Write edits without the syntax guard (which refuses an edit that leaves a file unparsable)")
          .is_flag(),
      opt("command-timeout", "Longest a run_command command may run, in seconds", "120").integer(),
      opt("container",
          "Run tests and commands in a container of this image ({id} {id_docker} {repo} {version})"),
      opt("container-engine",
          "docker | podman | PATH of the container engine (default: whichever is on PATH)"),
      opt("container-workdir", "The repository inside the container", "/testbed"),
      opt("container-network", "Network mode of the container (the engine's network option)", "none"),
  };
  return kOptions;
}

const std::vector<OptionSpec>& endpoint_options() {
  // What src/llm's table does not say: the value type and whether a
  // repository may set it (only the generation knobs: nothing that could
  // send the key or the code elsewhere).
  struct Extra {
    const char* value_name;
    bool repo;
    Budget budget = Budget::None;
  };
  static const std::map<std::string_view, Extra> kExtra = {
      {"connect-timeout", {"FLOAT", false}},
      {"idle-timeout", {"FLOAT", false}},
      {"max-retries", {"INT", false}},
      {"max-retry-wait", {"FLOAT", false}},
      {"price-in", {"FLOAT", false}},
      {"price-cached", {"FLOAT", false}},
      {"price-out", {"FLOAT", false}},
      {"temperature", {"FLOAT", true}},
      {"max-output-tokens", {"INT", true, Budget::Lower}},
      {"reasoning-effort", {nullptr, true}},
  };
  static const std::vector<OptionSpec> kOptions = [] {
    std::vector<OptionSpec> v;
    for (const auto& s : llm::endpoint_settings()) {
      OptionSpec o = opt(s.key, s.help);
      if (std::string_view(s.key) == "model") o.short_opt("-m");
      o.env = s.env;
      if (auto it = kExtra.find(s.key); it != kExtra.end()) {
        o.value_name = it->second.value_name;
        o.repo = it->second.repo;
        o.budget = it->second.budget;
      }
      v.push_back(o);
    }
    OptionSpec key = opt("api-key",
                         "API key; prefer the environment variable (a config file works but is discouraged); "
                         "never a flag")
                         .no_flag();
    key.env = "OPENAI_API_KEY";
    v.push_back(key);
    return v;
  }();
  return kOptions;
}

const std::vector<OptionSpec>& batch_options() {
  static const std::vector<OptionSpec> kOptions = {
      opt("out", "Predictions file (JSONL, appended as tasks finish; required)").short_opt("-o"),
      opt("workers", "Tasks run in parallel", "1").short_opt("-w").integer(),
      opt("shard", "Run only slice I of N (0-based, by a stable hash of the id), e.g. 0/4"),
      opt("repos-dir", "Folder of local clones or mirrors named owner__name"),
      opt("work-dir", "Folder for the clone cache, per-task checkouts and trajectories",
          "diffsmith-work beside --out"),
      opt("test-cmd",
          "Test command for tasks without test_cmd; fills in {id} {repo} {version} {related_tests}, and with "
          "--oracle-tests {tests} {fail_to_pass} {test_files} {tests_file} (docs/batch.md)",
          "detected in each checkout"),
      opt("oracle-tests",
          "Oracle run, not a SWE-bench score: apply test_patch and allow the test-id placeholders "
          "(labelled in the meta lines, trajectories and report)")
          .is_flag(),
      opt("hints", "Append hints_text to the task (not allowed for a SWE-bench score; labelled)").is_flag(),
      opt("max-cost-total", "Start no new task once all tasks together cost this many USD (0 = no limit)",
          "0")
          .number(),
      opt("redo", "Run tasks again even if --out already has their prediction").is_flag(),
      opt("model-name", "model_name_or_path written in the predictions", "diffsmith-<model>"),
      opt("report", "Write a self-contained HTML report here"),
      opt("keep-worktrees", "Keep each task's checkout under --work-dir/worktrees").is_flag(),
  };
  return kOptions;
}

const std::vector<OptionSpec>& run_command_options() {
  static const std::vector<OptionSpec> kOptions = [] {
    std::vector<OptionSpec> v = run_options();
    v.insert(v.end(), endpoint_options().begin(), endpoint_options().end());
    return v;
  }();
  return kOptions;
}

const std::vector<OptionSpec>& batch_command_options() {
  static const std::vector<OptionSpec> kOptions = [] {
    std::vector<OptionSpec> v = batch_options();
    v.insert(v.end(), run_command_options().begin(), run_command_options().end());
    return v;
  }();
  return kOptions;
}

const std::vector<OptionSpec>& all_settings() { return batch_command_options(); }

std::vector<std::string> all_setting_names() { return option_names(all_settings()); }

const OptionSpec* find_setting(std::string_view name) {
  std::string key = dashed(name);
  for (const auto& o : all_settings())
    if (key == o.name) return &o;
  return nullptr;
}

std::string nearest_setting(std::string_view name, bool strict) {
  std::string key = dashed(name);
  std::string best;
  size_t best_d = strict ? 3 : std::max<size_t>(2, key.size() / 3) + 1;
  for (const auto& o : all_settings()) {
    std::string_view n = o.name;
    size_t d = text::edit_distance(key, n);
    // A part of a longer name is close too (turns → max-turns).
    if (!strict && key.size() >= 4 && n.size() > key.size() && n.find(key) != std::string_view::npos)
      d = std::min<size_t>(d, 2);
    if (d < best_d) best_d = d, best = o.name;
  }
  return best;
}

std::vector<std::string> option_names(const std::vector<OptionSpec>& a, const std::vector<OptionSpec>& b) {
  std::vector<std::string> out;
  for (const auto& o : a) out.push_back(o.name);
  for (const auto& o : b) out.push_back(o.name);
  return out;
}

const char* option_value_name(std::string_view name) {
  const OptionSpec* o = find_setting(name);
  return o ? o->value_name : nullptr;
}

std::string setting_env_name(std::string_view name) {
  if (const OptionSpec* o = find_setting(name); o && o->env) return o->env;
  std::string out = "DIFFSMITH_";
  for (char c : name) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace ds::agent
