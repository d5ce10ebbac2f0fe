// Model families, what each gets on the wire, and the generation settings.
#include "llm/generation.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace ds::llm {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// "openai/gpt-5-mini" -> "gpt-5-mini" (OpenRouter-style provider prefixes).
std::string lower_base(std::string_view model) {
  if (size_t slash = model.rfind('/'); slash != std::string_view::npos) model.remove_prefix(slash + 1);
  std::string out(model);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_o_series(std::string_view base) {
  return base.size() >= 2 && base[0] == 'o' && std::isdigit(static_cast<unsigned char>(base[1]));
}

struct Found {
  std::string value;
  std::string source;
};

// The same layering as resolve_endpoint: flag, then environment, then config.
std::optional<Found> lookup(const SettingLayers& l, const SettingSpec& spec) {
  if (l.flag) {
    if (auto v = l.flag(spec.key); v && !v->empty()) return Found{*v, "--" + std::string(spec.key)};
  }
  std::optional<std::string> env;
  if (l.env) {
    env = l.env(spec.env);
  } else if (const char* e = std::getenv(spec.env)) {
    env = std::string(e);
  }
  if (env && !env->empty()) return Found{*env, "env " + std::string(spec.env)};
  if (l.config) {
    if (auto v = l.config(spec.key); v && !v->empty()) return Found{*v, "config " + l.config_path};
  }
  return std::nullopt;
}

Error bad(const SettingSpec& spec, const std::string& value, const std::string& source,
          std::string_view what) {
  return make_error(
      "setting " + std::string(spec.key) + " = \"" + value + "\" (from " + source + ") " + std::string(what),
      ErrorKind::Config);
}

}  // namespace

ReasoningSupport reasoning_support(std::string_view model) {
  std::string base = lower_base(model);
  if (starts_with(base, "gpt-5")) {
    // gpt-5-chat-latest is the non-reasoning model behind ChatGPT.
    return base.find("-chat") != std::string::npos ? ReasoningSupport::No : ReasoningSupport::Yes;
  }
  if (is_o_series(base)) return ReasoningSupport::Yes;
  if (starts_with(base, "gpt-4") || starts_with(base, "gpt-3.5") || starts_with(base, "chatgpt-")) {
    return ReasoningSupport::No;
  }
  return ReasoningSupport::Unknown;
}

SentGeneration sent_generation(std::string_view model, const GenerationOptions& g) {
  SentGeneration s;
  const ReasoningSupport family = reasoning_support(model);
  const std::string name(model);
  s.max_output_tokens = g.max_output_tokens;
  s.reasoning_effort = g.reasoning_effort;
  s.temperature = g.temperature;
  switch (family) {
    case ReasoningSupport::Yes:
      // Reasoning models accept only the default temperature (openai-api.md).
      if (s.temperature) {
        s.notices.push_back("temperature is not sent: " + name +
                            " is a reasoning model and accepts only its default temperature");
        s.temperature.reset();
      }
      if (s.reasoning_effort == "minimal" && is_o_series(lower_base(model))) {
        s.notices.push_back("reasoning-effort minimal is for the gpt-5 family; " + name +
                            " takes low, medium or high, so low is sent");
        s.reasoning_effort = "low";
      }
      s.carry_reasoning = true;
      break;
    case ReasoningSupport::No:
      if (!s.reasoning_effort.empty()) {
        s.notices.push_back("reasoning-effort is not sent: " + name + " is not a reasoning model");
        s.reasoning_effort.clear();
      }
      break;
    case ReasoningSupport::Unknown:
      // A model we do not know (a local server's, say): the user's settings
      // go as given; asking for an effort says the model reasons.
      s.carry_reasoning = !s.reasoning_effort.empty();
      break;
  }
  return s;
}

std::vector<std::string> generation_notices(std::string_view model, const GenerationOptions& g) {
  return sent_generation(model, g).notices;
}

const std::vector<SettingSpec>& generation_settings() {
  static const std::vector<SettingSpec> kSpecs = {
      {"reasoning-effort", "DIFFSMITH_REASONING_EFFORT",
       "reasoning models (o-series, gpt-5): minimal | low | medium | high (default: the model's)"},
      {"temperature", "DIFFSMITH_TEMPERATURE",
       "sampling temperature 0-2 for non-reasoning models (default: the model's; never sent to reasoning "
       "models)"},
      {"max-output-tokens", "DIFFSMITH_MAX_OUTPUT_TOKENS",
       "most tokens one reply may use, reasoning included (default: the model's)"},
  };
  return kSpecs;
}

Result<GenerationOptions> resolve_generation(const SettingLayers& layers, std::vector<SettingInfo>* infos) {
  GenerationOptions g;
  for (const SettingSpec& spec : generation_settings()) {
    std::optional<Found> found = lookup(layers, spec);
    if (!found) continue;
    const std::string* v = &found->value;
    const std::string& source = found->source;
    std::string_view key = spec.key;
    if (key == "reasoning-effort") {
      if (*v != "minimal" && *v != "low" && *v != "medium" && *v != "high") {
        return bad(spec, *v, source, "is not one of minimal, low, medium, high");
      }
      g.reasoning_effort = *v;
    } else {
      char* end = nullptr;
      double d = std::strtod(v->c_str(), &end);
      bool number = end != v->c_str() && *end == '\0' && std::isfinite(d);
      if (key == "temperature") {
        if (!number || d < 0 || d > 2) return bad(spec, *v, source, "is not a number from 0 to 2");
        g.temperature = d;
      } else {
        if (!number || d < 1 || d > 10'000'000 || d != std::floor(d)) {
          return bad(spec, *v, source, "is not a whole number of tokens >= 1");
        }
        g.max_output_tokens = static_cast<int>(d);
      }
    }
    if (infos) infos->push_back(SettingInfo{spec.key, *v, source});
  }
  return g;
}

}  // namespace ds::llm
