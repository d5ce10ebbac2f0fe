// What the binary generates from its own command table: shell completions
// (loaded into real bash, zsh and fish), the man page (rendered by man), and
// `--version` (checked against pkg-config, curl-config and git, which know
// the same facts independently). Each option that `diffsmith run --help`
// lists must reach the completions and the man page: they cannot drift.
#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

bool have(const std::string& program) {
  return run_process({"/bin/sh", "-c", "command -v " + program + " >/dev/null"}).exit_code == 0;
}

std::string sh(const std::string& script, int* code = nullptr) {
  ProcResult r = run_process({"/bin/sh", "-c", script});
  INFO("sh -c " << script << "\nstderr: " << r.err);
  if (code)
    *code = r.exit_code;
  else
    REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string generated(const std::string& what, const std::string& dir) {
  std::vector<std::string> args;
  std::string word;
  for (char c : what + " ") {
    if (c == ' ') {
      if (!word.empty()) args.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  ProcResult r = run_diffsmith(args);
  INFO("diffsmith " << what << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  std::string path = dir + "/" + std::to_string(std::hash<std::string>{}(what));
  write_file(path, r.out);
  return path;
}

// The long options `diffsmith CMD --help` lists (CLI11's own rendering).
std::set<std::string> help_options(const std::string& cmd) {
  ProcResult r = run_diffsmith({cmd, "--help"});
  REQUIRE(r.exit_code == 0);
  std::set<std::string> out;
  std::regex re("--[a-z][a-z0-9-]+");
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), re); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  REQUIRE(out.size() > 3);
  return out;
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.insert(line.substr(0, line.find('\t')));
  return out;
}

// COMPREPLY of the bash completion for the words typed so far (the last is
// the word being completed).
std::set<std::string> bash_complete(const std::string& file, const std::vector<std::string>& words) {
  std::vector<std::string> argv = {
      "/bin/bash", "-c",
      "source \"$1\"; shift; COMP_WORDS=(\"$@\"); "
      "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _diffsmith; printf '%s\\n' \"${COMPREPLY[@]}\"",
      "bash", file};
  argv.insert(argv.end(), words.begin(), words.end());
  ProcResult r = run_process(argv);
  INFO("bash completion stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return lines_of(r.out);
}

}  // namespace

TEST_CASE("completions: bash loads the script and completes commands, options and values", "[completions]") {
  TempDir dir;
  std::string file = generated("completions bash", dir.path);
  CHECK(contains(sh("bash -c 'source \"$0\"; complete -p diffsmith' " + file), "-F _diffsmith diffsmith"));

  CHECK(bash_complete(file, {"diffsmith", "ru"}) == std::set<std::string>{"run"});
  CHECK(bash_complete(file, {"diffsmith", ""}).count("completions") == 1);
  CHECK(bash_complete(file, {"diffsmith", "run", "--edit-format", ""}) ==
        std::set<std::string>{"search-replace", "patch"});
  CHECK(bash_complete(file, {"diffsmith", "apply", "--format", ""}) ==
        std::set<std::string>{"auto", "search-replace", "patch"});
  CHECK(bash_complete(file, {"diffsmith", "completions", ""}) ==
        std::set<std::string>{"bash", "zsh", "fish"});
  // A value of a free kind falls back to file names (-o default): no words.
  CHECK(bash_complete(file, {"diffsmith", "run", "--task-file", ""}).empty());

  std::set<std::string> offered = bash_complete(file, {"diffsmith", "run", "--"});
  for (const auto& opt : help_options("run")) {
    INFO(opt << " (from run --help) is not completed");
    CHECK(offered.count(opt) == 1);
  }
  std::set<std::string> batch = bash_complete(file, {"diffsmith", "batch", "--"});
  CHECK(batch.count("--shard") == 1);
  CHECK(batch.count("--max-turns") == 1);  // the run options batch uses
  CHECK(batch.count("--task-file") == 0);  // one it ignores (accepted, with a note) is not offered
}

TEST_CASE("completions: zsh's compinit picks up _diffsmith", "[completions]") {
  if (!have("zsh")) {
    WARN("zsh is not installed; the zsh completion is not checked (CI installs it)");
    return;
  }
  TempDir dir;
  std::string file = generated("completions zsh", dir.path);
  sh("zsh -n " + file);
  fs::rename(file, dir.path + "/_diffsmith");
  std::string out = sh("HOME=" + dir.path + " zsh -f -c 'fpath=(\"$0\" $fpath); autoload -Uz compinit; " +
                       "compinit -u -D; print -r -- $_comps[diffsmith]; functions _diffsmith >/dev/null && " +
                       "print loaded' " + dir.path);
  CHECK(contains(out, "_diffsmith\n"));
}

TEST_CASE("completions: fish completes commands, options and values", "[completions]") {
  if (!have("fish")) {
    WARN("fish is not installed; the fish completion is not checked (CI installs it)");
    return;
  }
  TempDir dir;
  std::string file = generated("completions fish", dir.path);
  auto complete = [&](const std::string& line) {
    return lines_of(sh("HOME=" + dir.path + " fish --no-config -c 'source $argv[1]; complete -C $argv[2]' " +
                       file + " '" + line + "'"));
  };
  CHECK(complete("diffsmith ru") == std::set<std::string>{"run"});
  CHECK(complete("diffsmith run --edit-format ") == std::set<std::string>{"search-replace", "patch"});
  std::set<std::string> offered = complete("diffsmith run --");
  for (const auto& opt : help_options("run")) {
    INFO(opt << " (from run --help) is not completed by fish");
    CHECK(offered.count(opt) == 1);
  }
}

TEST_CASE("completions: an unknown shell is a usage error") {
  ProcResult r = run_diffsmith({"completions", "tcsh"});
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "unknown shell \"tcsh\""));
}

