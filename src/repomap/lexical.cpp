// Lexical terms of files, paths and tasks (see lexical.hpp).
#include "repomap/lexical.hpp"

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <unordered_set>

#include "repomap/terms.hpp"

namespace ds::repomap {

namespace {

constexpr size_t kMaxTermBytes = 48;

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
bool word_char(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
char lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// "items" -> "item", "entries" -> "entry"; "class", "status", "this" stay.
void stem(std::string& s) {
  const size_t n = s.size();
  if (n < 4 || s[n - 1] != 's') return;
  char p = s[n - 2];
  if (p == 's' || p == 'u' || p == 'i') return;
  if (n >= 5 && p == 'e' && s[n - 3] == 'i') {
    s.resize(n - 3);
    s.push_back('y');
    return;
  }
  s.pop_back();
}

std::string lowered(std::string_view w) {
  std::string s(w);
  for (char& c : s) c = lower(c);
  return s;
}

// Words no task is about: English function words and the vocabulary of bug
// reports. Compared after lower-casing and stemming.
const std::unordered_set<std::string_view>& stop_words() {
  // clang-format off
  static const std::unordered_set<std::string_view> words = {
      "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
      "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
      "cannot", "could", "did", "do", "doe", "doing", "don", "down", "during", "each", "eg", "either", "etc",
      "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "ha", "has", "have",
      "having", "he", "her", "here", "him", "his", "how", "however", "i", "ie", "if", "in", "into", "is",
      "it", "its", "itself", "just", "let", "like", "may", "me", "might", "more", "most", "much", "must",
      "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out",
      "over", "own", "per", "same", "see", "seem", "she", "should", "since", "so", "some", "still", "such",
      "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "though",
      "through", "thu", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "wa", "was", "we",
      "well", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "why", "will",
      "with", "within", "without", "would", "yet", "you", "your", "fix", "fixe", "fixed", "fixing", "bug",
      "bugfix", "issue", "close", "closed", "resolve", "resolved", "pr", "patch", "change", "changed",
      "changelog", "add", "added", "adding", "remove", "removed", "update", "updated", "make", "made", "use",
      "used", "using", "new", "now", "instead", "currently", "expected", "actual", "behavior", "behaviour",
      "problem", "correct", "correctly", "wrong", "incorrect", "properly", "work", "working", "doesn", "isn",
      "didn", "won", "wasn", "aren", "case", "way", "thing", "need", "want", "please", "thank", "thanks",
      "hi", "hello", "happen", "happen", "think", "know", "sure", "able", "also", "already", "should",
      "would", "could", "http", "https", "www", "github", "com", "org", "co", "author", "signed", "by", "ll",
      "ve", "re",
  };
  // clang-format on
  return words;
}

// Hyphenated lower-case compounds: message names and options
// ("bad-string-format-type", "--no-summary" -> no-summary). Fed each run of
// word characters in order; says when a compound of 2+ parts ends.
class Compounds {
 public:
  bool feed(std::string_view text, size_t b, size_t e, std::string_view& out) {
    bool part_ok =
        e - b >= 2 && is_lower(text[b]) &&
        std::all_of(text.begin() + b, text.begin() + e, [](char c) { return is_lower(c) || is_digit(c); });
    bool continues = parts_ > 0 && b == end_ + 1 && text[end_] == '-';
    if (!continues) {
      begin_ = b;
      parts_ = 0;
      ok_ = true;
    }
    ok_ = ok_ && part_ok;
    ++parts_;
    end_ = e;
    bool more = e + 1 < text.size() && text[e] == '-' && is_lower(text[e + 1]);
    if (more || parts_ < 2 || !ok_ || e - begin_ > kMaxTermBytes) return false;
    out = text.substr(begin_, e - begin_);
    return true;
  }

 private:
  size_t begin_ = 0, end_ = 0;
  int parts_ = 0;
  bool ok_ = false;
};

}  // namespace

namespace {

void set_lowered(std::string& buf, std::string_view w) {
  buf.assign(w);
  for (char& c : buf) c = lower(c);
  stem(buf);
}

// split_subwords without allocating: fn(const std::string&) per term, the
// string a buffer reused between calls.
template <class Fn>
void each_subword(std::string_view word, std::string& buf, Fn&& fn) {
  while (!word.empty() && word.front() == '_') word.remove_prefix(1);
  while (!word.empty() && word.back() == '_') word.remove_suffix(1);
  if (word.empty() || word.size() > 4 * kMaxTermBytes) return;
  size_t parts = 0;
  bool has_digit = false, has_alpha = false;
  size_t seg_begin = 0;
  while (seg_begin < word.size()) {
    size_t seg_end = word.find('_', seg_begin);
    if (seg_end == std::string_view::npos) seg_end = word.size();
    std::string_view seg = word.substr(seg_begin, seg_end - seg_begin);
    size_t seg_alpha_parts = 0;
    size_t i = 0;
    while (i < seg.size()) {
      size_t b = i;
      if (is_digit(seg[i])) {
        while (i < seg.size() && is_digit(seg[i])) ++i;
        has_digit = true;
        ++parts;
        continue;  // numbers are no terms of their own
      }
      has_alpha = true;
      if (is_upper(seg[i])) {
        size_t u = i;
        while (u < seg.size() && is_upper(seg[u])) ++u;
        if (u - i > 1 && u < seg.size() && is_lower(seg[u])) {
          i = u - 1;  // "JSONReader": JSON, then Reader
        } else if (u - i > 1) {
          i = u;  // "HTTP" at the end or before a digit
        } else {
          i = u;
          while (i < seg.size() && is_lower(seg[i])) ++i;
        }
      } else {
        while (i < seg.size() && is_lower(seg[i])) ++i;
      }
      ++parts;
      ++seg_alpha_parts;
      if (i - b < 2 || i - b > kMaxTermBytes) continue;
      set_lowered(buf, seg.substr(b, i - b));
      fn(buf);
    }
    if (seg_alpha_parts > 1 && seg.size() <= kMaxTermBytes) {  // SeqFormula -> seqformula
      set_lowered(buf, seg);
      fn(buf);
    }
    seg_begin = seg_end + 1;
  }
  if (parts > 1 && has_alpha && word.size() <= kMaxTermBytes && (has_digit || word.find('_') != word.npos)) {
    set_lowered(buf, word);  // w0511, print_seqformula
    fn(buf);
  }
}

// Counts of term hashes: open addressing, reused between files.
class HashCounter {
 public:
  void clear() {
    for (uint32_t s : used_) slots_[s] = {0, 0};
    used_.clear();
  }
  void add(uint32_t h) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((used_.size() + 1) * 2 > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    size_t i = (h * 2654435761u) & mask;
    while (slots_[i].first != 0 && slots_[i].first != h) i = (i + 1) & mask;
    if (slots_[i].first == 0) {
      slots_[i].first = h;
      used_.push_back(static_cast<uint32_t>(i));
    }
    ++slots_[i].second;
  }
  void append_to(std::vector<std::pair<uint32_t, uint32_t>>& out) const {
    for (uint32_t s : used_) out.push_back(slots_[s]);
  }

