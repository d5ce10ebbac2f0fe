// Unicode punctuation folding: the curly quotes, dashes, odd spaces and
// ellipses that models and word processors substitute for ASCII, mapped back
// to ASCII so that a SEARCH text written with one kind still finds the other.
#pragma once

#include <string>
#include <string_view>

namespace ds::edit {

// Copy of `s` with typographic punctuation replaced by its ASCII form:
// ‘ ’ ‚ ‛ ′ ‹ › → '   “ ” „ ‟ ″ « » → "   ‐ ‑ ‒ – — ― − → -   … → ...
// non-breaking and other Unicode spaces → ' '; zero-width characters, soft
// hyphens and BOMs are dropped. Everything else (including invalid UTF-8) is
// copied unchanged. Pure ASCII input is returned as is.
std::string fold_punctuation(std::string_view s);

// True when fold_punctuation(s) could differ from s (s has a non-ASCII byte).
bool may_fold(std::string_view s);

}  // namespace ds::edit
