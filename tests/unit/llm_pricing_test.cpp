// Prices and cost: the table, dated snapshots, overrides, unknown models, and
// the cumulative tracker with cached tokens discounted.
#include <catch2/catch.hpp>

#include "llm/pricing.hpp"

using namespace ds::llm;

TEST_CASE("pricing: table and dated snapshots") {
  auto p = table_price("gpt-4.1");
  REQUIRE(p);
  CHECK(p->input == 2.00);
  CHECK(p->cached_input == 0.50);
  CHECK(p->output == 8.00);
  REQUIRE(table_price("gpt-4.1-2025-04-14"));
  CHECK(table_price("gpt-4.1-2025-04-14")->output == 8.00);
  REQUIRE(table_price("gpt-4.1-mini-2025-04-14"));
  CHECK(table_price("gpt-4.1-mini-2025-04-14")->input == 0.40);
  CHECK(table_price("gpt-4.1-nano")->cached_input == 0.025);
  CHECK(table_price("openai/gpt-4.1-mini")->output == 1.60);
  CHECK_FALSE(table_price("gpt-4.1-turbo"));
  CHECK_FALSE(table_price("llama3"));
}

TEST_CASE("pricing: the families in use, and snapshots map to the longest family that fits") {
  struct Row {
    const char* model;
    double in, cached, out;
  };
  const Row rows[] = {
      {"gpt-4o", 2.50, 1.25, 10.00},
      {"gpt-4o-2024-08-06", 2.50, 1.25, 10.00},
      {"gpt-4o-mini", 0.15, 0.075, 0.60},
      {"gpt-4o-mini-2024-07-18", 0.15, 0.075, 0.60},
      {"o3", 2.00, 0.50, 8.00},
      {"o3-2025-04-16", 2.00, 0.50, 8.00},
      {"o4-mini", 1.10, 0.275, 4.40},
      {"o4-mini-2025-04-16", 1.10, 0.275, 4.40},
      {"gpt-5", 1.25, 0.125, 10.00},
      {"gpt-5-2025-08-07", 1.25, 0.125, 10.00},
      {"gpt-5-mini", 0.25, 0.025, 2.00},
      {"gpt-5-mini-2025-08-07", 0.25, 0.025, 2.00},
      {"gpt-5-nano", 0.05, 0.005, 0.40},
      {"openai/gpt-5-nano", 0.05, 0.005, 0.40},
      {"gpt-4.1-nano-2025-04-14", 0.10, 0.025, 0.40},
  };
  for (const Row& r : rows) {
    INFO(r.model);
    auto p = table_price(r.model);
    REQUIRE(p);
    CHECK(p->input == r.in);
    CHECK(p->cached_input == r.cached);
    CHECK(p->output == r.out);
  }
  // Other suffixes are other models with other prices: unknown, not guessed
  // from the family they start with.
  for (const char* other : {"o3-mini", "o3-pro", "gpt-5-pro", "gpt-4o-audio-preview", "gpt-4o-2024",
                            "gpt-5-mini-latest", "o1", "gpt-4", "gpt-4o-mini-2024-07-1x"}) {
    INFO(other);
    CHECK_FALSE(table_price(other));
  }
}

TEST_CASE("pricing: overrides change single fields, an unknown model needs in and out") {
  PriceOverrides o;
  o.output = 10.0;
  auto p = price_for("gpt-4.1", o);
  REQUIRE(p);
  CHECK(p->input == 2.00);
  CHECK(p->output == 10.0);

  CHECK_FALSE(price_for("qwen2.5-coder", o));
  o.input = 0.2;
  auto q = price_for("qwen2.5-coder", o);
  REQUIRE(q);
  CHECK(q->cached_input == 0.2);  // no discount unless told
  o.cached_input = 0.05;
  CHECK(price_for("qwen2.5-coder", o)->cached_input == 0.05);
}

TEST_CASE("pricing: cost counts cached input at the cached price") {
  Usage u;
  u.prompt_tokens = 2048;
  u.cached_tokens = 1920;
  u.completion_tokens = 21;
  Cost c = cost_of(u, table_price("gpt-4.1"));
  REQUIRE(c.usd);
  // 128 * 2.00 + 1920 * 0.50 + 21 * 8.00 per 1M.
  CHECK(*c.usd == Approx((128 * 2.00 + 1920 * 0.50 + 21 * 8.00) / 1e6));
  CHECK_FALSE(cost_of(u, std::nullopt).usd);
  CHECK(format_usd(*c.usd) == "$0.001384");
  CHECK(cost_unknown_note("llama3") ==
        "cost unknown for model llama3; set --price-in/--price-out (USD per 1M tokens)");
}

TEST_CASE("pricing: the tracker sums usage and cost, and says when a model is unknown") {
  CostTracker t;
  Usage u{1000000, 0, 1000000};
  CHECK(*t.add("gpt-4.1-mini", u).usd == Approx(2.0));
  CHECK(*t.add("gpt-4.1-nano-2025-04-14", u).usd == Approx(0.5));
  CHECK(*t.total_cost().usd == Approx(2.5));
  CHECK(t.total_usage().prompt_tokens == 2000000);
  CHECK(t.unknown_model().empty());
  CHECK_FALSE(t.add("mystery-model", u).usd);
  CHECK_FALSE(t.total_cost().usd);
  CHECK(t.unknown_model() == "mystery-model");
  CHECK(t.turns() == 3);
}
