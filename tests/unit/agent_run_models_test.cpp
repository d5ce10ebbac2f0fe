// End-to-end `diffsmith run` with the model settings of issues 10 and 11:
// generation options reach the wire per model family (a reasoning model on
// the Responses API gets its effort, no temperature, and its reasoning items
// back on the next turn), prices from the user's config file, a missing key
// reported before the repository checks, and --help that names value types.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTask = "fix a.txt";
const char* kTest = "grep -q fixed a.txt";

const Value& finished_event(const std::vector<Value>& events) {
  REQUIRE_FALSE(events.empty());
  REQUIRE(events.back()["type"].as_string() == "run_finished");
  return events.back();
}

bool has_notice(const std::vector<Value>& events, const std::string& text) {
  for (const auto& e : events)
    if (e["type"].as_string() == "notice" && contains(e["message"].as_string(), text)) return true;
  return false;
}

}  // namespace

TEST_CASE("run e2e: a reasoning model on Responses gets its effort, no temperature, and its reasoning back") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  Value read = read_turn("a.txt");
  read.set("reasoning",
           Value::array().push(Value::object().set("id", "rs_1").set("encrypted_content", "ENC-1")));
  Value edit = edit_turn(sr_block("a.txt", "broken\n", "fixed\n"));
  auto mock = start_mock(script({read, edit}));

  ProcResult r = run_agent(repo, *mock, kTask, kTest,
                           {"--wire-api", "responses", "--model", "gpt-5-mini", "--reasoning-effort", "low",
                            "--temperature", "0.5", "--max-output-tokens", "8000", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  std::vector<Value> events = json_lines(r.out);
  CHECK(has_notice(events, "temperature is not sent: gpt-5-mini is a reasoning model"));

  auto log = mock->requests();
  REQUIRE(log.size() == 2);
  const Value& first = log[0]["body"];
  CHECK(first["reasoning"]["effort"].as_string() == "low");
  CHECK(first["max_output_tokens"].as_int() == 8000);
  CHECK_FALSE(first.has("temperature"));
  CHECK(first["include"].at(0).as_string() == "reasoning.encrypted_content");
  // The second request carries the first turn's reasoning item, unchanged,
  // right before the function call it led to.
  const auto& input = log[1]["body"]["input"].items();
  size_t at = input.size();
  for (size_t i = 0; i < input.size(); ++i)
    if (input[i]["type"].as_string() == "reasoning") at = i;
  REQUIRE(at + 1 < input.size());
  CHECK(input[at]["encrypted_content"].as_string() == "ENC-1");
  CHECK(input[at + 1]["type"].as_string() == "function_call");
}

TEST_CASE(
    "run e2e: temperature from the user's config reaches a non-reasoning model; its effort is not sent") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", "temperature = 0.25\nreasoning-effort = \"high\"\n");
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--model", "gpt-4.1", "--json"}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(has_notice(json_lines(r.out), "reasoning-effort is not sent: gpt-4.1 is not a reasoning model"));
  auto log = mock->requests();
  REQUIRE(log.size() == 1);
  CHECK(log[0]["body"]["temperature"].as_double() == 0.25);
  CHECK_FALSE(log[0]["body"].has("reasoning_effort"));
}

TEST_CASE("run e2e: prices in the user's config file price a model the table does not know") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", "price-in = 1.0\nprice-out = 3.0\n");
  Value edit = edit_turn(sr_block("a.txt", "broken\n", "fixed\n"));
  edit.set("usage", Value::object().set("prompt_tokens", 1000000).set("completion_tokens", 1000000));
  auto mock = start_mock(script({edit}));
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--model", "qwen2.5-coder", "--json"}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  const Value& fin = finished_event(lines);
  REQUIRE(fin["cost_usd"].is_number());
  CHECK(fin["cost_usd"].as_double() == Approx(4.0));  // 1M in at $1 + 1M out at $3
}

TEST_CASE("run e2e: a dated snapshot is priced as its family") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  Value edit = edit_turn(sr_block("a.txt", "broken\n", "fixed\n"));
  edit.set("usage", Value::object().set("prompt_tokens", 1000000).set("completion_tokens", 1000000));
  auto mock = start_mock(script({edit}));
  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--model", "gpt-4o-mini-2024-07-18", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  const Value& fin = finished_event(lines);
  REQUIRE(fin["cost_usd"].is_number());
  CHECK(fin["cost_usd"].as_double() == Approx(0.15 + 0.60));
}

