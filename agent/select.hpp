// Best of N (`--attempts N`): which attempt's change wins. A pure function of
// what each attempt showed, so every rule is a row of a table test
// (tests/unit/agent_select_test.cpp) without a repository or a model.
//
// The order: (1) candidates whose change is verified (solved: its own
// reproduction failed on the base and passes, no regression) and passes
// every other candidate's reproduction; (2) among them, the largest group of
// equal normalized patches (whitespace-only and comment-only differences
// ignored); (3) the smallest diff. When no candidate gets through (1), the
// same vote runs over the candidates solved on their own, then over any with
// a change.
#pragma once

#include <string>
#include <vector>

namespace ds::agent {

struct Candidate {
  int index = 0;               // 0-based attempt number
  bool solved = false;         // verified as a single run is (status solved)
  std::string diff;            // the change (reproduction files left out)
  std::vector<int> fails_of;   // other candidates whose reproduction this change fails
  bool cross_checked = false;  // the other reproductions were run on this change
};

// The patch with whitespace-only and comment-only differences taken out: per
// file, the added and removed lines, each stripped of `#`, `//` and `/* */`
// comments and all white space, blank results dropped. Equal results mean
// the same change.
std::string normalize_patch(const std::string& diff);

// Changed lines (+ and -, headers left out): a diff's size for the last rule.
size_t diff_size(const std::string& diff);

struct Selection {
  int winner = -1;     // index into the candidates given; -1: none has a change
  int tier = 0;        // 1: verified and passes the others' reproductions; 2: solved alone; 3: a change
  int votes = 0;       // candidates in the winner's group (same normalized patch)
  std::string reason;  // why it won, for people and run_finished
  std::vector<std::string> why;  // per candidate: why it did or did not win
};

Selection select_candidate(const std::vector<Candidate>& candidates);

// Early stop (--agree K): the number of candidates in the largest group of
// tier-1 candidates with the same normalized patch.
int agreeing(const std::vector<Candidate>& candidates);

}  // namespace ds::agent
