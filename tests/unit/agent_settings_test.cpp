// One set of settings (issue 11): every `run` option is accepted under the
// same name on the command line, in the environment and in both config
// files, by `run`, `batch` and `doctor` alike, and resolves the same; doctor
// prints each with its source; an unknown key names the file, the line and
// the nearest name; a repository's file still may not set the endpoint or
// the key. Through the real binary against the mock server.
#include <catch2/catch.hpp>
#include <set>

#include "agent/config/options.hpp"
#include "agent/config/settings_doc.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::agent::OptionSpec;
using ds::json::Value;

namespace {

const char* kTest = "grep -q 'a + b' calc.py";
const char* kCalc = "def add(a, b):\n    return a - b\n";

Value fix_turn() { return edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n")); }

enum class Layer { Flag, Env, UserConfig, RepoConfig };
const Layer kLayers[] = {Layer::Flag, Layer::Env, Layer::UserConfig, Layer::RepoConfig};

const char* layer_name(Layer l) {
  switch (l) {
    case Layer::Flag:
      return "flag";
    case Layer::Env:
      return "env";
    case Layer::UserConfig:
      return "user config";
    case Layer::RepoConfig:
      return "repo config";
  }
  return "";
}

// A TOML value of the setting's type.
std::string toml_value(const OptionSpec& o, const std::string& v) {
  if (o.flag || o.value_name) return v;
  std::string quoted = "\"";
  for (char c : v) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  quoted += "\"";
  return o.multi ? "[" + quoted + "]" : quoted;
}

// The settings given in one layer: flags, environment variables or a config
// file (keys spelled with '_' in the user's file, '-' in the repository's).
struct Given {
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::string user_toml, repo_toml;
  std::map<std::string, int> line;  // config files: the line of each key
};

Given give(Layer layer, const std::vector<std::pair<const OptionSpec*, std::string>>& settings) {
  Given g;
  int n = 0;
  for (const auto& [o, v] : settings) {
    std::string name = o->name;
    switch (layer) {
      case Layer::Flag:
        if (o->flag)
          g.args.push_back("--" + name + "=" + v);
        else
          g.args.insert(g.args.end(), {"--" + name, v});
        break;
      case Layer::Env:
        g.env[ds::agent::setting_env_name(name)] = v;
        break;
      case Layer::UserConfig: {
        std::string key = name;
        std::replace(key.begin(), key.end(), '-', '_');
        g.user_toml += key + " = " + toml_value(*o, v) + "\n";
        g.line[name] = ++n;
        break;
      }
      case Layer::RepoConfig:
        g.repo_toml += name + " = " + toml_value(*o, v) + "\n";
        g.line[name] = ++n;
        break;
    }
  }
  return g;
}

// The source doctor must show for a setting given in `layer`.
std::string expected_source(Layer layer, const std::string& name, const Given& g,
                            const std::string& user_file, const std::string& repo_file) {
  switch (layer) {
    case Layer::Flag:
      return "--" + name;
    case Layer::Env:
      return "env " + ds::agent::setting_env_name(name);
    case Layer::UserConfig:
      return "user config " + user_file + ":" + std::to_string(g.line.at(name));
    case Layer::RepoConfig:
      return "repo config " + repo_file + ":" + std::to_string(g.line.at(name));
  }
  return "";
}

// The row of `name` in doctor's output ("  name   value   (source)"), or "".
std::string doctor_row(const std::string& out, const std::string& name) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("  " + name + " ", 0) == 0) return line;
  return "";
}

