// The price table, model name normalisation, cost arithmetic, CostTracker.
#include "llm/pricing.hpp"

#include <cctype>
#include <cstdio>

namespace ds::llm {
namespace {

struct TableRow {
  const char* model;
  Price price;
};

// Per 1M tokens: input / cached input / output (openai-api.md for the
// GPT-4.1 family; OpenAI's price list for the others). docs/models.md shows
// the same table.
constexpr TableRow kPrices[] = {
    {"gpt-4.1", {2.00, 0.50, 8.00}},       {"gpt-4.1-mini", {0.40, 0.10, 1.60}},
    {"gpt-4.1-nano", {0.10, 0.025, 0.40}}, {"gpt-4o", {2.50, 1.25, 10.00}},
    {"gpt-4o-mini", {0.15, 0.075, 0.60}},  {"o3", {2.00, 0.50, 8.00}},
    {"o4-mini", {1.10, 0.275, 4.40}},      {"gpt-5", {1.25, 0.125, 10.00}},
    {"gpt-5-mini", {0.25, 0.025, 2.00}},   {"gpt-5-nano", {0.05, 0.005, 0.40}},
};

bool is_digits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

// A dated snapshot suffix: "-2024-08-06".
bool is_date_suffix(std::string_view s) {
  return s.size() == 11 && s[0] == '-' && s[5] == '-' && s[8] == '-' && is_digits(s.substr(1, 4)) &&
         is_digits(s.substr(6, 2)) && is_digits(s.substr(9, 2));
}

std::string_view strip_provider(std::string_view m) {
  if (size_t slash = m.rfind('/'); slash != std::string_view::npos) m.remove_prefix(slash + 1);
  return m;
}

}  // namespace

std::optional<Price> table_price(std::string_view model) {
  std::string_view name = strip_provider(model);
  // The longest family that is the whole name or the name minus a date
  // suffix: gpt-4o-mini-2024-07-18 is gpt-4o-mini, not gpt-4o. Any other
  // suffix is another model with its own price (o3-mini, o3-pro,
  // gpt-4o-audio-preview, gpt-5-pro): unknown, never guessed.
  const TableRow* best = nullptr;
  for (const TableRow& row : kPrices) {
    std::string_view family = row.model;
    if (name.substr(0, family.size()) != family) continue;
    std::string_view rest = name.substr(family.size());
    if (!rest.empty() && !is_date_suffix(rest)) continue;
    if (!best || family.size() > std::string_view(best->model).size()) best = &row;
  }
  if (!best) return std::nullopt;
  return best->price;
}

std::optional<Price> price_for(std::string_view model, const PriceOverrides& o) {
  std::optional<Price> p = table_price(model);
  if (!p) {
    if (!o.input || !o.output) return std::nullopt;
    return Price{*o.input, o.cached_input.value_or(*o.input), *o.output};
  }
  if (o.input) p->input = *o.input;
  if (o.cached_input) p->cached_input = *o.cached_input;
  if (o.output) p->output = *o.output;
  return p;
}

Cost cost_of(const Usage& u, const std::optional<Price>& price) {
  if (!price) return Cost{};
  double uncached = static_cast<double>(u.prompt_tokens - u.cached_tokens);
  double usd = (uncached * price->input + static_cast<double>(u.cached_tokens) * price->cached_input +
                static_cast<double>(u.completion_tokens) * price->output) /
               1e6;
  return Cost{usd};
}

std::string cost_unknown_note(std::string_view model) {
  return "cost unknown for model " + std::string(model) + "; set --price-in/--price-out (USD per 1M tokens)";
}

std::string format_usd(double usd) {
  char buf[48];
  std::snprintf(buf, sizeof buf, usd < 1.0 ? "$%.6f" : "$%.4f", usd);
  return buf;
}

Cost CostTracker::add(std::string_view model, const Usage& usage) {
  Cost c = cost_of(usage, price_for(model, overrides_));
  std::lock_guard<std::mutex> lock(mu_);
  usage_ += usage;
  ++turns_;
  if (c.usd) {
    usd_ += *c.usd;
  } else if (!unknown_) {
    unknown_ = true;
    unknown_model_ = std::string(model);
  }
  return c;
}

Usage CostTracker::total_usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_;
}

Cost CostTracker::total_cost() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unknown_ ? Cost{} : Cost{usd_};
}

std::string CostTracker::unknown_model() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unknown_model_;
}

int CostTracker::turns() const {
  std::lock_guard<std::mutex> lock(mu_);
  return turns_;
}

}  // namespace ds::llm
