// `diffsmith doctor`: settings with sources, one tiny request, the result.
#include "agent/cli/doctor.hpp"

#include <cstdio>
#include <iomanip>
#include <string>

#include "agent/exit_code.hpp"
#include "llm/client_factory.hpp"
#include "llm/errors.hpp"
#include "llm/generation.hpp"
#include "llm/http.hpp"
#include "llm/pricing.hpp"
#include "text/redact.hpp"

namespace ds::agent {
namespace {

void row(std::ostream& out, std::string_view name, std::string_view value, std::string_view source = {}) {
  out << "  " << std::left << std::setw(18) << name << value;
  if (!source.empty()) out << "   (" << source << ")";
  out << "\n";
}

// The reply text on one line, quoted and cut short.
std::string short_reply(const std::string& text) {
  std::string one;
  for (char c : text) one += (c == '\n' || c == '\r') ? ' ' : c;
  if (one.size() > 60) one = one.substr(0, 60) + "...";
  return "\"" + one + "\"";
}

}  // namespace

int run_doctor(const llm::EndpointConfig& cfg, std::ostream& out, std::ostream& err) {
  out << "diffsmith doctor: model endpoint\n";
  for (const llm::SettingInfo& s : cfg.settings) {
    if (s.source == "unset" && s.key != "api-key") continue;
    bool azure_only = s.key == "api-version" || s.key.rfind("azure-", 0) == 0;
    if ((cfg.provider == llm::Provider::Azure) != azure_only && (azure_only || s.key == "base-url")) continue;
    row(out, s.key, s.value.empty() ? "-" : text::redact(s.value), s.source);
  }
  for (const llm::SettingInfo& s : cfg.refused)
    row(out, s.key, "refused", s.source + ": a repository's .diffsmith.toml may not set it; ignored");
  if (!cfg.replay_path.empty()) {
    row(out, "endpoint", "replay cassette " + cfg.replay_path + " (no network)");
  } else {
    row(out, "endpoint", "POST " + text::redact(llm::redact_url(llm::endpoint_url(cfg))));
  }
  if (cfg.api_key_source.rfind("config ", 0) == 0) {
    out << "  warning: the API key is read from a config file; prefer the " << cfg.api_key_env
        << " environment variable\n";
  }

  auto client = llm::make_client(cfg);
  if (!client.ok()) {
    err << "diffsmith doctor: " << text::redact(client.error().message) << "\n";
    return to_int(exit_code_for(client.error()));
  }

  llm::Request req;
  req.model = cfg.model;
  req.messages.push_back(llm::Message::user("Reply with the single word: ok"));
  req.generation = cfg.generation;
  if (!req.generation.max_output_tokens) {
    // A reasoning model spends tokens on reasoning before the answer.
    bool reasons = llm::reasoning_support(cfg.model) == llm::ReasoningSupport::Yes;
    req.generation.max_output_tokens = reasons ? 1024 : 16;
  }
  for (const std::string& note : llm::generation_notices(cfg.model, req.generation)) {
    out << "  note: " << note << "\n";
  }
  out << "sending one tiny request (max output tokens " << *req.generation.max_output_tokens << ")...\n";
  out.flush();
  auto turn = (*client)->complete(req, nullptr);
  if (!turn.ok()) {
    err << "diffsmith doctor: request failed: " << text::redact(turn.error().message) << "\n";
    return to_int(exit_code_for(turn.error()));
  }

  out << "ok: answered in " << turn->latency.count() << " ms"
      << (turn->attempts > 1 ? " after " + std::to_string(turn->attempts) + " attempts" : std::string())
      << "\n";
  row(out, "model", turn->model.empty() ? "(not reported)" : turn->model);
  row(out, "request id", turn->request_id.empty() ? "(none)" : turn->request_id);
  row(out, "reply", text::redact(short_reply(turn->text)), "finish_reason " + turn->finish_reason);
  if (turn->usage_known) {
    row(out, "usage",
        "prompt " + std::to_string(turn->usage.prompt_tokens) + " (cached " +
            std::to_string(turn->usage.cached_tokens) + "), completion " +
            std::to_string(turn->usage.completion_tokens));
    std::string model = turn->model.empty() ? cfg.model : turn->model;
    llm::Cost cost = llm::cost_of(turn->usage, llm::price_for(model, cfg.prices));
    row(out, "cost", cost.usd ? llm::format_usd(*cost.usd) : llm::cost_unknown_note(model));
  } else {
    row(out, "usage", "not reported by the server");
  }
  if (turn->rate_limits.empty()) {
    row(out, "rate limits", "no x-ratelimit-* headers");
  } else {
    bool first = true;
    for (const auto& [name, value] : turn->rate_limits) {
      row(out, first ? "rate limits" : "", name + ": " + value);
      first = false;
    }
  }
  return 0;
}

}  // namespace ds::agent
