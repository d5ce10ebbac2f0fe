// Redaction: exact secret values plus a hand-written scan for well-known
// secret shapes. (A regex engine would do the shapes too, but the scan needs
// JSON-aware word boundaries and escape alignment at every match, and it is a
// few literal prefixes; this keeps the lowest library free of dependencies.)
#include "text/redact.hpp"

#include <algorithm>
#include <mutex>

#include "text/utf8.hpp"

namespace ds::text {
namespace {

using Size = std::string_view::size_type;
constexpr Size npos = std::string_view::npos;
constexpr int kMaxPasses = 8;

std::mutex g_mu;
std::vector<std::string> g_secrets;

struct Range {
  Size begin, end;
};

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ci(std::string_view t, Size p, std::string_view word) {
  if (t.size() - p < word.size()) return false;
  for (Size i = 0; i < word.size(); ++i)
    if (lower(t[p + i]) != word[i]) return false;
  return true;
}

Size backslashes_before(std::string_view t, Size p) {
  Size n = 0;
  while (p > n && t[p - n - 1] == '\\') ++n;
  return n;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// In JSON text, a position right after an odd run of backslashes, or among
// the four hex digits of a \uXXXX escape, is inside an escape: not the
// start of a character of the string.
bool aligned(std::string_view t, Size p, bool json) {
  if (!json) return true;
  if (backslashes_before(t, p) % 2 == 1) return false;
  // k hex digits of the escape before p (0..3): p is still inside it.
  for (Size k = 0; k <= 3 && k + 2 <= p; ++k) {
    if (t[p - k - 1] == 'u' && t[p - k - 2] == '\\' && backslashes_before(t, p - k - 1) % 2 == 1)
      return false;
    if (!is_hex(t[p - k - 1])) break;
  }
  return true;
}

// Whether a word starts at `p`: the character before is not a word
// character. In JSON text an escape (\n, \t, \u0001) before `p` separates
// words too, though it ends in a letter or digit.
bool word_start(std::string_view t, Size p, bool json) {
  if (!aligned(t, p, json)) return false;
  if (p == 0 || !is_word(t[p - 1])) return true;
  if (!json) return false;
  if (p >= 2 && t[p - 2] == '\\' && backslashes_before(t, p - 1) % 2 == 1) return true;
  return p >= 6 && t[p - 6] == '\\' && t[p - 5] == 'u' && backslashes_before(t, p - 5) % 2 == 1;
}

// End of the run of characters accepted by `ok` starting at `p`.
template <class Pred>
Size run_end(std::string_view t, Size p, Pred ok) {
  while (p < t.size() && ok(t[p])) ++p;
  return p;
}

bool key_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }
bool token_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
}
bool blank(char c) { return c == ' ' || c == '\t'; }

// sk-..., ghp_..., github_pat_..., AKIA...: the whole token.
void prefixed_tokens(std::string_view t, Size p, bool json, std::vector<Range>& out) {
  struct Shape {
    std::string_view prefix;
    Size min_body;
  };
  static const Shape kShapes[] = {{"sk-", 20},  {"ghp_", 30}, {"gho_", 30},       {"ghu_", 30},
                                  {"ghs_", 30}, {"ghr_", 30}, {"github_pat_", 30}};
  for (const Shape& s : kShapes) {
    if (t.compare(p, s.prefix.size(), s.prefix) != 0 || !word_start(t, p, json)) continue;
    Size end = run_end(t, p + s.prefix.size(), key_char);
    if (end - p - s.prefix.size() >= s.min_body) out.push_back({p, end});
    return;
  }
  if (t.compare(p, 4, "AKIA") == 0 && word_start(t, p, json)) {
    Size end = run_end(t, p + 4, [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
    if (end - p == 20 && (end == t.size() || !is_word(t[end]))) out.push_back({p, end});
  }
}

// "Bearer <token>": the token.
void bearer_token(std::string_view t, Size p, bool json, std::vector<Range>& out) {
  if (!starts_with_ci(t, p, "bearer") || !word_start(t, p, json)) return;
  Size q = p + 6;
  Size after_blank = run_end(t, q, blank);
  if (after_blank == q) return;
  Size end = run_end(t, after_blank, token_char);
  if (end - after_blank >= 8) out.push_back({after_blank, end});
}

// "Authorization: <value>", "api-key = <value>", {"x-api-key": "<value>"}:
// the value, up to the end of the line or a quote.
void header_value(std::string_view t, Size p, bool json, std::vector<Range>& out) {
  static const std::string_view kNames[] = {"authorization", "x-api-key", "api-key"};
  for (std::string_view name : kNames) {
    if (!starts_with_ci(t, p, name) || !word_start(t, p, json)) continue;
    Size q = p + name.size();
    // Skips quotes around the name or value; true when one was a bare ".
    // In JSON text a bare " is the document's own: at most one is skipped,
    // and only where `bare_ok` (after a key, the value's opening quote).
    auto skip_quotes = [&](bool bare_ok) {
      bool bare = false;
      for (;;) {
        if (q < t.size() && t[q] == '\'') {
          ++q;
        } else if (q < t.size() && t[q] == '"' && (!json || (bare_ok && !bare))) {
          bare = true;
          ++q;
        } else if (json && t.compare(q, 2, "\\\"") == 0) {
          q += 2;
        } else {
          return bare;
        }
      }
    };
    bool json_key = skip_quotes(true) && json;  // the name was a key of the JSON document itself
    q = run_end(t, q, blank);
    if (q >= t.size() || (t[q] != ':' && t[q] != '=')) return;
    q = run_end(t, q + 1, blank);
    // The value of a JSON key must be a string, or the match would run over
    // the document's structure ({"api-key": 5, ...}).
    bool quoted_value = skip_quotes(json_key || !json);
    if (json_key && !quoted_value) return;
    Size end = run_end(t, q, [](char c) {
      return c != '\n' && c != '\r' && c != '"' && c != '\\' && c != '\'' && c != '<';
    });
    while (end > q && blank(t[end - 1])) --end;
    if (end > q) out.push_back({q, end});
    return;
  }
}

// scheme://user:password@host: the user:password part.
void url_userinfo(std::string_view t, Size p, std::vector<Range>& out) {
  if (t.compare(p, 3, "://") != 0 || p == 0 || !is_alnum(t[p - 1])) return;
  Size begin = p + 3;
  Size end = run_end(t, begin, [](char c) {
    return c != '/' && c != '?' && c != '#' && c != '@' && c != '"' && c != '\\' && c != '\'' && c != '<' &&
           c != '>' && c != ' ' && c != '\t' && c != '\n' && c != '\r';
  });
  if (end > begin && end < t.size() && t[end] == '@') out.push_back({begin, end});
}

void find_shapes(std::string_view t, bool json, std::vector<Range>& out) {
  for (Size p = 0; p < t.size(); ++p) {
    switch (t[p]) {
      case 's':
      case 'g':
      case 'A':
        prefixed_tokens(t, p, json, out);
        break;
      case ':':
        url_userinfo(t, p, out);
        break;
      default:
        break;
    }
    switch (lower(t[p])) {
      case 'b':
        bearer_token(t, p, json, out);
        break;
      case 'a':
      case 'x':
        header_value(t, p, json, out);
        break;
      default:
        break;
    }
  }
}

// `s` as the JSON writer (json/write.cpp) escapes it inside a string.
std::string json_escaped(std::string_view s) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80)
      text::append_json_escaped_ascii(out, c);
    else
      out += ch;
  }
  return out;
}

