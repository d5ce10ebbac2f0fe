// Project instructions (AGENTS.md): found from the user's config and the
// repository root down to the working directory, in that order; the other
// agents' files only without an AGENTS.md; capped with nearer files first;
// links skipped; in the first message, byte-stable across turns; never a
// setting; named by doctor, the run's notice and `show`; off with
// --no-instructions. Real repositories, the real binary against the mock.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "agent/cli/doctor.hpp"
#include "agent/instructions.hpp"
#include "support/fake_session.hpp"

using namespace ds;
using namespace ds::test::e2e;
using agent::InstructionOptions;
using agent::load_instructions;

namespace {

std::vector<std::string> paths(const agent::Instructions& i) {
  std::vector<std::string> out;
  for (const auto& f : i.files) out.push_back(f.path);
  return out;
}

// `text` positions of each needle, in order; fails when one is missing.
bool in_order(const std::string& text, const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const auto& n : needles) {
    size_t found = text.find(n, at);
    if (found == std::string::npos) return false;
    at = found + n.size();
  }
  return true;
}

std::string lines(const std::string& tag, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += tag + " line " + std::to_string(i) + " of the instructions.\n";
  return s;
}

}  // namespace

TEST_CASE("instructions: the user's file, then root down to the working directory, nearer later") {
  TempRepo repo({{"AGENTS.md", "ROOT: use tabs\n"},
                 {"pkg/AGENTS.md", "PKG: run make check\n"},
                 {"pkg/sub/AGENTS.md", "SUB: never touch gen/\n"},
                 {"other/AGENTS.md", "OTHER: not on the path\n"},
                 {"CLAUDE.md", "CLAUDE: only without AGENTS.md\n"},
                 {"pkg/sub/x.py", "x = 1\n"}});
  TempDir cfg;
  write_file(cfg.path + "/AGENTS.md", "USER: answer tersely\n");
  InstructionOptions o;
  o.user_file = cfg.path + "/AGENTS.md";
  o.cwd = repo.path("pkg/sub");
  auto found = load_instructions(repo.root(), o);
  CHECK(paths(found) ==
        std::vector<std::string>{cfg.path + "/AGENTS.md", "AGENTS.md", "pkg/AGENTS.md", "pkg/sub/AGENTS.md"});
  CHECK(in_order(found.text, {"# Project instructions", "USER: answer tersely", "## AGENTS.md",
                              "ROOT: use tabs", "## pkg/AGENTS.md", "PKG: run make check",
                              "## pkg/sub/AGENTS.md", "SUB: never touch gen/"}));
  CHECK(!contains(found.text, "OTHER"));
  CHECK(!contains(found.text, "CLAUDE"));
  for (const auto& f : found.files) CHECK(f.included == f.bytes);

  SECTION("from the root only the root's") {
    o.cwd = repo.root();
    CHECK(paths(load_instructions(repo.root(), o)) ==
          std::vector<std::string>{cfg.path + "/AGENTS.md", "AGENTS.md"});
  }
  SECTION("off") {
    o.enabled = false;
    auto none = load_instructions(repo.root(), o);
    CHECK(none.files.empty());
    CHECK(none.text.empty());
  }
}

TEST_CASE("instructions: CLAUDE.md and copilot-instructions.md only when the repository has no AGENTS.md") {
  TempRepo repo({{"CLAUDE.md", "CLAUDE ROOT\n"},
                 {"pkg/CLAUDE.md", "CLAUDE PKG\n"},
                 {".github/copilot-instructions.md", "COPILOT\n"},
                 {"pkg/x.py", "x = 1\n"}});
  TempDir cfg;
  write_file(cfg.path + "/AGENTS.md", "USER\n");  // the user's AGENTS.md is not the repository's
  InstructionOptions o;
  o.user_file = cfg.path + "/AGENTS.md";
  o.cwd = repo.path("pkg");
  auto found = load_instructions(repo.root(), o);
  CHECK(paths(found) == std::vector<std::string>{cfg.path + "/AGENTS.md", ".github/copilot-instructions.md",
                                                 "CLAUDE.md", "pkg/CLAUDE.md"});
  CHECK(in_order(found.text, {"USER", "COPILOT", "CLAUDE ROOT", "CLAUDE PKG"}));
  repo.write("pkg/AGENTS.md", "AGENTS PKG\n");
  found = load_instructions(repo.root(), o);
  CHECK(paths(found) == std::vector<std::string>{cfg.path + "/AGENTS.md", "pkg/AGENTS.md"});
}

TEST_CASE("instructions: the cap gives nearer files room first, cuts at a line end and says so") {
  std::string root_text = lines("ROOT", 100), pkg_text = lines("PKG", 60), sub_text = lines("SUB", 40);
  TempRepo repo({{"AGENTS.md", root_text}, {"pkg/AGENTS.md", pkg_text}, {"pkg/sub/AGENTS.md", sub_text}});
  InstructionOptions o;
  o.cwd = repo.path("pkg/sub");
  o.max_bytes = sub_text.size() + pkg_text.size() / 2;
  auto found = load_instructions(repo.root(), o);
  REQUIRE(found.files.size() == 3);
  const auto &root = found.files[0], &pkg = found.files[1], &sub = found.files[2];
  CHECK(sub.included == sub_text.size());  // nearest: whole
  CHECK(pkg.included > 0);
  CHECK(pkg.included < pkg_text.size());
  CHECK(pkg_text[pkg.included - 1] == '\n');  // cut at a line end
  CHECK(root.included == 0);                  // no room left
  CHECK(sub.included + pkg.included <= o.max_bytes);
  CHECK(contains(found.text, "[cut: only the first " + std::to_string(pkg.included) + " of " +
                                 std::to_string(pkg_text.size()) + " bytes fit"));
  CHECK(contains(found.text, "[left out: " + std::to_string(root_text.size()) + " bytes"));
  CHECK(!contains(found.text, "ROOT line"));
  CHECK(contains(found.text, pkg_text.substr(0, pkg.included)));
  CHECK(!contains(found.text, pkg_text.substr(0, pkg.included + 20)));
  CHECK(contains(found.summary(), "pkg/AGENTS.md (" + std::to_string(pkg.included) + " of "));
  CHECK(contains(found.summary(), "left out"));
}