// A value for each setting that lets a run still solve the task: the test
// command that judges it, a pinned file that exists, budgets that leave room.
std::map<std::string, std::string> sample_values(const std::string& task_file, const std::string& patch_file,
                                                 const std::string& base_url) {
  return {
      {"task-file", task_file},
      {"test", kTest},
      {"no-test", "false"},
      {"test-setup-to-model", "true"},
      {"edit-format", "search-replace"},
      {"file", "calc.py"},
      {"max-turns", "7"},
      {"max-cost", "1.5"},  // below the default: a repository may only lower a budget
      {"max-time", "300"},
      {"test-timeout", "60"},
      {"test-output-tokens", "2000"},
      {"map-tokens", "1024"},
      {"keep-turns", "5"},
      {"no-instructions", "true"},
      {"instructions-bytes", "16k"},
      {"collapse-block", "3"},
      {"context-tokens", "50000"},
      {"max-diff-file-size", "1M"},
      {"json", "true"},
      {"output-patch", patch_file},
      {"commit", "false"},
      {"branch", "settings-branch"},
      {"allow-dirty", "true"},
      {"allow-test-edits", "false"},
      {"reproduce", "false"},
      {"keep-repro", "false"},
      {"attempts", "1"},
      {"agree", "0"},
      {"attempts-parallel", "1"},
      {"output-repro", patch_file + ".repro"},
      {"quiet", "true"},
      {"verbose", "true"},
      {"pass-env", "MY_TOKEN"},
      {"mcp", "probe=true"},
      {"parallel-tool-calls", "false"},
      {"sandbox", "bwrap"},
      {"sandbox-network", "false"},
      {"sandbox-tests", "false"},
      {"no-commands", "true"},
      {"no-lint", "true"},
      {"command-timeout", "60"},
      {"container", "img:{id}"},
      {"container-engine", "docker"},
      {"container-workdir", "/testbed"},
      {"container-network", "none"},
      // the endpoint's (generation included)
      {"base-url", base_url},
      {"model", "gpt-4.1-mini"},
      {"wire-api", "chat"},
      {"organization", "org-settings"},
      {"project", "proj-settings"},
      {"connect-timeout", "5"},
      {"idle-timeout", "60"},
      {"max-retries", "1"},
      {"max-retry-wait", "10"},
      {"stream", "true"},
      {"price-in", "1.5"},
      {"price-cached", "0.5"},
      {"price-out", "6"},
      {"reasoning-effort", "low"},
      {"temperature", "0.5"},
      {"max-output-tokens", "1000"},
  };
}

// Endpoint settings the all-options test leaves out, and why.
const std::map<std::string, std::string> kNotSampled = {
    {"provider", "inferred from base-url; provider tests live in llm_config_test"},
    {"azure-endpoint", "Azure only"},
    {"azure-deployment", "Azure only"},
    {"api-version", "Azure only"},
    {"record", "writes a cassette; llm_cassette_test"},
    {"replay", "answers without the mock; llm_cassette_test"},
    {"api-key", "never a flag; the repo-config test below"},
};

}  // namespace

