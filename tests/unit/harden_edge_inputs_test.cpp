// Hardening: inputs at the edges, through the real binary (`diffsmith apply`
// and `diffsmith run` against the mock model): a 50 MB source file, binary
// files, invalid UTF-8, NUL bytes and lone surrogates in model output, a
// 10 MB reply, 10,000 edit blocks in one reply, paths with spaces and
// Unicode, a repository with no commits, a bare repository, and a repository
// that is a submodule of another.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

ProcResult apply_text(const TempRepo& repo, const std::string& edits, std::vector<std::string> extra = {}) {
  std::string input = repo.path(".git/harden-edits.txt");
  write_file(input, edits);
  std::vector<std::string> args = {"apply", input};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcOptions o;
  o.cwd = repo.root();
  o.timeout_s = 120;
  return run_diffsmith(args, o);
}

// Peak RSS of `argv` in kB via /usr/bin/time (0 when it is not installed).
long peak_rss_kb(const ProcResult& r) {
  size_t at = r.err.rfind("maxrss_kb=");
  return at == std::string::npos ? 0 : std::stol(r.err.substr(at + 10));
}

std::vector<std::string> timed(std::vector<std::string> argv) {
  if (!fs::exists("/usr/bin/time")) return argv;
  argv.insert(argv.begin(), {"/usr/bin/time", "-f", "maxrss_kb=%M"});
  return argv;
}

}  // namespace

// Speed is bench/'s business; these cases check that big inputs work, with
// bounded memory, and report their time as a warning only.
TEST_CASE("harden edges: a 50 MB source file is edited exactly, with bounded memory") {
  std::string big;
  big.reserve(52u << 20);
  for (int i = 0; i < 1000000; ++i) {
    char line[64];
    std::snprintf(line, sizeof line, "value_%07d = %d  # padding padding padding\n", i, i);
    big += line;
  }
  REQUIRE(big.size() > 49u * 1000 * 1000);
  TempRepo repo({{"big.py", big}});
  std::string edits =
      sr_block("big.py", "value_0500000 = 500000  # padding padding padding\n", "value_0500000 = -1\n") +
      sr_block("big.py", "value_0999999 = 999999  # padding padding padding\n", "last = True\n");
  write_file(repo.path(".git/e.txt"), edits);
  ProcOptions o;
  o.cwd = repo.root();
  o.timeout_s = 120;
  ProcResult r = run_process(timed({DIFFSMITH_BINARY, "apply", repo.path(".git/e.txt")}), o);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  std::string expected = big;
  auto replace_once = [&](const std::string& from, const std::string& to) {
    size_t at = expected.find(from);
    REQUIRE(at != std::string::npos);
    expected.replace(at, from.size(), to);
  };
  replace_once("value_0500000 = 500000  # padding padding padding\n", "value_0500000 = -1\n");
  replace_once("value_0999999 = 999999  # padding padding padding\n", "last = True\n");
  CHECK(repo.read("big.py") == expected);
  long kb = peak_rss_kb(r);
  WARN("50 MB file, 2 blocks: " << r.seconds << " s, peak RSS " << kb / 1024 << " MB");
  if (kb) CHECK(kb < 1500 * 1024);
}

TEST_CASE("harden edges: a binary file is refused and left alone, invalid UTF-8 survives byte for byte") {
  const char kPng[] = "PNG\0\x01\x02\xff\xfe binary\n";
  std::string binary(kPng, sizeof kPng - 1);
  std::string latin1 = "caf\xe9 = 1\nna\xefve = 2\nplain = 3\n";
  TempRepo repo({{"img.bin", binary}, {"latin.py", latin1}});
  ProcResult r = apply_text(repo, sr_block("img.bin", "binary\n", "text\n"));
  CHECK(r.exit_code != 0);
  CHECK(contains(r.err, "binary"));
  CHECK(repo.read("img.bin") == binary);

  // An edit of a plain line keeps the invalid bytes around it; a SEARCH that
  // holds them matches them exactly.
  r = apply_text(repo, sr_block("latin.py", "plain = 3\n", "plain = 4\n") +
                           sr_block("latin.py", "caf\xe9 = 1\n", "caf\xe9 = 10\n"));
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(repo.read("latin.py") == "caf\xe9 = 10\nna\xefve = 2\nplain = 4\n");
}

