// Costs (issue 22): a request whose estimated cost (its input at the input
// price, plus --max-output-tokens at the output price when set) exceeds
// what is left of --max-cost is not sent, and the run ends as a budget stop
// (exit 1) saying so; the per-turn line shows the turn's tokens and cost and
// the run's totals, labelled. The real binary against the scripted mock
// (gpt-4.1: $2 in, $8 out per 1M tokens).
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const TempRepo::Files kBroken = {{"a.txt", "hello\nbroken\n"}};
const char* kTest = "grep -q fixed a.txt";

Value read_with_usage(int64_t prompt, int64_t completion) {
  Value t = read_turn("a.txt");
  t.set("usage", Value::object().set("prompt_tokens", prompt).set("completion_tokens", completion));
  return t;
}

Value finished(const std::string& out) {
  auto events = json_lines(out);
  REQUIRE_FALSE(events.empty());
  REQUIRE(events.back()["type"].as_string() == "run_finished");
  return events.back();
}

}  // namespace

TEST_CASE("run cost e2e: --max-output-tokens at the output price over --max-cost: no request is sent") {
  TempRepo repo(kBroken);
  auto mock = start_mock(script({read_turn("a.txt")}));
  // 100000 output tokens at $8/1M = $0.80 > $0.50.
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest,
                           {"--max-cost", "0.5", "--max-output-tokens", "100000", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(mock->requests().empty());
  Value fin = finished(r.out);
  CHECK(fin["status"].as_string() == "unsolved");
  std::string reason = fin["reason"].as_string();
  CHECK(contains(reason, "cost limit: the next request would cost about $0.8"));
  CHECK(contains(reason, " + 100000 out"));
  CHECK(contains(reason, "more than the $0.5000 left of --max-cost 0.50; it was not sent"));
  CHECK(fin["turns"].as_int() == 0);

  // The same budget without the output cap: the request fits and is sent.
  auto mock2 = start_mock(script({read_turn("a.txt")}));
  ProcResult ok = run_agent(repo, *mock2, "fix a.txt", kTest, {"--max-cost", "0.5", "--max-turns", "1"});
  INFO(ok.err);
  CHECK(mock2->requests().size() == 1);
}

TEST_CASE("run cost e2e: the run stops before the request that would take it over --max-cost") {
  TempRepo repo(kBroken);
  // Turn 1 costs $0.0090 (4400 in, 25 out); the next request (some
  // thousand tokens of context at $2/1M) does not fit in the $0.0010 left.
  auto mock = start_mock(script({read_with_usage(4400, 25), read_turn("a.txt"), read_turn("a.txt")}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest, {"--max-cost", "0.01", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(mock->requests().size() == 1);
  Value fin = finished(r.out);
  CHECK(fin["status"].as_string() == "unsolved");
  CHECK(contains(fin["reason"].as_string(), "the next request would cost about"));
  CHECK(contains(fin["reason"].as_string(), "left of --max-cost 0.01; it was not sent"));
  CHECK(fin["cost_usd"].as_double() <= 0.01);
}

TEST_CASE("run cost e2e: each turn's line shows the turn's tokens and cost, then the run's totals") {
  TempRepo repo(kBroken);
  auto mock = start_mock(script({read_with_usage(1000, 10), read_with_usage(2000, 20)}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", kTest, {"--max-turns", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  // $0.00208 and $0.00416; the run $0.00624.
  CHECK(contains(r.err, "turn 1/2: 1.0k in / 10 out, $0.0021 · run: 1.0k in / 10 out, $0.0021 · "));
  CHECK(contains(r.err, "turn 2/2: 2.0k in / 20 out, $0.0042 · run: 3.0k in / 30 out, $0.0062 · "));
}