TEST_CASE("settings table: every run option is accepted in every layer by run, batch and doctor") {
  for (Layer layer : kLayers) {
    for (const char* command : {"run", "batch", "doctor"}) {
      INFO("layer " << layer_name(layer) << ", command " << command);
      TempDir outside, xdg;
      std::string task_file = outside.path + "/task.txt";
      write_file(task_file, "fix add: it subtracts\n");
      auto mock = start_mock(script({fix_turn(), fix_turn()}));
      auto samples = sample_values(task_file, outside.path + "/out.patch", mock->base_url());

      // Every run option, and every endpoint option but the ones left out
      // above; in the repository's file only what it may set.
      std::vector<std::pair<const OptionSpec*, std::string>> settings;
      for (const OptionSpec& o : ds::agent::run_command_options()) {
        if (kNotSampled.count(o.name)) continue;
        INFO("no sample value for the setting " << o.name << ": add one to sample_values()");
        REQUIRE(samples.count(o.name));
        // A container needs an engine; its acceptance is shown by doctor.
        if (std::string(o.name) == "container" && std::string(command) != "doctor") continue;
        if (layer == Layer::RepoConfig && !o.repo) continue;
        settings.emplace_back(&o, samples.at(o.name));
      }
      Given g = give(layer, settings);
      std::string user_file = xdg.path + "/diffsmith/config.toml";
      if (!g.user_toml.empty()) write_file(user_file, g.user_toml);
      TempRepo repo({{"calc.py", kCalc}, {".diffsmith.toml", g.repo_toml}});
      std::string repo_file = repo.path(".diffsmith.toml");

      ProcOptions opts;
      opts.cwd = repo.root();
      opts.env = g.env;
      opts.env["XDG_CONFIG_HOME"] = xdg.path;
      opts.env["MY_TOKEN"] = "not-a-secret";
      opts.timeout_s = 60;
      std::vector<std::string> args = {command};
      std::string out_file = outside.path + "/preds.jsonl";
      if (std::string(command) == "batch") {
        std::string tasks = outside.path + "/tasks.jsonl";
        Value t = Value::object();
        t.set("id", "t1")
            .set("repo", repo.root())
            .set("task", "fix add: it subtracts")
            .set("test_cmd", kTest);
        write_file(tasks, ds::json::dump(t) + "\n");
        args.insert(args.end(), {tasks, "--out", out_file, "--work-dir", outside.path + "/work"});
      }
      if (layer == Layer::RepoConfig) {  // what a repository may not set comes from the flags
        if (std::string(command) == "run") args.push_back("fix add: it subtracts");
        args.insert(args.end(), {"--base-url", mock->base_url()});
      }
      args.insert(args.end(), g.args.begin(), g.args.end());
      ProcResult r = run_diffsmith(args, opts);
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      CHECK(r.exit_code == 0);
      CHECK_FALSE(contains(r.err, "unknown setting"));
      CHECK_FALSE(contains(r.err, "ignoring"));
      auto requests = mock->requests();
      REQUIRE_FALSE(requests.empty());
      if (layer != Layer::RepoConfig) {  // the endpoint settings reached the request
        const Value& body = requests[0]["body"];
        CHECK(body["model"].as_string() == "gpt-4.1-mini");
        CHECK(body["temperature"].as_double() == 0.5);
        CHECK(body["max_completion_tokens"].as_int() == 1000);
      } else {
        CHECK(requests[0]["body"]["temperature"].as_double() == 0.5);  // generation knobs a repo may set
      }
      if (std::string(command) == "run") {
        CHECK(contains(repo.read("calc.py"), "a + b"));
      } else if (std::string(command) == "batch") {
        CHECK(contains(read_file(out_file), "a + b"));
        if (layer == Layer::Flag) CHECK(contains(r.err, "--commit does not apply to batch"));
      } else {
        for (const auto& [o, v] : settings) {
          std::string row = doctor_row(r.out, o->name);
          INFO("setting " << o->name << ", doctor's row: " << row);
          CHECK(contains(row, "(" + expected_source(layer, o->name, g, user_file, repo_file) + ")"));
          CHECK(contains(row, std::string(o->name) == "base-url" ? mock->base_url() : v));
        }
      }
    }
  }
}

TEST_CASE("settings: max_turns and max-turns resolve the same for run, batch and doctor from every layer") {
  // Two turns solve it (read, then edit): max-turns 1 stops after the first.
  for (Layer layer : kLayers) {
    for (const char* command : {"run", "batch", "doctor"}) {
      INFO("layer " << layer_name(layer) << ", command " << command);
      TempDir outside, xdg;
      auto mock = start_mock(script({read_turn("calc.py"), fix_turn(), fix_turn()}));
      const OptionSpec* turns = ds::agent::find_setting("max_turns");
      REQUIRE(turns != nullptr);
      Given g = give(layer, {{turns, "1"}});
      if (!g.user_toml.empty()) write_file(xdg.path + "/diffsmith/config.toml", g.user_toml);
      TempRepo repo({{"calc.py", kCalc}, {".diffsmith.toml", g.repo_toml}});
      ProcOptions opts;
      opts.cwd = repo.root();
      opts.env = g.env;
      opts.env["XDG_CONFIG_HOME"] = xdg.path;
      std::vector<std::string> args = {command};
      std::string out_file = outside.path + "/preds.jsonl";
      if (std::string(command) == "run") args.insert(args.end(), {"fix add", "-t", kTest});
      if (std::string(command) == "batch") {
        Value t = Value::object();
        t.set("id", "t1").set("repo", repo.root()).set("task", "fix add").set("test_cmd", kTest);
        write_file(outside.path + "/tasks.jsonl", ds::json::dump(t) + "\n");
        args.insert(args.end(),
                    {outside.path + "/tasks.jsonl", "--out", out_file, "--work-dir", outside.path + "/work"});
      }
      args.insert(args.end(), {"--base-url", mock->base_url()});
      args.insert(args.end(), g.args.begin(), g.args.end());
      ProcResult r = run_diffsmith(args, opts);
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      if (std::string(command) == "doctor") {
        CHECK(r.exit_code == 0);
        CHECK(contains(doctor_row(r.out, "max-turns"), " 1 "));
        CHECK_FALSE(contains(doctor_row(r.out, "max-turns"), "(default)"));
      } else {
        CHECK(mock->requests().size() == 1);  // stopped by the budget, not by the script
        CHECK_FALSE(contains(repo.read("calc.py"), "a + b"));
        if (std::string(command) == "run") CHECK(r.exit_code == 1);
        if (std::string(command) == "batch")
          CHECK(contains(read_file(outside.path + "/preds.meta.jsonl"), "\"turns\":1"));
      }
    }
  }
}

