// The command line's small courtesies, through the real binary: a mistyped
// command gets the nearest one, the top-level help keeps one column for the
// descriptions, and the man page names each option's value for what it is.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

TEST_CASE("cli: a mistyped command says which command was meant") {
  for (auto [typed, meant] : {std::pair{"rn", "run"},
                              {"shw", "show"},
                              {"doctr", "doctor"},
                              {"completion", "completions"},
                              {"bach", "batch"}}) {
    ProcResult r = run_diffsmith({typed, "--help"});
    INFO(typed << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, std::string("unknown command \"") + typed + "\"; did you mean " + meant + "?"));
    CHECK(r.out.empty());
  }
  ProcResult far = run_diffsmith({"xyzzy"});
  CHECK(far.exit_code == 2);
  CHECK(contains(far.err, "unknown command \"xyzzy\""));
  CHECK_FALSE(contains(far.err, "did you mean"));
  // Real commands and options still parse.
  CHECK(run_diffsmith({"completions", "bash"}).exit_code == 0);
  CHECK(run_diffsmith({"--version"}).exit_code == 0);
}

TEST_CASE("cli: --help lists the commands with their descriptions in one column") {
  ProcResult r = run_diffsmith({"--help"});
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.out);
  std::string line;
  bool in_commands = false;
  size_t column = 0, rows = 0;
  while (std::getline(in, line)) {
    if (line == "commands:") {
      in_commands = true;
      continue;
    }
    if (!in_commands) continue;
    if (line.empty()) break;
    INFO(line);
    size_t name_end = line.find(' ', 2);
    REQUIRE(name_end != std::string::npos);
    size_t desc = line.find_first_not_of(' ', name_end);
    CHECK(desc - name_end >= 2);  // at least two spaces between name and description
    if (column == 0) column = desc;
    CHECK(desc == column);
    ++rows;
  }
  CHECK(rows >= 12);
  CHECK(contains(r.out, "  completions  print a shell completion script"));
}

TEST_CASE("man page: an option's value is named by what it is (--continue RUN, not CONTINUE)") {
  ProcResult r = run_diffsmith({"manpage"});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "\\fB\\-\\-continue\\fR \\fI[RUN]\\fR"));
  CHECK_FALSE(contains(r.out, "CONTINUE"));
  // Options without a given name keep the last word of their long name.
  CHECK(contains(r.out, "\\fB\\-\\-max\\-turns\\fR \\fITURNS\\fR"));
  CHECK_FALSE(contains(r.out, "\\fITEXT\\fR"));
  CHECK_FALSE(contains(r.out, "\\fIINT\\fR"));
}

TEST_CASE("apply: a failed block's reason is stated once, then one line for the whole") {
  TempRepo repo({{"a.txt", "hello\nworld\n"}});
  std::string edits = sr_block("a.txt", "helo\n", "HELLO\n") + sr_block("a.txt", "world\n", "WORLD\n");
  write_file(repo.path("edits.txt"), edits);
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith({"apply", "edits.txt"}, o);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = r.err.find(what); at != std::string::npos; at = r.err.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("SEARCH does not match") == 1);
  CHECK(contains(r.err, "block 1 a.txt: failed: SEARCH does not match"));
  CHECK(contains(r.err, "block 2 a.txt: applied"));
  CHECK(contains(r.err, "the closest lines in a.txt:"));
  CHECK(count("nothing was written") == 1);
  CHECK(contains(r.err, "1 of 2 edit blocks failed; nothing was written (all or nothing; --partial writes"));
  CHECK_FALSE(contains(r.err, "Do not resend"));  // the model's wording is not the user's
  CHECK(repo.read("a.txt") == "hello\nworld\n");

  ProcResult partial = run_diffsmith({"apply", "--partial", "edits.txt"}, o);
  CHECK(partial.exit_code == 1);
  CHECK(contains(partial.err, "1 of 2 edit blocks failed; the blocks that applied were written (--partial)"));
  CHECK(repo.read("a.txt") == "hello\nWORLD\n");
}

