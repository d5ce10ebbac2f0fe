// Token prices and cost: one table (GPT-4.1, GPT-4o, o3, o4-mini, GPT-5
// families; USD per 1M tokens), user overrides, per-turn cost with cached input discounted, and a cumulative
// tracker. An unknown model has an unknown cost, said so, never guessed.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "llm/types.hpp"

namespace ds::llm {

struct Price {  // USD per 1M tokens
  double input = 0;
  double cached_input = 0;
  double output = 0;
};

// --price-in / --price-cached / --price-out.
struct PriceOverrides {
  std::optional<double> input, cached_input, output;
};

// The table's price for `model`. Dated snapshots ("gpt-4o-2024-08-06") and
// provider prefixes ("openai/gpt-4.1") map to their family, the longest that
// fits ("gpt-4o-mini-2024-07-18" is gpt-4o-mini); other suffixes are other
// models ("o3-mini", "gpt-5-pro"): nullopt.
std::optional<Price> table_price(std::string_view model);

// The table price with any overrides applied. A model outside the table gets a
// price only when both input and output are overridden (cached defaults to
// the input price then).
std::optional<Price> price_for(std::string_view model, const PriceOverrides& overrides);

struct Cost {
  std::optional<double> usd;  // nullopt = unknown
};

// (prompt - cached) * input + cached * cached_input + completion * output.
Cost cost_of(const Usage& usage, const std::optional<Price>& price);

// "cost unknown for model X; set --price-in/--price-out (USD per 1M tokens)".
std::string cost_unknown_note(std::string_view model);

// "$0.001234": six decimals under a dollar, four above.
std::string format_usd(double usd);

// Usage and cost summed over turns; thread-safe (batch workers may share one).
class CostTracker {
 public:
  explicit CostTracker(PriceOverrides overrides = {}) : overrides_(overrides) {}

  // Adds a turn; returns its cost (unknown when the model has no price).
  Cost add(std::string_view model, const Usage& usage);

  Usage total_usage() const;
  // Unknown as soon as one turn's cost was unknown.
  Cost total_cost() const;
  // The first model without a price ("" when all were priced).
  std::string unknown_model() const;
  int turns() const;

 private:
  PriceOverrides overrides_;
  mutable std::mutex mu_;
  Usage usage_;
  double usd_ = 0;
  bool unknown_ = false;
  std::string unknown_model_;
  int turns_ = 0;
};

}  // namespace ds::llm