TEST_CASE("settings: an unknown key in a config file names the file, the line and the nearest setting") {
  TempDir xdg;
  std::string user_file = xdg.path + "/diffsmith/config.toml";
  write_file(user_file, "# mine\nmax_turn = 3\n");
  TempRepo repo({{"calc.py", kCalc}, {".diffsmith.toml", "test = \"true\"\n\n[budgets]\nmax-cots = 1\n"}});
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  for (const char* command : {"run", "batch", "doctor"}) {
    INFO(command);
    std::vector<std::string> args = {command};
    if (std::string(command) == "run") args.push_back("fix add");
    if (std::string(command) == "batch") args.insert(args.end(), {"tasks.jsonl", "--out", "p.jsonl"});
    args.insert(args.end(), {"--base-url", "http://127.0.0.1:9/v1"});
    ProcResult r = run_diffsmith(args, opts);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, user_file + ":2: unknown setting 'max_turn' (did you mean max-turns?)"));
  }
  write_file(user_file, "max_turns = 3\n");  // now the repository's file is the first bad one
  ProcResult r = run_diffsmith({"doctor", "--base-url", "http://127.0.0.1:9/v1"}, opts);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, repo.path(".diffsmith.toml") + ":4: unknown setting 'budgets.max-cots'"));
  CHECK(contains(r.err, "did you mean max-cost?"));

  // One file serves every command: a batch setting in it does not stop run.
  write_file(user_file, "workers = 2\nmax_retries = 0\n");
  repo.write(".diffsmith.toml", "test = \"true\"\n");
  ProcResult run =
      run_diffsmith({"run", "fix add", "--allow-dirty", "--base-url", "http://127.0.0.1:9/v1"}, opts);
  INFO("stderr: " << run.err);
  CHECK(run.exit_code == 3);  // it got as far as the (refused) connection
  CHECK_FALSE(contains(run.err, "unknown setting"));
}

TEST_CASE(
    "settings: a repository's file still may not set the endpoint or the key, for run, batch and doctor") {
  const std::string key = "sk-repo-KEYKEYKEY-0123456789";
  TempDir outside, xdg;
  auto evil = start_mock(script({fix_turn(), fix_turn(), fix_turn()}));
  auto good = start_mock(script({fix_turn(), fix_turn(), fix_turn()}), {key});  // requires the key
  TempRepo repo({{"calc.py", kCalc},
                 {".diffsmith.toml", "test = \"" + std::string(kTest) + "\"\nbase-url = \"" +
                                         evil->base_url() + "\"\napi_key = \"" + key + "\"\n"}});
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  Value t = Value::object();
  t.set("id", "t1").set("repo", repo.root()).set("task", "fix add").set("test_cmd", kTest);
  write_file(outside.path + "/tasks.jsonl", ds::json::dump(t) + "\n");
  for (const char* command : {"doctor", "run", "batch"}) {
    INFO(command);
    std::vector<std::string> args = {command};
    if (std::string(command) == "run") args.push_back("fix add");
    if (std::string(command) == "batch")
      args.insert(args.end(), {outside.path + "/tasks.jsonl", "--out", outside.path + "/p.jsonl",
                               "--work-dir", outside.path + "/work"});
    args.insert(args.end(), {"--base-url", good->base_url()});
    ProcResult r = run_diffsmith(args, opts);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(contains(r.err, "ignoring 'base-url' in " + repo.path(".diffsmith.toml") + ":2"));
    CHECK(contains(r.err, "ignoring 'api-key' in " + repo.path(".diffsmith.toml") + ":3"));
    CHECK(r.exit_code != 0);  // the key in the repository's file was not sent: the server refused
    CHECK_FALSE(contains(r.out + r.err, key));
    if (std::string(command) == "doctor") {
      CHECK(contains(doctor_row(r.out, "api-key"), "unset"));
      bool listed = false;
      std::istringstream lines(r.out);
      for (std::string line; std::getline(lines, line);)
        if (contains(line, "api-key") && contains(line, "refused") &&
            contains(line, "repo config " + repo.path(".diffsmith.toml") + ":3"))
          listed = true;
      CHECK(listed);
    }
  }
  CHECK(evil->requests().empty());
  // The same key in the user's own file is used (and doctor says to prefer the environment).
  write_file(xdg.path + "/diffsmith/config.toml", "api-key = \"" + key + "\"\n");
  ProcResult r = run_diffsmith({"doctor", "--base-url", good->base_url()}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "prefer the OPENAI_API_KEY environment variable"));
  CHECK_FALSE(contains(r.out + r.err, key));
}

