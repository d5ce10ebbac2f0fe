// Term extraction: a single pass over the text splitting "words" (runs of
// identifier characters plus . / - :), then classifying each word.
#include "repomap/terms.hpp"

#include <algorithm>
#include <string_view>

#include "repomap/language.hpp"

namespace ds::repomap {

namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool word_char(char c) { return ident_char(c) || c == '.' || c == '/' || c == '-' || c == ':'; }

constexpr std::string_view kStopWords[] = {
    "about",  "above",    "after",   "again",   "also",   "because", "been",    "before",  "being",
    "below",  "between",  "both",    "cannot",  "could",  "does",    "doing",   "down",    "during",
    "each",   "error",    "every",   "file",    "files",  "from",    "further", "have",    "having",
    "here",   "into",     "just",    "like",    "make",   "more",    "most",    "must",    "need",
    "only",   "other",    "over",    "same",    "should", "some",    "such",    "than",    "that",
    "their",  "them",     "then",    "there",   "these",  "they",    "this",    "those",   "through",
    "under",  "until",    "very",    "want",    "were",   "what",    "when",    "where",   "which",
    "while",  "will",     "with",    "without", "work",   "would",   "your",    "code",    "test",
    "tests",  "when",     "instead", "using",   "used",   "fails",   "fail",    "wrong",   "works",
    "should", "expected", "actual",  "issue",   "please", "thanks",  "happens", "returns", "return",
};

bool stop_word(std::string_view w) {
  std::string lower(w);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return std::find(std::begin(kStopWords), std::end(kStopWords), lower) != std::end(kStopWords);
}

bool code_like(std::string_view id) {
  bool lower = false, upper_after_lower = false, digit = false, inner_underscore = false;
  int upper = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (c >= 'a' && c <= 'z')
      lower = true;
    else if (c >= 'A' && c <= 'Z' && ++upper > 0 && lower)
      upper_after_lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else if (c == '_' && i > 0 && i + 1 < id.size())
      inner_underscore = true;
  }
  return upper_after_lower || inner_underscore || (digit && lower) || id.front() == '_' ||
         (upper >= 2 && lower);  // JSONReader
}

bool looks_like_path(std::string_view w) {
  if (w.find('/') != std::string_view::npos) return w.size() > 2;
  return language_for_path(w) != Language::kUnknown;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

TaskTerms extract_terms(const std::vector<std::string>& texts) {
  TaskTerms out;
  for (const std::string& text : texts) {
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
      if (!word_char(text[i])) {
        ++i;
        continue;
      }
      size_t b = i;
      while (i < n && word_char(text[i])) ++i;
      std::string_view w(text.data() + b, i - b);
      // Trim sentence punctuation and leading ./ or :
      while (!w.empty() && (w.back() == '.' || w.back() == ':' || w.back() == '-' || w.back() == '/'))
        w.remove_suffix(1);
      while (!w.empty() && (w.front() == '.' || w.front() == ':' || w.front() == '-')) w.remove_prefix(1);
      if (w.size() > 2 && w.substr(0, 2) == "./") w.remove_prefix(2);
      if (w.empty()) continue;
      bool backticked = b > 0 && text[b - 1] == '`';
      bool called = i < n && text[i] == '(';
      bool path = looks_like_path(w);
      if (path) out.paths.emplace_back(w);
      // Split into identifier parts.
      bool qualified = w.find_first_of(".:") != std::string_view::npos && !path;
      size_t p = 0;
      while (p < w.size()) {
        if (!ident_start(w[p])) {
          ++p;
          continue;
        }
        size_t s = p;
        while (p < w.size() && ident_char(w[p])) ++p;
        std::string_view id = w.substr(s, p - s);
        if (id.size() < 3) continue;
        if (path && p == w.size() && s > 0 && w[s - 1] == '.') continue;  // the extension
        if (backticked || called || qualified || code_like(id))
          out.identifiers.emplace_back(id);
        else if (id.size() >= 4 && !stop_word(id))
          out.words.emplace_back(id);
      }
    }
  }
  sort_unique(out.identifiers);
  sort_unique(out.words);
  sort_unique(out.paths);
  // A name that is also code-like elsewhere is not a weak word.
  std::vector<std::string> words;
  std::set_difference(out.words.begin(), out.words.end(), out.identifiers.begin(), out.identifiers.end(),
                      std::back_inserter(words));
  out.words = std::move(words);
  return out;
}

}  // namespace ds::repomap
