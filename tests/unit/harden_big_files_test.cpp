// One big file must not take diffsmith down (issue 21, item 2), end to end:
// the real binary, the scripted mock model, the real sandbox. A command
// that writes a file of hundreds of MB (sparse: cheap on disk) leaves
// diffsmith's memory bounded; the events, the run's record, `show` and
// stdout name the file as binary with its size and never carry its bytes;
// `undo` removes a big file the command made and restores a big tracked
// file it changed.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

Value command_turn(const std::string& command) {
  return turn({tool_call("run_command", Value::object().set("command", command))});
}

// Reading the file whole cost about 22 times its size before (13 GB for 600
// MB); a fixed amount now. The bound leaves room for a slow, loaded machine.
constexpr long kMaxRssKb = 200 * 1024;

ProcResult undo_in(const TempRepo& repo) {
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  return run_diffsmith({"undo"}, in_repo);
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

TEST_CASE(
    "big files e2e: a 300 MB file from a command - bounded memory, named in every record, undo removes it") {
  TempRepo repo({{"a.txt", "hello\n"}});
  auto mock = start_mock(script({command_turn("truncate -s 300M big.bin"), finish_turn("made big.bin")}));
  ProcOptions opts;
  opts.timeout_s = 180;
  ProcResult r = run_agent(repo, *mock, "make a big file", "true", {"--json"}, opts);
  INFO("stderr: " << r.err.substr(0, 4000));
  REQUIRE(r.exit_code == 0);
  INFO("peak RSS " << r.max_rss_kb << " KiB");
  CHECK(r.max_rss_kb < kMaxRssKb);

  // Events (stdout with --json): the command's diff and the run's patch name
  // it, as binary, with its size; no byte of it, escaped or not.
  std::string shown, patch;
  for (const auto& e : json_lines(r.out)) {
    if (e["type"].as_string() == "diff" && e["source"].as_string() == "run_command")
      shown = e["diff"].as_string();
    if (e["type"].as_string() == "run_finished") patch = e["diff"].as_string();
  }
  CHECK(shown == "# diffsmith: big.bin: binary, new file, 314572800 bytes (300 MiB); not shown\n");
  CHECK(patch ==
        "# diffsmith: big.bin: binary, new file, 314572800 bytes (300 MiB); left out of this patch\n");
  CHECK_FALSE(contains(r.out, "\\u0000"));
  CHECK(r.out.size() < 100 * 1024);
  // The note that says where the file is and how to get a patch of it.
  CHECK(contains(r.out, "left out of the patch (binary, or over --max-diff-file-size): big.bin"));

  // The run's record stays small, and `show` prints the same note.
  std::string record = repo.trajectories();
  CHECK(record.size() < 200 * 1024);
  CHECK(contains(record, "big.bin: binary, new file, 314572800 bytes"));
  CHECK_FALSE(contains(record, "\\u0000"));
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult show = run_diffsmith({"show"}, in_repo);
  REQUIRE(show.exit_code == 0);
  CHECK(contains(show.out, "# diffsmith: big.bin: binary, new file, 314572800 bytes (300 MiB); not shown"));
  CHECK(show.out.find('\0') == std::string::npos);
  CHECK(show.out.size() < 100 * 1024);

  ProcResult undo = undo_in(repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK_FALSE(repo.exists("big.bin"));
  CHECK(repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE(
    "big files e2e: a big tracked file a command changes - the patch on stdout names it, undo restores it") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}}, false);
  run_process({"/usr/bin/truncate", "-s", "200M", repo.path("big.dat")});
  repo.git({"add", "-A"});
  repo.git({"commit", "-q", "-m", "base"});
  std::string want = trimmed(repo.git({"hash-object", "big.dat"}));
  auto mock =
      start_mock(script({command_turn("printf x | dd of=big.dat bs=1 seek=5000000 conv=notrunc 2>/dev/null "
                                      "&& sed -i s/broken/fixed/ a.txt")}));
  ProcOptions opts;
  opts.timeout_s = 180;
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {}, opts);
  INFO("stderr: " << r.err.substr(0, 4000));
  REQUIRE(r.exit_code == 0);
  INFO("peak RSS " << r.max_rss_kb << " KiB");
  CHECK(r.max_rss_kb < kMaxRssKb);
  REQUIRE(trimmed(repo.git({"hash-object", "big.dat"})) != want);

  // stdout is the patch: the note first, then the text change; it applies.
  CHECK(r.out.rfind("# diffsmith: big.dat: binary, 209715200 -> 209715200 bytes (200 MiB); left out of this "
                    "patch\ndiff --git a/a.txt b/a.txt\n",
                    0) == 0);
  CHECK(contains(r.out, "-broken\n+fixed\n"));
  CHECK(r.out.find('\0') == std::string::npos);
  CHECK(r.out.size() < 10 * 1024);
  CHECK(contains(r.err, "big.dat: binary, 209715200 -> 209715200 bytes (200 MiB); not shown"));

  ProcResult undo = undo_in(repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(trimmed(repo.git({"hash-object", "big.dat"})) == want);
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
  CHECK(repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("big files e2e: --max-diff-file-size names a text file over it, and a bad size is a usage error") {
  TempRepo repo({{"a.txt", "hello\n"}});
  auto mock = start_mock(script({command_turn("seq 1 2000 > numbers.txt"), finish_turn("wrote numbers")}));
  ProcResult r = run_agent(repo, *mock, "write numbers", "true", {"--json", "--max-diff-file-size", "2k"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out,
                 "# diffsmith: numbers.txt: over the 2 KiB size limit for diffs, new file, 8893 bytes "
                 "(8.7 KiB); not shown"));
  CHECK_FALSE(contains(r.out, "+1999"));

  auto again = start_mock(script({finish_turn("none")}));
  ProcResult bad = run_agent(repo, *again, "x", "true", {"--max-diff-file-size", "ten"});
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "--max-diff-file-size: 'ten' is not a size"));
}