TEST_CASE("run e2e: a missing API key is reported before the work tree is looked at (issue 11)") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  repo.write("a.txt", "uncommitted\n");  // a dirty tree would be exit 4
  ProcOptions opts;
  opts.cwd = repo.root();
  ProcResult r =
      run_diffsmith({"run", kTask, "-t", kTest, "--base-url", "https://api.example.invalid/v1"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "no API key"));
  CHECK(contains(r.err, "OPENAI_API_KEY"));
  CHECK_FALSE(contains(r.err, "uncommitted changes"));
  CHECK(repo.read("a.txt") == "uncommitted\n");
}

TEST_CASE("run e2e: a wrong --base-url fails after two quick retries with exit 3 (issue 11)") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock("[]");
  std::string dead = mock->base_url();
  mock->stop();  // nothing listens on that port now
  ProcOptions opts;
  opts.cwd = repo.root();
  ProcResult r = run_diffsmith({"run", kTask, "-t", kTest, "--base-url", dead, "--json"}, opts);
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  CHECK(r.exit_code == 3);
  std::vector<Value> events = json_lines(r.out);
  int retries = 0;
  for (const auto& e : events)
    if (e["type"].as_string() == "notice" && contains(e["message"].as_string(), "retrying in")) ++retries;
  CHECK(retries == 2);
  CHECK(contains(r.out + r.err, "3 attempts"));
  CHECK(contains(r.out + r.err, "check --base-url"));
}

TEST_CASE("help: numeric options show INT / FLOAT, and usage names diffsmith, not the binary's path") {
  for (const char* cmd : {"run", "batch", "doctor"}) {
    INFO(cmd);
    ProcResult r = run_diffsmith({cmd, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, std::string("Usage: diffsmith ") + cmd));
    CHECK_FALSE(contains(r.out, DIFFSMITH_BINARY));
    CHECK(contains(r.out, "--max-retries INT"));
    CHECK(contains(r.out, "--connect-timeout FLOAT"));
    CHECK(contains(r.out, "--temperature FLOAT"));
    CHECK(contains(r.out, "--max-output-tokens INT"));
    CHECK(contains(r.out, "--reasoning-effort"));
  }
  ProcResult run = run_diffsmith({"run", "--help"});
  CHECK(contains(run.out, "--max-turns INT"));
  CHECK(contains(run.out, "--max-cost FLOAT"));
  CHECK(contains(run.out, "--model TEXT"));
  ProcResult batch = run_diffsmith({"batch", "--help"});
  CHECK(contains(batch.out, "--workers INT"));
  CHECK(contains(batch.out, "--max-cost-total FLOAT"));
}

TEST_CASE("doctor e2e: generation settings are listed with sources, noted, and sent per model family") {
  auto mock = start_mock(R"([{"text": "ok"}, {"text": "ok"}])");
  // --no-test: doctor would try the test command it detects here (this project's own ctest).
  ProcResult o3 = run_diffsmith({"doctor", "--no-test", "--base-url", mock->base_url(), "--model", "o3",
                                 "--temperature", "0.5", "--reasoning-effort", "high"});
  INFO("stdout: " << o3.out << "\nstderr: " << o3.err);
  CHECK(o3.exit_code == 0);
  CHECK(contains(o3.out, "reasoning-effort"));
  CHECK(contains(o3.out, "(--reasoning-effort)"));
  CHECK(contains(o3.out, "note: temperature is not sent: o3 is a reasoning model"));
  ProcResult g41 = run_diffsmith(
      {"doctor", "--no-test", "--base-url", mock->base_url(), "--model", "gpt-4.1", "--temperature", "0.5"});
  CHECK(g41.exit_code == 0);
  auto log = mock->requests();
  REQUIRE(log.size() == 2);
  CHECK(log[0]["body"]["reasoning_effort"].as_string() == "high");
  CHECK(log[0]["body"]["max_completion_tokens"].as_int() == 1024);  // room to reason before "ok"
  CHECK_FALSE(log[0]["body"].has("temperature"));
  CHECK(log[1]["body"]["temperature"].as_double() == 0.5);
  CHECK(log[1]["body"]["max_completion_tokens"].as_int() == 16);
}
