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

// openai-api.md, per 1M tokens: input / cached input / output.
constexpr TableRow kPrices[] = {
    {"gpt-4.1", {2.00, 0.50, 8.00}},
    {"gpt-4.1-mini", {0.40, 0.10, 1.60}},
    {"gpt-4.1-nano", {0.10, 0.025, 0.40}},
};

// "-YYYY-MM-DD" at the end of a model name.
bool has_date_suffix(std::string_view m) {
  if (m.size() < 11) return false;
  std::string_view tail = m.substr(m.size() - 11);
  for (size_t i = 0; i < tail.size(); ++i) {
    bool dash = i == 0 || i == 5 || i == 8;
    if (dash ? tail[i] != '-' : !std::isdigit(static_cast<unsigned char>(tail[i]))) return false;
  }
  return true;
}

std::string_view base_model(std::string_view m) {
  if (size_t slash = m.rfind('/'); slash != std::string_view::npos) m.remove_prefix(slash + 1);
  if (has_date_suffix(m)) m.remove_suffix(11);
  return m;
}

}  // namespace

std::optional<Price> table_price(std::string_view model) {
  std::string_view base = base_model(model);
  for (const TableRow& row : kPrices) {
    if (base == row.model) return row.price;
  }
  return std::nullopt;
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
