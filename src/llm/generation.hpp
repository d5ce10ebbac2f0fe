// Generation settings by model family: which of --reasoning-effort,
// --temperature and --max-output-tokens go on the wire for a model (reasoning
// models take no temperature; non-reasoning models no reasoning effort), the
// notices for the ones that are not sent as given, and the settings table
// with its layered lookup (flag > env > config file).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "llm/config.hpp"
#include "llm/types.hpp"

namespace ds::llm {

// Yes: the o-series and the gpt-5 family (not gpt-5-chat). No: gpt-4*, gpt-3.5*,
// chatgpt-*, gpt-5-chat*. Unknown: anything else (local and compatible
// servers' models), which gets what the user set, unchanged.
enum class ReasoningSupport { Yes, No, Unknown };
ReasoningSupport reasoning_support(std::string_view model);

// What the wire builders send for a model, and why anything set is left out.
struct SentGeneration {
  std::string reasoning_effort;  // "" = not sent
  std::optional<double> temperature;
  std::optional<int> max_output_tokens;
  // Responses: ask for encrypted reasoning (include) so that reasoning items
  // can be passed back; only for models that reason.
  bool carry_reasoning = false;
  std::vector<std::string> notices;  // one sentence per setting not sent as given
};
SentGeneration sent_generation(std::string_view model, const GenerationOptions& g);

// The notices alone (for the run's events, doctor, batch notes).
std::vector<std::string> generation_notices(std::string_view model, const GenerationOptions& g);

// reasoning-effort, temperature, max-output-tokens with their environment
// variables (DIFFSMITH_*) and help; endpoint_settings() includes them.
const std::vector<SettingSpec>& generation_settings();

// Reads the three settings through the layers and checks them: effort one of
// minimal|low|medium|high, temperature 0-2, max-output-tokens a whole number
// >= 1. Errors (ErrorKind::Config) name the setting, the value and its source. When
// `infos` is given, each set setting is appended with its source (doctor).
Result<GenerationOptions> resolve_generation(const SettingLayers& layers,
                                             std::vector<SettingInfo>* infos = nullptr);

}  // namespace ds::llm
