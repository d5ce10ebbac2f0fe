// Finding, capping and rendering the project instructions (agent/instructions.hpp).
#include "agent/instructions.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "text/byte_size.hpp"
#include "text/utf8.hpp"

namespace ds::agent {
namespace {

namespace fs = std::filesystem;

struct Found {
  InstructionFile file;
  std::string abs;
  std::string content;  // up to the cap
};

// A regular file (not a link, unless `follow`), its size; false when absent.
bool probe(const std::string& abs, InstructionFile& f, bool follow) {
  struct stat st;
  if ((follow ? ::stat(abs.c_str(), &st) : ::lstat(abs.c_str(), &st)) != 0) return false;
  if (S_ISLNK(st.st_mode))
    f.skipped = "a symbolic link";
  else if (!S_ISREG(st.st_mode))
    f.skipped = "not a regular file";
  f.bytes = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
  return true;
}

// The user's own file may be a link (dotfile managers make them); a
// repository's may not.
void consider(const std::string& abs, const std::string& shown, std::vector<Found>& out,
              bool follow = false) {
  Found f;
  f.file.path = shown;
  f.abs = abs;
  if (probe(abs, f.file, follow)) out.push_back(std::move(f));
}

// The folders from the root down to `cwd`, as repository-relative prefixes
// ("", "pkg/", "pkg/sub/"); just the root when cwd is outside it.
std::vector<std::string> chain(const std::string& root, const std::string& cwd) {
  std::vector<std::string> dirs = {""};
  if (cwd.empty()) return dirs;
  std::error_code ec;
  fs::path r = fs::weakly_canonical(root, ec), c = fs::weakly_canonical(cwd, ec);
  fs::path rel = c.lexically_relative(r);
  if (rel.empty() || *rel.begin() == "..") return dirs;
  std::string prefix;
  for (const auto& part : rel) {
    if (part == "." || part.empty()) continue;
    prefix += part.string() + "/";
    dirs.push_back(prefix);
  }
  return dirs;
}

std::string home_relative(const std::string& path) {
  const char* home = std::getenv("HOME");
  if (home && *home && path.rfind(std::string(home) + "/", 0) == 0)
    return "~" + path.substr(std::string(home).size());
  return path;
}

// Reads the first `limit` bytes, cut back to the last line end when short
// of the whole file.
std::string read_prefix(const std::string& abs, uint64_t limit, uint64_t size) {
  std::ifstream in(abs, std::ios::binary);
  std::string s(static_cast<size_t>(std::min(limit, size)), '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(in.gcount()));
  if (s.size() < size) {
    size_t nl = s.rfind('\n');
    s.resize(nl == std::string::npos ? 0 : nl + 1);
  }
  return s;
}

}  // namespace

Instructions load_instructions(const std::string& root, const InstructionOptions& o) {
  Instructions result;
  if (!o.enabled) return result;
  std::vector<Found> found;
  if (!o.user_file.empty()) consider(o.user_file, home_relative(o.user_file), found, true);
  size_t repo_first = found.size();
  std::vector<std::string> dirs = root.empty() ? std::vector<std::string>{} : chain(root, o.cwd);
  for (const auto& d : dirs) consider(root + "/" + d + "AGENTS.md", d + "AGENTS.md", found);
  if (found.size() == repo_first &&
      !root.empty()) {  // no AGENTS.md in the repository: the other agents' files
    consider(root + "/.github/copilot-instructions.md", ".github/copilot-instructions.md", found);
    for (const auto& d : dirs) consider(root + "/" + d + "CLAUDE.md", d + "CLAUDE.md", found);
  }
  // Room for the nearest first: they take precedence.
  uint64_t left = o.max_bytes;
  for (size_t i = found.size(); i-- > 0;) {
    Found& f = found[i];
    if (!f.file.skipped.empty()) continue;
    f.content = read_prefix(f.abs, left, f.file.bytes);
    if (text::looks_binary(f.content)) {
      f.file.skipped = "binary";
      f.content.clear();
      continue;
    }
    f.content = text::sanitize_utf8(f.content);
    f.file.included = std::min<uint64_t>(f.content.size(), f.file.bytes);
    left -= std::min(left, static_cast<uint64_t>(f.content.size()));
  }
  std::string body;
  for (auto& f : found) {
    result.files.push_back(f.file);
    if (!f.file.skipped.empty()) continue;
    const InstructionFile& i = f.file;
    bool cut = i.included < i.bytes;
    std::string cap = "the " + text::size_text(o.max_bytes) + " cap on project instructions";
    std::string title = i.path.rfind("~", 0) == 0 || i.path.rfind("/", 0) == 0
                            ? "The user's instructions (" + i.path + ")"
                            : i.path;
    body += "## " + title + "\n\n";
    if (i.included == 0) {
      body += "[left out: " + std::to_string(i.bytes) + " bytes, no room left under " + cap + "]\n\n";
      continue;
    }
    body += f.content;
    if (!f.content.empty() && f.content.back() != '\n') body += "\n";
    if (cut)
      body += "[cut: only the first " + std::to_string(i.included) + " of " + std::to_string(i.bytes) +
              " bytes fit " + cap + "]\n";
    body += "\n";
  }
  if (body.empty()) return result;
  result.text =
      "# Project instructions\n\nThe project's instruction files, the user's own first, then the "
      "repository's "
      "from its root down to the working directory. Follow them where they apply to the task; where they "
      "disagree, a later file takes precedence. They guide how you work; they do not change the task.\n\n" +
      body;
  return result;
}

std::string Instructions::summary() const {
  std::string s;
  for (const auto& f : files) {
    s += (s.empty() ? "" : ", ") + f.path + " (";
    if (!f.skipped.empty())
      s += "skipped: " + f.skipped;
    else if (f.included == f.bytes)
      s += std::to_string(f.bytes) + " bytes";
    else if (f.included == 0)
      s += std::to_string(f.bytes) + " bytes, left out: over the cap";
    else
      s += std::to_string(f.included) + " of " + std::to_string(f.bytes) + " bytes, cut at the cap";
    s += ")";
  }
  return s;
}

}  // namespace ds::agent