// The strings to look for: each usable secret as it appears in plain text,
// or, in JSON text, escaped once and twice.
std::vector<std::string> forms_of(const std::vector<std::string>& extra, bool json) {
  std::vector<std::string> secrets;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    secrets = g_secrets;
  }
  secrets.insert(secrets.end(), extra.begin(), extra.end());
  std::vector<std::string> forms;
  auto add = [&](std::string f) {
    if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(std::move(f));
  };
  for (const std::string& s : secrets) {
    if (s.size() < kMinSecretLength || kRedactedMark.find(s) != npos) continue;
    if (!json) {
      add(s);
      continue;
    }
    std::string once = json_escaped(s);
    add(json_escaped(once));
    add(std::move(once));
  }
  return forms;
}

std::string one_pass(std::string_view t, const std::vector<std::string>& forms, bool json,
                     RedactShapes shapes) {
  std::vector<Range> ranges;
  auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  for (const std::string& f : forms)
    for (Size p = t.find(f); p != npos; p = t.find(f, p + 1)) {
      if (!aligned(t, p, json)) continue;
      // Whole UTF-8 characters only: a secret that starts or ends inside a
      // multi-byte character takes the whole character with it.
      Size begin = p, end = p + f.size();
      while (begin > 0 && continuation(t[begin])) --begin;
      while (end < t.size() && continuation(t[end])) ++end;
      ranges.push_back({begin, end});
    }
  if (shapes == RedactShapes::Yes) find_shapes(t, json, ranges);
  if (ranges.empty()) return std::string(t);
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(t.size());
  Size copied = 0;
  for (size_t i = 0; i < ranges.size();) {
    Size begin = ranges[i].begin, end = ranges[i].end;
    for (++i; i < ranges.size() && ranges[i].begin <= end; ++i) end = std::max(end, ranges[i].end);
    out.append(t.substr(copied, begin - copied));
    out.append(kRedactedMark);
    copied = end;
  }
  out.append(t.substr(copied));
  return out;
}

std::string redact_impl(std::string_view text, const std::vector<std::string>& secrets, RedactShapes shapes,
                        bool json) {
  std::vector<std::string> forms = forms_of(secrets, json);
  if (forms.empty() && shapes == RedactShapes::No) return std::string(text);
  // A replacement can make a new match with its neighbours (a secret that
  // ends like the marker); redact until nothing changes.
  std::string cur(text);
  for (int i = 0; i < kMaxPasses; ++i) {
    std::string next = one_pass(cur, forms, json, shapes);
    if (next == cur) return cur;
    cur = std::move(next);
  }
  // Never seen outside contrived input: give up on the text, keep the secret.
  return json ? "\"" + std::string(kRedactedMark) + "\"" : std::string(kRedactedMark);
}

}  // namespace

void register_secret(std::string_view value) {
  if (value.size() < kMinSecretLength) return;
  std::lock_guard<std::mutex> lock(g_mu);
  if (std::find(g_secrets.begin(), g_secrets.end(), value) == g_secrets.end()) g_secrets.emplace_back(value);
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets, RedactShapes shapes) {
  return redact_impl(text, secrets, shapes, false);
}

bool secret_like(std::string_view text, const std::vector<std::string>& secrets) {
  return redact(text, secrets) != text;
}

std::string redact_json(std::string_view json_text, const std::vector<std::string>& secrets,
                        RedactShapes shapes) {
  return redact_impl(json_text, secrets, shapes, true);
}

}  // namespace ds::text