TEST_CASE("instructions: a repository's AGENTS.md that is a link is skipped, not followed") {
  TempDir outside;
  write_file(outside.path + "/secret.txt", "SECRET-TOKEN-123\n");
  TempRepo repo({{"x.py", "x = 1\n"}});
  std::filesystem::create_symlink(outside.path + "/secret.txt", repo.path("AGENTS.md"));
  auto found = load_instructions(repo.root(), InstructionOptions{});
  REQUIRE(found.files.size() == 1);
  CHECK(found.files[0].skipped == "a symbolic link");
  CHECK(!contains(found.text, "SECRET"));
}

TEST_CASE("instructions: in the first message, byte-stable across turns, named in a notice") {
  TempRepo repo({{"money.py", "def cents(x):\n    return int(x * 100)\n"}, {"AGENTS.md", "Use round().\n"}});
  for (bool enabled : {true, false}) {
    INFO("instructions " << (enabled ? "on" : "off"));
    test::session::Harness h(repo);
    h.cfg.instructions.enabled = enabled;
    h.tests_pass_when([](const TempRepo& r) { return contains(r.read("money.py"), "round("); });
    h.client.script = {test::session::calls({{"read_file", R"({"path":"money.py"})"}}),
                       test::session::edit_reply("money.py", "    return int(x * 100)\n",
                                                 "    return int(round(x * 100))\n")};
    (void)h.run();
    REQUIRE(h.client.requests.size() == 2);
    const auto& first = h.client.requests[0].messages;
    REQUIRE(first.size() >= 2);
    CHECK(contains(first[1].content, "Use round().") == enabled);
    CHECK(first[1].content == h.client.requests[1].messages[1].content);
    CHECK(first[0].content == h.client.requests[1].messages[0].content);
    bool named = false;
    for (const auto& e : h.events.of_type("notice"))
      named |= contains(e["message"].as_string(), "project instructions: AGENTS.md (13 bytes)");
    CHECK(named == enabled);
    repo.git({"checkout", "-q", "--", "money.py"});
  }
}

TEST_CASE("instructions: never a setting, doctor lists them, run -C reads down to it, show names them") {
  // Text that looks like settings: it reaches the model and changes nothing.
  const std::string settings_like = "max_turns = 1\nmodel = \"evil-model\"\nbase_url = \"http://evil\"\n";
  TempRepo repo({{"calc.py", "def add(a, b):\n    return a - b\n"},
                 {"AGENTS.md", settings_like},
                 {"pkg/AGENTS.md", "PKG: keep it small\n"},
                 {"pkg/x.py", "x = 1\n"}});
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/AGENTS.md", "USER: my own rules\n");
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  opts.env["OPENAI_API_KEY"] = "sk-test";
  opts.cwd = repo.root();
  auto mock = start_mock(script(
      {read_turn("calc.py"), edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n"))}));
  ProcResult r = run_diffsmith({"run", "fix add", "-t", "grep -q 'a + b' calc.py", "--base-url",
                                mock->base_url(), "-C", repo.path("pkg"), "--max-cost", "0"},
                               opts);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  auto log = mock->requests();
  REQUIRE(log.size() == 2);  // max_turns = 1 in AGENTS.md did not stop it after one
  CHECK(log[0]["body"]["model"].as_string() == "gpt-4.1");
  std::string first = messages_of(log[0])[1]["content"].as_string();
  CHECK(in_order(first, {"USER: my own rules", "max_turns = 1", "PKG: keep it small", "# Task"}));
  CHECK(messages_of(log[1])[1]["content"].as_string() == first);

  ProcResult show = run_diffsmith({"show"}, opts);
  CHECK(contains(show.out, "project instructions: ~/") == false);  // HOME is not XDG here
  CHECK(contains(show.out, "project instructions: " + xdg.path +
                               "/diffsmith/AGENTS.md (19 bytes), AGENTS.md (" +
                               std::to_string(settings_like.size()) + " bytes), pkg/AGENTS.md (19 bytes)"));

  // doctor's listing (no request needed for it).
  agent::Settings s;
  std::ostringstream out;
  setenv("XDG_CONFIG_HOME", xdg.path.c_str(), 1);
  agent::print_instructions(s, repo.root(), repo.path("pkg"), out);
  unsetenv("XDG_CONFIG_HOME");
  CHECK(in_order(out.str(), {"project instructions (AGENTS.md; cap 32768 bytes):", "diffsmith/AGENTS.md",
                             "19 bytes", "AGENTS.md", std::to_string(settings_like.size()) + " bytes",
                             "pkg/AGENTS.md", "19 bytes"}));
  agent::Settings off;
  off.flags["no-instructions"] = {"true", "--no-instructions"};
  std::ostringstream out_off;
  agent::print_instructions(off, repo.root(), repo.path("pkg"), out_off);
  CHECK(contains(out_off.str(), "off (--no-instructions)"));
}
