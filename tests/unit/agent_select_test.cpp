// agent::select_candidate, Best of N's choice as a pure function: the
// verified tier (own reproduction, the others' reproductions, the regression
// delta), the vote over normalized patches, the smallest diff.
#include <catch2/catch.hpp>

#include "agent/select.hpp"

using namespace ds::agent;

namespace {

std::string patch(const std::string& path, const std::string& minus, const std::string& plus) {
  return "diff --git a/" + path + " b/" + path + "\n--- a/" + path + "\n+++ b/" + path +
         "\n@@ -1,1 +1,1 @@\n-" + minus + "\n+" + plus + "\n";
}

Candidate cand(int index, bool solved, std::string diff, std::vector<int> fails = {}) {
  Candidate c;
  c.index = index;
  c.solved = solved;
  c.diff = std::move(diff);
  c.fails_of = std::move(fails);
  c.cross_checked = true;
  return c;
}

}  // namespace

TEST_CASE("normalize_patch ignores whitespace-only and comment-only differences", "[select]") {
  std::string a = patch("m.py", "    return a - b", "    return a + b");
  std::string spaced = patch("m.py", "    return a - b", "    return   a+b   ");
  std::string commented = patch("m.py", "    return a - b", "    return a + b  # fixed the sign");
  std::string other = patch("m.py", "    return a - b", "    return b + a");
  CHECK(normalize_patch(a) == normalize_patch(spaced));
  CHECK(normalize_patch(a) == normalize_patch(commented));
  CHECK(normalize_patch(a) != normalize_patch(other));
  // An added comment line alone is no change to the code.
  std::string with_comment_line = a + "@@ -9,0 +10,1 @@\n+// explains the fix\n";
  CHECK(normalize_patch(with_comment_line) == normalize_patch(a));
  // The same lines in another file are another change.
  CHECK(normalize_patch(patch("n.py", "    return a - b", "    return a + b")) != normalize_patch(a));
}

TEST_CASE("a change failing another attempt's reproduction loses to the others", "[select]") {
  // Attempt 1 passes only its own reproduction; 2 and 3 pass all three.
  std::string narrow = patch("m.py", "    return a - b", "    return abs(a - b) if a == 1 else a - b");
  std::string fix = patch("m.py", "    return a - b", "    return a + b");
  std::string fix2 = patch("m.py", "    return a - b", "  return a+b  # sign");
  std::vector<Candidate> c = {cand(0, true, narrow, {1, 2}), cand(1, true, fix), cand(2, true, fix2)};
  Selection s = select_candidate(c);
  CHECK(s.tier == 1);
  CHECK(s.votes == 2);
  CHECK((s.winner == 1 || s.winner == 2));
  CHECK(s.why[0].find("fails the reproduction of attempt 2, 3") != std::string::npos);
  CHECK(s.reason.find("2 of 2") == std::string::npos);  // both verified ones agree: all of them
  CHECK(agreeing(c) == 2);
}

TEST_CASE("the vote beats size, size breaks a tie", "[select]") {
  std::string small = patch("m.py", "x = 1", "x = 2");
  std::string big =
      "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n-x = 1\n-y = 1\n+x = 3\n+y = 3\n";
  std::string big_again =
      "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n-x = 1\n-y = 1\n+x = 3 \n+y  = 3\n";
  Selection voted = select_candidate({cand(0, true, small), cand(1, true, big), cand(2, true, big_again)});
  CHECK(voted.winner != 0);
  CHECK(voted.votes == 2);
  CHECK(voted.reason.find("2 of 3") != std::string::npos);
  Selection tie = select_candidate({cand(0, true, big), cand(1, true, small)});
  CHECK(tie.winner == 1);
  CHECK(tie.reason.find("smallest diff") != std::string::npos);
}

TEST_CASE("without a verified candidate the choice falls back, tier by tier", "[select]") {
  std::string a = patch("m.py", "x = 1", "x = 2");
  std::string b = patch("m.py", "x = 1", "x = 22");
  // Solved alone beats unsolved.
  Selection s = select_candidate({cand(0, false, a), cand(1, true, b, {0})});
  CHECK(s.winner == 1);
  CHECK(s.tier == 2);
  // Nothing solved: any change; no change at all: no winner.
  CHECK(select_candidate({cand(0, false, ""), cand(1, false, a)}).winner == 1);
  CHECK(select_candidate({cand(0, false, a), cand(1, false, "")}).tier == 3);
  Selection none = select_candidate({cand(0, true, ""), cand(1, false, "")});
  CHECK(none.winner == -1);
  CHECK(agreeing({cand(0, false, a), cand(1, false, a)}) == 0);
}