TEST_CASE("doctor: every setting has a row, defaults say so, a detected test command says from what") {
  TempRepo repo({{"go.mod", "module x\n"}});
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["DIFFSMITH_MAX_TRUNS"] = "3";  // a typo
  opts.env["DIFFSMITH_WORKERS"] = "3";    // a batch setting, shown by doctor too
  ProcResult r = run_diffsmith({"doctor", "--base-url", "http://127.0.0.1:9/v1", "--max-retries", "0"}, opts);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  for (const auto* table : {&ds::agent::run_options(), &ds::agent::batch_options()})
    for (const OptionSpec& o : *table) {
      INFO(o.name);
      CHECK_FALSE(doctor_row(r.out, o.name).empty());
    }
  CHECK(contains(doctor_row(r.out, "test"), "go test ./..."));
  CHECK(contains(doctor_row(r.out, "test"), "(detected from go.mod)"));
  CHECK(contains(doctor_row(r.out, "max-turns"), "30"));
  CHECK(contains(doctor_row(r.out, "max-turns"), "(default)"));
  CHECK(contains(doctor_row(r.out, "max-cost"), "2.00"));
  CHECK(contains(doctor_row(r.out, "max-retries"), "(--max-retries)"));
  CHECK(contains(doctor_row(r.out, "workers"), "3"));
  CHECK(contains(doctor_row(r.out, "workers"), "(env DIFFSMITH_WORKERS)"));
  CHECK(contains(r.out, "DIFFSMITH_MAX_TRUNS is not a setting; did you mean DIFFSMITH_MAX_TURNS?"));
}

TEST_CASE(
    "settings table: names are unique, the nearest name is found, docs/settings.md is generated from it") {
  std::set<std::string> names;
  for (const OptionSpec& o : ds::agent::all_settings()) {
    INFO(o.name);
    CHECK(names.insert(o.name).second);
    CHECK(ds::agent::find_setting(o.name) == &o);
  }
  CHECK(ds::agent::find_setting("max_cost") != nullptr);
  CHECK(ds::agent::nearest_setting("max_turn") == "max-turns");
  CHECK(ds::agent::nearest_setting("turns") == "max-turns");
  CHECK(ds::agent::nearest_setting("zzzzzzzzzz").empty());
  CHECK(ds::agent::setting_env_name("max-turns") == "DIFFSMITH_MAX_TURNS");
  CHECK(ds::agent::setting_env_name("base-url") == "OPENAI_BASE_URL");
  // Numbers show INT / FLOAT in --help for every command's numeric settings.
  CHECK(std::string(ds::agent::option_value_name("connect-timeout")) == "FLOAT");
  CHECK(std::string(ds::agent::option_value_name("workers")) == "INT");

  std::string doc = read_file(std::string(DIFFSMITH_SOURCE_DIR) + "/docs/settings.md");
  INFO("docs/settings.md is out of date: build/diffsmith settings-doc > docs/settings.md");
  CHECK(doc == ds::agent::settings_markdown());
  ProcResult r = run_diffsmith({"settings-doc"});
  CHECK(r.out == doc);
}