namespace {

size_t occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "doctor e2e: starts the sandbox, tries the test command within a limit, names an unknown price once") {
  TempRepo repo({{"a.txt", "hello\n"}});
  auto mock = start_mock(R"([{"text": "ok", "model": "qwen2.5-coder-7b"}, {"text": "ok"}])");
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith({"doctor", "--base-url", mock->base_url(), "-m", "qwen2.5-coder-7b", "-t",
                                "echo first line; echo FAILED test_one; exit 3"},
                               o);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(occurrences(r.out + r.err, "cost unknown for model qwen2.5-coder-7b") == 1);
  bool sandbox_works = contains(r.out, "  sandbox              ok: ran `true` in it in ");
  if (!sandbox_works) {
    CHECK(contains(r.out, "  sandbox              cannot be used: "));
    CHECK(contains(r.out, "not tried: the sandbox the tests need cannot be used"));
    WARN("bwrap does not work here: the sandbox and the test run in it are not tried");
  } else {
    CHECK(contains(r.out, "  test run             failed (exit 3) in "));
    CHECK(contains(r.out, "(in the sandbox)"));
    CHECK(contains(r.out, "    FAILED test_one\n"));
  }

  // Unsandboxed (as the settings allow), a test command that would not end is stopped at the limit.
  auto start = std::chrono::steady_clock::now();
  ProcResult slow = run_diffsmith({"doctor", "--base-url", mock->base_url(), "-t", "sleep 30",
                                   "--test-timeout", "1", "--no-sandbox-tests"},
                                  o);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(slow.out << slow.err);
  CHECK(slow.exit_code == 0);
  CHECK(contains(slow.out, "running the test command (at most 1 s): sleep 30"));
  CHECK(contains(slow.out, "  test run             stopped after 1 s (no verdict yet)   (unsandboxed)"));
  CHECK(took < 10);
}

TEST_CASE("docs: the user's documents describe fields, not the project's history") {
  std::vector<std::string> docs = {std::string(DIFFSMITH_SOURCE_DIR) + "/README.md"};
  for (const auto& e : fs::directory_iterator(std::string(DIFFSMITH_SOURCE_DIR) + "/docs"))
    if (e.path().extension() == ".md") docs.push_back(e.path().string());
  REQUIRE(docs.size() > 3);
  std::regex history(
      R"((added|new|changed) in (session|issue|version) [0-9]|\bsession [0-9]+\b|\bissue [0-9]+\b)",
      std::regex::icase);
  for (const auto& path : docs) {
    std::string text = read_file(path);
    std::smatch m;
    bool dated = std::regex_search(text, m, history);
    INFO(path << ": " << (dated ? m.str() : std::string()));
    CHECK_FALSE(dated);
  }
}

TEST_CASE("batch --help: lists the options batch uses, not the run options it ignores") {
  ProcResult r = run_diffsmith({"batch", "--help"});
  REQUIRE(r.exit_code == 0);
  for (const char* used :
       {"--out", "--workers", "--test-cmd", "--max-turns", "--max-cost", "--model", "--report", "--sandbox",
        "--no-commands", "--command-timeout"}) {  // a task's commands run in the sandbox, as in run
    INFO(used);
    CHECK(contains(r.out, used));
  }
  for (const char* ignored : {"--commit", "--branch", "--json", "--output-patch", "--output-repro",
                              "--allow-dirty", "--task-file", "--no-test"}) {
    INFO(ignored);
    CHECK_FALSE(contains(r.out, std::string(ignored) + " "));
    CHECK_FALSE(contains(r.out, std::string(ignored) + "\n"));
  }
  // The man page's batch section agrees.
  ProcResult man = run_diffsmith({"manpage"});
  REQUIRE(man.exit_code == 0);
  size_t batch = man.out.find(".SS \"diffsmith batch");
  REQUIRE(batch != std::string::npos);
  std::string section = man.out.substr(batch, man.out.find(".SS", batch + 4) - batch);
  CHECK(contains(section, "\\-\\-workers"));
  CHECK_FALSE(contains(section, "\\-\\-commit"));
  CHECK_FALSE(contains(section, "\\-\\-output\\-patch"));
}
