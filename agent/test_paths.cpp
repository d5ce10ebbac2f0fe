// The table of test paths, and the files a test command runs.
#include "agent/test_paths.hpp"

#include <algorithm>
#include <array>

namespace ds::agent {

namespace {

// Folders whose files are tests (any component of the path).
// (Not "testing": numpy.testing and the like are library code.)
constexpr std::array<std::string_view, 7> kTestDirs = {"test",      "tests",         "spec",    "specs",
                                                       "__tests__", "__snapshots__", "testdata"};
constexpr std::array<std::string_view, 2> kTestFileNames = {"conftest.py", "tests.py"};

// File names: prefix, suffix (both must match; "" matches anything).
struct NameRule {
  std::string_view prefix, suffix;
};
constexpr std::array<NameRule, 28> kTestNames = {{
    {"test_", ".py"},  {"", "_test.py"},  {"", "_tests.py"}, {"", "_test.go"},   {"", ".test.js"},
    {"", ".spec.js"},  {"", ".test.ts"},  {"", ".spec.ts"},  {"", ".test.jsx"},  {"", ".spec.jsx"},
    {"", ".test.tsx"}, {"", ".spec.tsx"}, {"", ".test.mjs"}, {"", ".test.cjs"},  {"", "_spec.rb"},
    {"", "_test.rb"},  {"test_", ".rb"},  {"", "Test.java"}, {"", "Tests.java"}, {"", "Test.kt"},
    {"", "_test.cc"},  {"", "_test.cpp"}, {"test_", ".c"},   {"test_", ".cpp"},  {"", "Tests.cs"},
    {"", "Test.php"},  {"", "_test.exs"}, {"", ".bats"},
}};

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Words of a shell command line, split at blanks and at ; & | ( ), quotes
// removed. Good enough for test commands; not a shell parser.
std::vector<std::vector<std::string>> simple_commands(const std::string& line) {
  std::vector<std::vector<std::string>> out(1);
  std::string word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&] {
    if (in_word) out.back().push_back(word);
    word.clear();
    in_word = false;
  };
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      end_word();
    } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
      end_word();
      if (!out.back().empty()) out.emplace_back();
    } else {
      word += c;
      in_word = true;
    }
  }
  end_word();
  return out;
}

bool is_interpreter(std::string_view program) {
  static constexpr std::array<std::string_view, 14> kInterpreters = {
      "sh",   "bash", "dash", "zsh", "python", "python3", "python2",
      "node", "ruby", "perl", "php", "deno",   "bun",     "pwsh"};
  std::string_view name = base_name(program);
  if (name.starts_with("python3.")) return true;
  return std::find(kInterpreters.begin(), kInterpreters.end(), name) != kInterpreters.end();
}

bool is_test_runner(std::string_view program) {
  std::string_view name = base_name(program);
  return name == "pytest" || name == "py.test" || name == "unittest" || name == "nose2" || name == "mocha" ||
         name == "jest" || name == "vitest" || name == "rspec" || name == "bats";
}

std::string normalized(std::string path) {
  while (path.starts_with("./")) path.erase(0, 2);
  if (size_t sep = path.find("::"); sep != std::string::npos) path.resize(sep);  // pytest node ids
  return path;
}

}  // namespace

bool is_test_path(std::string_view path) {
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) break;
    std::string_view dir = path.substr(start, slash - start);
    if (std::find(kTestDirs.begin(), kTestDirs.end(), dir) != kTestDirs.end()) return true;
    start = slash + 1;
  }
  std::string_view name = base_name(path);
  if (std::find(kTestFileNames.begin(), kTestFileNames.end(), name) != kTestFileNames.end()) return true;
  for (const NameRule& r : kTestNames)
    if (name.size() > r.prefix.size() + r.suffix.size() && name.starts_with(r.prefix) &&
        name.ends_with(r.suffix))
      return true;
  return false;
}

std::vector<std::string> test_command_files(const std::string& command,
                                            const std::function<bool(const std::string&)>& exists) {
  std::vector<std::string> files;
  auto add = [&](std::string path) {
    path = normalized(std::move(path));
    if (path.empty() || path.starts_with("-") || path.starts_with("/") || !exists(path)) return false;
    if (std::find(files.begin(), files.end(), path) == files.end()) files.push_back(path);
    return true;
  };
  for (auto& words : simple_commands(command)) {
    size_t i = 0;
    while (i < words.size() && words[i].find('=') != std::string::npos && !words[i].starts_with("-")) ++i;
    if (i < words.size() && (words[i] == "env" || words[i] == "exec" || words[i] == "timeout")) ++i;
    while (i < words.size() && words[i].find('=') != std::string::npos) ++i;
    if (i >= words.size()) continue;
    const std::string& program = words[i];
    if (add(program)) continue;  // ./check.sh
    bool runner = is_test_runner(program);
    if (is_interpreter(program)) {
      for (size_t j = i + 1; j < words.size(); ++j) {
        if (words[j] == "-m" && j + 1 < words.size()) {
          runner = is_test_runner(words[j + 1]);
          i = j + 1;
          break;
        }
        if (words[j] == "-c") break;  // inline code
        if (words[j].starts_with("-")) continue;
        add(words[j]);  // the script
        break;
      }
    }
    if (!runner) continue;
    // pytest/unittest arguments: files, node ids, dotted module names.
    for (size_t j = i + 1; j < words.size(); ++j) {
      const std::string& w = words[j];
      if (w.starts_with("-")) continue;
      if (add(w)) continue;
      if (w.find('/') == std::string::npos) {
        std::string module = w;
        std::replace(module.begin(), module.end(), '.', '/');
        // a.b.TestX.test_y: the longest prefix that is a file
        while (!module.empty()) {
          if (add(module + ".py")) break;
          size_t slash = module.rfind('/');
          if (slash == std::string::npos) break;
          module.resize(slash);
        }
      }
    }
  }
  return files;
}

bool only_test_files(const std::vector<std::string>& paths, const std::vector<std::string>& command_files) {
  if (paths.empty()) return false;
  return std::all_of(paths.begin(), paths.end(), [&](const std::string& p) {
    return is_test_path(p) || std::find(command_files.begin(), command_files.end(), p) != command_files.end();
  });
}

}  // namespace ds::agent
