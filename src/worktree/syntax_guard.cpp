// The syntax guard (syntax_guard.hpp): checkers by extension, run on a
// temporary copy, the base checked only when the new content fails.
#include "worktree/syntax_guard.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "edit/line_numbers.hpp"
#include "exec/program.hpp"
#include "exec/sandbox.hpp"

namespace ds::worktree {
namespace {

// Python's compile() parses without writing bytecode (no __pycache__).
constexpr const char* kPython =
    "python3 -S -c 'import sys; compile(open(sys.argv[1], \"rb\").read(), sys.argv[1], \"exec\", "
    "dont_inherit=True)' {file}";

constexpr size_t kMessageLines = 12;  // the parser's output kept for the model
constexpr int kContext = 5;           // numbered lines either side of the error

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// The last lines of `s` (a Python traceback ends with the error).
std::string last_lines(const std::string& s, size_t n) {
  std::string t = s;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  size_t at = t.size();
  for (size_t i = 0; i < n && at != std::string::npos && at > 0; ++i) at = t.rfind('\n', at - 1);
  return at == std::string::npos || at == 0 ? t : t.substr(at + 1);
}

int digits_at(const std::string& s, size_t at) {
  int n = 0;
  bool any = false;
  while (at < s.size() && s[at] >= '0' && s[at] <= '9' && n < 100000000) {
    n = n * 10 + (s[at++] - '0');
    any = true;
  }
  return any ? n : 0;
}

// The error's line in a checker's output: after the file's name
// (`x.py", line 3`, `x.js:3`, `x.sh: line 3:`, `x.go:3:5:`), else the first
// "line N" (php: "on line 3").
int error_line(const std::string& out, const std::string& file) {
  for (size_t at = out.find(file); at != std::string::npos; at = out.find(file, at + 1)) {
    size_t p = at + file.size();
    if (p < out.size() && out[p] == '"') ++p;
    if (p < out.size() && out[p] == ':' && digits_at(out, p + 1) > 0) return digits_at(out, p + 1);
    while (p < out.size() && (out[p] == ',' || out[p] == ':' || out[p] == ' ')) ++p;
    if (out.compare(p, 5, "line ") == 0 && digits_at(out, p + 5) > 0) return digits_at(out, p + 5);
  }
  size_t at = out.find("line ");
  return at == std::string::npos ? 0 : digits_at(out, at + 5);
}

// The first line where `after` differs from `before` (1-based).
int first_changed_line(const std::string& before, const std::string& after) {
  size_t n = std::min(before.size(), after.size()), i = 0;
  while (i < n && before[i] == after[i]) ++i;
  return 1 + static_cast<int>(std::count(after.begin(), after.begin() + static_cast<long>(i), '\n'));
}

std::string program_of(const std::string& command) {
  size_t b = command.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return command.substr(b, command.find_first_of(" \t", b) - b);
}

}  // namespace

std::string file_extension(const std::string& path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot + 1 == path.size())
    return {};
  if (dot == (slash == std::string::npos ? 0 : slash + 1)) return {};  // .bashrc: a name, not an extension
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string builtin_syntax_command(const std::string& ext) {
  if (ext == "py" || ext == "pyi") return kPython;
  if (ext == "js" || ext == "mjs" || ext == "cjs") return "node --check {file}";
  if (ext == "sh" || ext == "bash") return "bash -n {file}";
  if (ext == "go") return "gofmt -e -l {file}";
  if (ext == "rb") return "ruby -c {file}";
  if (ext == "php") return "php -l {file}";
  return {};
}

SyntaxGuard::SyntaxGuard(SyntaxGuardConfig cfg, exec::ProcessRunner& runner)
    : cfg_(std::move(cfg)), runner_(runner) {}

std::vector<std::string> SyntaxGuard::take_notes() {
  std::lock_guard<std::mutex> hold(mu_);
  return std::exchange(notes_, {});
}

std::string SyntaxGuard::command_for(const std::string& ext) const {
  if (auto it = cfg_.commands.find(ext); it != cfg_.commands.end())
    return it->second == "off" ? std::string() : it->second;
  return builtin_syntax_command(ext);
}

SyntaxGuard::Verdict SyntaxGuard::run(const std::string& path, const std::string& ext,
                                      const std::string& content) {
  Verdict v;
  if (ext == "json" && !cfg_.commands.count("json")) {
    ++checks_;
    v.ran = true;
    if (auto err = json_syntax_error(content)) {
      v.ok = false;
      v.message = "invalid JSON: " + err->first;
      v.line = err->second;
    }
    return v;
  }
  std::string command = command_for(ext);
  if (command.empty()) return v;
  std::string program = program_of(command);
  auto missing = [&](const std::string& why) {
    if (noted_.emplace(program, true).second)
      notes_.push_back("syntax guard: " + why + ", so ." + ext + " files are not checked");
  };
  if (exec::find_program(program).empty()) {
    missing("no `" + program + "` on PATH");
    return v;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string dir =
      cfg_.scratch_dir + "/check-" + std::to_string(::getpid()) + "-" + std::to_string(++serial_);
  fs::create_directories(dir, ec);
  std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  std::string copy = dir + "/" + name;
  {
    std::ofstream out(copy, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      fs::remove_all(dir, ec);
      missing("the copy to check could not be written in " + cfg_.scratch_dir);
      return v;
    }
  }
  exec::RunRequest req;
  req.command = replace_all(command, "{file}", exec::shell_quote(copy));
  req.cwd = cfg_.cwd.empty() ? dir : cfg_.cwd;
  req.timeout = cfg_.timeout;
  req.output_cap = 64 << 10;
  req.scrub = exec::secret_env_patterns();
  auto r = runner_.run(req);
  fs::remove_all(dir, ec);
  ++checks_;
  if (!r.ok()) {
    missing("`" + program + "` could not be started (" + r.error().message + ")");
    return v;
  }
  if (r->timed_out || r->interrupted) return v;  // no verdict: the edit is not blamed
  if (r->exit_code == 126 || r->exit_code == 127) {
    missing("`" + program + "` could not be run where the checks run (exit code " +
            std::to_string(r->exit_code) + ")");
    return v;
  }
  v.ran = true;
  v.ok = r->exit_code == 0;
  if (!v.ok) {
    v.line = error_line(r->output, copy);
    v.message = replace_all(last_lines(r->output, kMessageLines), copy, path);
    v.message = replace_all(v.message, dir + "/", "");
  }
  return v;
}

std::optional<SyntaxProblem> SyntaxGuard::check(const diff::FileChange& change) {
  if (!change.after) return std::nullopt;
  std::lock_guard<std::mutex> hold(mu_);
  std::string ext = file_extension(change.path);
  if (ext.empty()) return std::nullopt;
  Verdict after = run(change.path, ext, *change.after);
  if (!after.ran || after.ok) return std::nullopt;
  if (change.before) {
    Verdict before = run(change.path, ext, *change.before);
    if (!before.ran || !before.ok) return std::nullopt;  // broken on the base: not this edit's doing
  }
  SyntaxProblem p;
  p.path = change.path;
  std::string command = command_for(ext);
  p.checker = command.empty() ? "json" : program_of(command);
  p.message = after.message;
  p.line = after.line > 0 ? after.line : first_changed_line(change.before.value_or(""), *change.after);
  return p;
}

std::string syntax_refusal(const SyntaxProblem& p, const std::string& new_content) {
  std::string out = "with this edit " + p.path + " no longer parses (" + p.checker +
                    "), so it was not written and the file is unchanged";
  out += p.message.empty() ? ".\n" : ":\n" + p.message + "\n";
  // The numbered lines around the error, as the edit would have left them.
  std::vector<std::string_view> lines;
  std::string_view rest = new_content;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    lines.push_back(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  int at = std::clamp(p.line, 1, std::max(1, static_cast<int>(lines.size())));
  int from = std::max(1, at - kContext), to = std::min(static_cast<int>(lines.size()), at + kContext);
  if (from <= to) {
    out += "Lines " + std::to_string(from) + "-" + std::to_string(to) + " of " + p.path +
           " as the edit would leave them (line numbers are not part of the file):\n```\n";
    for (int i = from; i <= to; ++i) out += edit::number_line(static_cast<size_t>(i), lines[i - 1]) + "\n";
    out += "```\n";
  }
  out += "Fix the edit so the file parses and resend it.";
  return out;
}

}  // namespace ds::worktree
