// A cheap token estimate (no tokenizer): about 4 bytes per token for code and
// English, which is what budgets need; never used for billing.
#pragma once

#include <string_view>

namespace ds::text {

inline size_t estimate_tokens(std::string_view s) { return (s.size() + 3) / 4; }

}  // namespace ds::text