 private:
  void grow() {
    std::vector<std::pair<uint32_t, uint32_t>> old(std::max<size_t>(1024, slots_.size() * 2));
    old.swap(slots_);
    std::vector<uint32_t> used;
    used.swap(used_);
    size_t mask = slots_.size() - 1;
    for (uint32_t s : used) {
      auto e = old[s];
      size_t i = (e.first * 2654435761u) & mask;
      while (slots_[i].first != 0) i = (i + 1) & mask;
      slots_[i] = e;
      used_.push_back(static_cast<uint32_t>(i));
    }
  }
  std::vector<std::pair<uint32_t, uint32_t>> slots_;
  std::vector<uint32_t> used_;
};

}  // namespace

void split_subwords(std::string_view word, std::vector<std::string>& out) {
  std::string buf;
  each_subword(word, buf, [&](const std::string& t) { out.push_back(t); });
}

uint32_t term_hash(std::string_view term) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a, folded to 32 bits
  for (unsigned char c : term) h = (h ^ c) * 1099511628211ull;
  uint32_t r = static_cast<uint32_t>(h ^ (h >> 32));
  return r ? r : 1;
}

uint32_t lexical_terms(std::string_view content, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  thread_local HashCounter counts;
  thread_local std::string buf;
  counts.clear();
  Compounds compounds;
  uint32_t total = 0;
  size_t i = 0;
  const size_t n = content.size();
  while (i < n) {
    if (!word_char(content[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < n && word_char(content[i])) ++i;
    each_subword(content.substr(b, i - b), buf, [&](const std::string& t) {
      counts.add(term_hash(t));
      ++total;
    });
    std::string_view compound;
    if (compounds.feed(content, b, i, compound)) {
      counts.add(term_hash(compound));
      ++total;
    }
  }
  size_t first = out.size();
  counts.append_to(out);
  std::sort(out.begin() + static_cast<ptrdiff_t>(first), out.end());
  return total;
}

void path_term_hashes(std::string_view component, std::vector<uint32_t>& out) {
  thread_local std::string buf;
  size_t i = 0;
  while (i < component.size()) {
    if (!word_char(component[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < component.size() && word_char(component[i])) ++i;
    each_subword(component.substr(b, i - b), buf, [&](const std::string& t) { out.push_back(term_hash(t)); });
  }
}

std::vector<std::string> path_terms(std::string_view path) {
  std::vector<std::string> out;
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash + 1))
    path = path.substr(0, dot);
  size_t i = 0;
  while (i < path.size()) {
    if (!word_char(path[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < path.size() && word_char(path[i])) ++i;
    split_subwords(path.substr(b, i - b), out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool low_priority_path(std::string_view path) {
  static constexpr std::string_view kDirs[] = {
      "test",     "tests",        "testing",    "testsuite", "fixtures",      "fixture",     "doc",
      "docs",     "example",      "examples",   "vendor",    "vendored",      "third_party", "thirdparty",
      "external", "node_modules", "benchmarks", "bench",     "__snapshots__", "testdata",
  };
  size_t b = 0;
  while (b < path.size()) {
    size_t e = path.find('/', b);
    if (e == std::string_view::npos) {  // the file name
      std::string_view name = path.substr(b);
      return name.starts_with("test_") || name.starts_with("conftest.") || name.find("_test.") != name.npos ||
             name.find(".test.") != name.npos || name.find(".spec.") != name.npos ||
             name.find("_spec.") != name.npos || name.find("Test.java") != name.npos;
    }
    std::string_view dir = path.substr(b, e - b);
    for (std::string_view d : kDirs)
      if (dir == d) return true;
    b = e + 1;
  }
  return false;
}

bool distinctive_name(std::string_view name) {
  bool lower_seen = false, digit = false, alpha = false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' && i > 0 && i + 1 < name.size() && name[i - 1] != '_' && name[i + 1] != '_') return true;
    if (is_upper(c) && lower_seen) return true;
    if (is_lower(c)) lower_seen = true;
    if (is_digit(c)) digit = true;
    if (is_alpha(c)) alpha = true;
  }
  return digit && alpha;
}

std::vector<QueryTerm> query_terms(const std::vector<std::string>& texts) {
  TaskTerms task = extract_terms(texts);
  std::unordered_set<std::string_view> code(task.identifiers.begin(), task.identifiers.end());
  std::unordered_map<std::string, float> weights;
  std::vector<std::string> order;
  const auto& stop = stop_words();
  std::vector<std::string> parts;
  auto add = [&](std::string t, float w) {
    if (t.size() < 2 || stop.count(t)) return;
    auto [it, fresh] = weights.emplace(t, 0.0f);
    if (fresh) order.push_back(t);
    it->second = std::min(it->second + w, 4.0f);
  };
  for (const std::string& text : texts) {
    bool in_backticks = false, in_quotes = false;
    std::string prev_word;  // the previous prose word, for "man page" -> manpage
    Compounds compounds;
    size_t i = 0;
    const size_t n = text.size();
    while (i < n) {
      char c = text[i];
      if (!word_char(c)) {
        if (c == '`')
          in_backticks = !in_backticks;
        else if (c == '"')
          in_quotes = !in_quotes;
        if (c == '\n' && i + 1 < n && text[i + 1] == '\n') in_quotes = in_backticks = false;
        if (c != ' ') prev_word.clear();
        ++i;
        continue;
      }
      size_t b = i;
      while (i < n && word_char(text[i])) ++i;
      std::string_view w(text.data() + b, i - b);
      bool is_code = in_backticks || code.count(w) || (i < n && text[i] == '(');
      bool after_dash = b > 0 && text[b - 1] == '-';  // --notes, invalid-name
      float weight = is_code ? 2.0f : (in_quotes || after_dash) ? 1.5f : 1.0f;
      parts.clear();
      split_subwords(w, parts);
      for (std::string& p : parts) add(std::move(p), weight);
      bool plain = std::all_of(w.begin(), w.end(), is_alpha) && w.size() >= 2;
      std::string lw = lowered(w);
      if (plain && !prev_word.empty() && !stop.count(lw)) {
        std::string joined = prev_word + lw;
        stem(joined);
        add(joined, 0.5f);
      }
      prev_word = plain && !stop.count(lw) ? lw : std::string();
      std::string_view compound;
      if (compounds.feed(text, b, i, compound)) add(std::string(compound), 2.0f);
    }
  }
  std::vector<QueryTerm> out;
  out.reserve(order.size());
  for (std::string& t : order) out.push_back(QueryTerm{t, weights[t]});
  return out;
}

}  // namespace ds::repomap
