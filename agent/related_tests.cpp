// related_tests: the edited files' definitions (repomap's extractor), then
// every tracked test file's references checked against them.
#include "agent/related_tests.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <string_view>

#include "agent/test_paths.hpp"
#include "exec/program.hpp"
#include "repomap/language.hpp"
#include "repomap/repo_files.hpp"
#include "repomap/symbols.hpp"

namespace ds::agent {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string out;
  out.resize(kMaxFileBytes);
  in.read(out.data(), static_cast<std::streamsize>(kMaxFileBytes));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

std::string base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// The file name without its extensions (calc.spec.ts → calc.spec → calc).
std::string stem(std::string_view path) {
  std::string b = base_name(path);
  return b.substr(0, b.find('.'));
}

// A definition worth following: not a dunder, not a word every file uses.
bool distinctive(std::string_view name) {
  static const std::set<std::string_view> common = {"main", "test", "tests", "setup", "run",  "get",
                                                    "set",  "init", "self",  "cls",   "data", "value"};
  if (name.size() < 3 || common.count(name)) return false;
  return !(name.size() > 4 && name.substr(0, 2) == "__" && name.substr(name.size() - 2) == "__");
}

bool named_after(const std::string& test_path, const std::set<std::string>& modules) {
  std::string b = base_name(test_path);
  std::string s = b.substr(0, b.find('.'));  // test_calc.py → test_calc; calc.spec.ts → calc
  for (const auto& m : modules) {
    if (s == "test_" + m || s == m + "_test" || s == m + "_tests" || s == "test" + m || s == m + "Test" ||
        s == m + "Tests" || s == m + "_spec")
      return true;
    if (s == m && b.size() > m.size() &&
        (b.find(".test.") != std::string::npos || b.find(".spec.") != std::string::npos))
      return true;
    if (s == m && is_test_path(test_path)) return true;  // tests/calc.py
  }
  return false;
}

}  // namespace

std::vector<std::string> related_tests(const std::string& root, const std::vector<std::string>& edited) {
  std::vector<std::string> out;
  if (edited.empty()) return out;
  auto files = repomap::list_repo_files(root);
  if (!files.ok()) return out;
  std::string dir = files->workdir;
  std::set<std::string> defined, modules;
  std::set<std::string> edited_set(edited.begin(), edited.end());
  for (const auto& path : edited) {
    modules.insert(stem(path));
    std::string content = read_text(dir + path);
    auto symbols = repomap::extract_symbols(repomap::language_for_path(path), content);
    for (const auto& d : symbols.defs)
      if (distinctive(d.name)) defined.insert(std::string(d.name));
  }
  for (const auto& f : files->files) {
    if (!is_test_path(f.path)) continue;
    bool related = edited_set.count(f.path) > 0 || named_after(f.path, modules);
    if (!related && !defined.empty()) {
      auto lang = repomap::language_for_path(f.path);
      std::string content = read_text(dir + f.path);
      auto symbols = repomap::extract_symbols(lang, content);
      related = std::any_of(symbols.refs.begin(), symbols.refs.end(), [&](const repomap::Reference& r) {
        return defined.count(std::string(r.name)) > 0;
      });
    }
    if (related) out.push_back(f.path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string with_related_tests(const std::string& command, const std::string& root,
                               const std::vector<std::string>& edited) {
  const std::string key = "{related_tests}";
  if (command.find(key) == std::string::npos) return command;
  std::string list;
  for (const auto& t : related_tests(root, edited)) list += (list.empty() ? "" : " ") + exec::shell_quote(t);
  std::string out = command;
  for (size_t pos = 0; (pos = out.find(key, pos)) != std::string::npos; pos += list.size())
    out.replace(pos, key.size(), list);
  return out;
}

}  // namespace ds::agent
