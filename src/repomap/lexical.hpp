// The lexical side of the map: what a file says (every identifier split into
// sub-words, the words of its string literals and comments) and what its
// path says, as terms a task can be matched against with BM25.
//
//   _print_SeqFormula     -> print, seq, formula, seqformula, print_seqformula
//   "Right contains more items" -> right, contains, more, item
//   src/_pytest/assertion/util.py -> src, pytest, assertion, util
//
// Terms are lower case; plural sub-words lose their "s" ("items" -> "item").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ds::repomap {

// Sub-words of one identifier or word: split at '_', at digits/letters and
// at camel-case humps (JSONReader -> json, reader), lower-cased, plural "s"
// dropped; a run with several parts also yields the parts of each
// underscore segment joined (SeqFormula -> seqformula) and the whole run
// (w0511, print_seqformula). Parts shorter than 2 characters are dropped.
void split_subwords(std::string_view word, std::vector<std::string>& out);

// The id a term is stored and matched by: a 32-bit hash of its text, so
// the index needs no string table (a collision only adds a little noise
// to one term's score). Never 0.
uint32_t term_hash(std::string_view term);

// Counts the terms of a file's content (every run of [A-Za-z0-9_], so code,
// string literals and comments alike, plus hyphenated lower-case compounds
// such as "bad-string-format-type"). Appends (term hash, count) pairs,
// sorted by hash; returns the number of term occurrences (the length).
uint32_t lexical_terms(std::string_view content, std::vector<std::pair<uint32_t, uint32_t>>& out);

// Sub-words of a path (the extension left out): for reasons and tests.
std::vector<std::string> path_terms(std::string_view path);

// The term hashes of one path component (no extension), appended to out.
void path_term_hashes(std::string_view component, std::vector<uint32_t>& out);

// A file under tests/, test_*.py, fixtures, docs, examples, or a vendored
// or third-party folder: ranked lower unless the task names it.
bool low_priority_path(std::string_view path);

// A name no prose word looks like: an inner '_', a camel hump, or letters
// with digits. Only such a file stem ("session_store.py") counts as the
// task naming the file; "format" or "bad" in a task name nothing.
bool distinctive_name(std::string_view name);

struct QueryTerm {
  std::string term;
  float weight = 1;  // query term frequency, more for code-like names
};

// The task's terms: sub-words of its words (prose stop words dropped),
// weighted up when they come from code-like names, `code spans`, quoted
// messages or paths; plus each pair of adjacent prose words joined
// ("man page" -> manpage), which only counts if some file has it.
std::vector<QueryTerm> query_terms(const std::vector<std::string>& texts);

}  // namespace ds::repomap