TEST_CASE("harden edges: NUL bytes and a lone surrogate in the model's output") {
  TempRepo repo({{"calc.py", "def add(a, b):\n    return a - b\n"}});
  // Turn 1: text with NULs and an unpaired \ud800 escape (legal JSON syntax
  // that simdjson refuses; it used to fail every retry of the request).
  // Turn 2: a block whose REPLACE holds a NUL (refused with a reason).
  // Turn 3: the fix.
  std::string raw_turn1 =
      "{\"text\": \"NUL\\u0000here, lone \\ud800 surrogate, pair \\ud83d\\ude00, low \\udfff\\n\"}";
  auto one = ds::json::parse(raw_turn1);
  REQUIRE(one.ok());  // our own reader takes the lone surrogates (as U+FFFD)
  CHECK(contains((*one)["text"].as_string(), "lone \xEF\xBF\xBD surrogate"));
  CHECK(contains((*one)["text"].as_string(), std::string("NUL\0here", 8)));
  std::string nul_block = sr_block("calc.py", "    return a - b\n", std::string("    return a\0 + b\n", 18));
  std::string entries =
      "[" + raw_turn1 + "," + ds::json::dump(edit_turn(nul_block)) + "," +
      ds::json::dump(edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n"))) + "]";
  auto mock = start_mock(entries);
  ProcResult r =
      run_agent(repo, *mock, "fix add", "grep -q 'a + b' calc.py", {"--json", "--max-retries", "1"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(mock->requests().size() == 3);  // no request was retried
  auto events = json_lines(r.out);      // every line is valid JSON
  bool refused = false;
  for (const auto& e : events)
    if (e["type"].as_string() == "edit" && contains(e["error"].as_string(), "NUL byte")) refused = true;
  CHECK(refused);
  CHECK(repo.read("calc.py") == "def add(a, b):\n    return a + b\n");
  std::istringstream traj(repo.trajectories());
  int lines = 0;
  for (std::string line; std::getline(traj, line); ++lines) {
    INFO("trajectory line " << lines);
    REQUIRE(ds::json::parse(line).ok());
  }
  CHECK(lines > 3);
}

TEST_CASE("harden edges: a 10 MB model reply is taken whole, with bounded memory") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string filler;
  for (int i = 0; filler.size() < (10u << 20); ++i)
    filler += "Thinking out loud, line " + std::to_string(i) + ".\n";
  // Usage as a real server would count it would cost more than --max-cost.
  Value big = Value::object().set("text", filler).set("fragment", 1 << 20);
  big.set("usage", Value::object().set("prompt_tokens", 1000).set("completion_tokens", 1000));
  auto mock = start_mock(script({big, edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions o;
  o.cwd = repo.root();
  o.timeout_s = 120;
  // --max-cost 0: the reply goes back to the model whole, an estimated 2.6M
  // tokens, which the default --max-cost would refuse to send; memory is the point here.
  ProcResult r = run_process(timed({DIFFSMITH_BINARY, "run", "fix a.txt", "-t", "grep -q fixed a.txt",
                                    "--base-url", mock->base_url(), "--quiet", "--max-cost", "0"}),
                             o);
  INFO("stderr tail: " << r.err.substr(r.err.size() > 1500 ? r.err.size() - 1500 : 0));
  CHECK(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  // The whole reply went back to the model as the assistant message.
  bool whole = false;
  for (const auto& m : messages_of(reqs[1]))
    if (m["role"].as_string() == "assistant" && m["content"].as_string() == filler) whole = true;
  CHECK(whole);
  long kb = peak_rss_kb(r);
  WARN("10 MB reply: " << r.seconds << " s, peak RSS " << kb / 1024 << " MB");
  if (kb) CHECK(kb < 600 * 1024);
}

TEST_CASE("harden edges: 10,000 edit blocks in one reply") {
  std::string file, blocks = "m.py\n```python\n", failing = "m.py\n```python\n";
  for (int i = 0; i < 10000; ++i) {
    std::string n = std::to_string(i);
    file += "line_" + n + " = " + n + "\n";
    blocks +=
        "<<<<<<< SEARCH\nline_" + n + " = " + n + "\n=======\nline_" + n + " = -" + n + "\n>>>>>>> REPLACE\n";
    failing += "<<<<<<< SEARCH\nnot_there_" + n + " = " + n + "\n=======\nx = 1\n>>>>>>> REPLACE\n";
  }
  blocks += "```\n";
  failing += "```\n";
  TempRepo repo({{"m.py", file}});

  SECTION("all applied, through diffsmith run") {
    auto mock = start_mock(script({edit_turn(blocks).set("fragment", 65536)}));
    ProcOptions o;
    o.timeout_s = 120;
    ProcResult r = run_agent(repo, *mock, "negate", "grep -q 'line_9999 = -9999' m.py", {"--quiet"}, o);
    INFO("stderr tail: " << r.err.substr(r.err.size() > 1500 ? r.err.size() - 1500 : 0));
    CHECK(r.exit_code == 0);
    std::string want;
    for (int i = 0; i < 10000; ++i) want += "line_" + std::to_string(i) + " = -" + std::to_string(i) + "\n";
    CHECK(repo.read("m.py") == want);
    WARN("10,000 applied blocks: run took " << r.seconds << " s");
  }
  SECTION("all failing: the model gets a bounded report") {
    auto mock = start_mock(script({edit_turn(failing).set("fragment", 65536)}));
    ProcOptions o;
    o.timeout_s = 120;
    ProcResult r = run_agent(repo, *mock, "negate", "false", {"--quiet", "--max-turns", "1"}, o);
    INFO("stderr tail: " << r.err.substr(r.err.size() > 1500 ? r.err.size() - 1500 : 0));
    CHECK(r.exit_code == 1);
    CHECK(repo.read("m.py") == file);
    WARN("10,000 failing blocks: run took " << r.seconds << " s");
    // The feedback is in the trajectory: the tool message answering the call.
    std::string traj = repo.trajectories();
    // (the last mention: the tool_result event before it holds only a bounded excerpt)
    size_t at = traj.rfind("10000 of 10000 edit blocks failed.");
    REQUIRE(at != std::string::npos);
    size_t end = traj.find('\n', at);
    CHECK(end - at < 64 * 1024);
    CHECK(contains(traj.substr(at, end - at), "9980 more failed block(s) are not explained here"));
    CHECK(contains(traj.substr(at, end - at), "Block 20 (m.py)"));
    CHECK_FALSE(contains(traj.substr(at, end - at), "Block 21 (m.py)"));
  }
}

TEST_CASE("harden edges: paths with spaces and Unicode, in both edit formats") {
  const std::string path = "src/my dir/na\xc3\xafve \xe6\x96\x87\xe4\xbb\xb6.py";
  const std::string before = "def f():\n    return 1\n";
  TempRepo repo({{path, before}, {"other.py", "x = 1\n"}});
  TempDir scratch;
  std::string test_cmd = "grep -q 'return 2' '" + path + "'";
  std::string patch_file = scratch.path + "/out.patch";

  SECTION("SEARCH/REPLACE with the path bare on its line, after a block for another file") {
    // The bare path with spaces used to be refused as a path, so the block
    // silently went to the previous block's file (other.py).
    std::string edits =
        sr_block("other.py", "x = 1\n", "x = 2\n") + sr_block(path, "    return 1\n", "    return 2\n");
    auto mock = start_mock(script({edit_turn(edits)}));
    ProcResult r = run_agent(repo, *mock, "return 2", test_cmd, {"--output-patch", patch_file});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(repo.read(path) == "def f():\n    return 2\n");
    CHECK(repo.read("other.py") == "x = 2\n");
  }
  SECTION("V4A") {
    std::string patch =
        "*** Begin Patch\n*** Update File: " + path +
        "\n@@ def f():\n-    return 1\n+    return 2\n*** Add File: new dir/\xc3\xa9t\xc3\xa9.txt\n+hi\n"
        "*** End Patch\n";
    auto mock = start_mock(script({turn({tool_call("apply_patch", Value::object().set("input", patch))})}));
    ProcResult r = run_agent(repo, *mock, "return 2", test_cmd,
                             {"--edit-format", "patch", "--output-patch", patch_file});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(repo.read(path) == "def f():\n    return 2\n");
    CHECK(repo.read("new dir/\xc3\xa9t\xc3\xa9.txt") == "hi\n");
  }
  // The run's patch applies with git to a fresh copy of the repository.
  TempRepo fresh({{path, before}, {"other.py", "x = 1\n"}});
  int code = -1;
  fresh.git({"apply", patch_file}, true, &code);
  CHECK(code == 0);
  CHECK(fresh.read(path) == "def f():\n    return 2\n");
}

TEST_CASE("harden edges: a repository with no commits yet") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}}, /*commit=*/false);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  int code = -1;
  repo.git({"rev-parse", "--verify", "HEAD"}, true, &code);
  CHECK(code != 0);  // the user's (unborn) branch was not committed to
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
}

TEST_CASE("harden edges: a bare repository is a clear error") {
  TempDir dir;
  ProcResult init = run_process({"/usr/bin/git", "init", "-q", "--bare", dir.path + "/bare.git"});
  REQUIRE(init.exit_code == 0);
  ProcOptions o;
  o.cwd = dir.path + "/bare.git";
  ProcResult r = run_diffsmith({"run", "fix it", "-t", "true", "--base-url", "http://127.0.0.1:9/v1"}, o);
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "bare repository"));
  CHECK(contains(r.err, "clone"));
  r = run_diffsmith({"apply", "-C", dir.path + "/bare.git", "/dev/null"});
  CHECK(r.exit_code != 0);
  CHECK(contains(r.err, "bare"));
}

TEST_CASE("harden edges: a run inside a submodule edits the submodule only") {
  TempRepo lib({{"lib.py", "def g():\n    return 'broken'\n"}});
  TempRepo super({{"main.py", "import sub.lib\n"}});
  super.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.root(), "sub"});
  super.git({"commit", "-q", "-m", "add submodule"});
  auto mock =
      start_mock(script({edit_turn(sr_block("lib.py", "    return 'broken'\n", "    return 'fixed'\n"))}));
  ProcOptions o;
  o.cwd = super.path("sub");
  ProcResult r = run_agent(super, *mock, "fix g", "grep -q fixed lib.py", {}, o);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(super.read("sub/lib.py") == "def g():\n    return 'fixed'\n");
  CHECK(super.read("main.py") == "import sub.lib\n");
  // The superproject only sees its submodule's work tree modified.
  std::string status = super.git({"status", "--short"});  // " m": modified content, no new commits
  CHECK(status == " m sub\n");
  CHECK_FALSE(fs::exists(super.path(".git/modules/sub/diffsmith/lock")));
  CHECK(fs::exists(super.path(".git/modules/sub/diffsmith/runs")));
  int code = -1;
  super.git({"fsck", "--no-dangling"}, true, &code);
  CHECK(code == 0);
}