TEST_CASE("man page: every command and every run option, and man renders it without warnings") {
  ProcResult r = run_diffsmith({"manpage"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind(".\\\" Generated by", 0) == 0);
  CHECK(contains(r.out, ".TH DIFFSMITH 1"));
  for (const char* cmd :
       {"run", "batch", "apply", "parse", "undo", "log", "show", "map", "doctor", "demo", "completions"}) {
    INFO(cmd);
    CHECK(contains(r.out, std::string(".SS \"diffsmith ") + cmd));
  }
  // The hidden generator itself is not documented as a command.
  CHECK_FALSE(contains(r.out, ".SS \"diffsmith manpage"));

  TempDir dir;
  write_file(dir.path + "/diffsmith.1", r.out);
  if (!have("man")) {
    WARN("man is not installed; the page is not rendered");
    return;
  }
  int code = 0;
  std::string page =
      sh("MANWIDTH=120 man --warnings -l " + dir.path + "/diffsmith.1 2>" + dir.path + "/err", &code);
  CHECK(code == 0);
  CHECK(read_file(dir.path + "/err").empty());
  for (const auto& opt : help_options("run")) {
    INFO(opt << " (from run --help) is not in the man page");
    CHECK(contains(page, opt));
  }
}

TEST_CASE("version: --version shows the version, the commit, and the libraries' versions") {
  ProcResult r = run_diffsmith({"--version"});
  REQUIRE(r.exit_code == 0);
  std::smatch m;
  REQUIRE(
      std::regex_search(r.out, m, std::regex("^diffsmith [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit ([^)]+)\\)\n")));
  std::string commit = m[1];
  int code = 0;
  std::string head =
      sh(std::string("git -C ") + DIFFSMITH_SOURCE_DIR + " rev-parse --short=12 HEAD 2>/dev/null", &code);
  if (code == 0 && !head.empty()) {
    head.pop_back();
    INFO("the binary is older than the checkout's HEAD: rebuild");
    CHECK((commit == head || commit == head + "-dirty"));
  }
  std::string libgit2 = sh("pkg-config --modversion libgit2");
  CHECK(contains(r.out, "\nlibgit2 " + libgit2));
  std::string curl =
      sh("curl-config --version 2>/dev/null || pkg-config --modversion libcurl | sed 's/^/libcurl /'");
  CHECK(contains(r.out, "\n" + curl.substr(0, curl.size() - 1)));
  std::string simdjson = sh("pkg-config --modversion simdjson");
  CHECK(contains(r.out, "\nsimdjson " + simdjson.substr(0, simdjson.size() - 1) + " (compiled in)\n"));
  CHECK(contains(r.out, "\nlicence: Apache-2.0 "));
}
