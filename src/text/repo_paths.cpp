// Repository path normalisation and safe reads from a work tree.
#include "text/repo_paths.hpp"

#include <optional>
#include <system_error>
#include <vector>

#include "base/file_io.hpp"
#include "text/utf8.hpp"

namespace ds::text {
namespace {

bool is_git_dir_name(std::string_view c) {
  if (c.size() != 4 || c[0] != '.') return false;
  for (size_t i = 1; i < 4; ++i) {
    char ch = static_cast<char>(c[i] | 0x20);  // ASCII lower-case
    if (ch != "git"[i - 1]) return false;
  }
  return true;
}

Error path_error(std::string_view path, std::string_view why, std::string_view what_to_do) {
  std::string shown(path.substr(0, 200));
  return make_error("invalid path '" + shown + "': " + std::string(why) + "; " + std::string(what_to_do));
}

// "C:x" (a drive letter) and "~" / "~/x" (a home folder) at the start of
// `p`; errors quote `shown`, the path as written.
std::optional<Error> drive_or_home(std::string_view p, std::string_view shown) {
  constexpr std::string_view kRelative = "give the path relative to the repository root, like src/app.py";
  if (p.size() >= 2 && p[1] == ':' && ((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z')))
    return path_error(shown, "it is absolute (a drive letter)", kRelative);
  if (p == "~" || p.substr(0, 2) == "~/")
    return path_error(shown, "it is relative to a home folder", kRelative);
  return std::nullopt;
}

// The shared body of normalize_repo_path (a file) and normalize_repo_dir.
Result<std::string> normalize(std::string_view path, bool folder) {
  constexpr std::string_view kRelative = "give the path relative to the repository root, like src/app.py";
  if (path.empty() && folder) return std::string();
  if (path.empty()) return path_error(path, "the path is empty", kRelative);
  for (char c : path) {
    if (c == '\0') return path_error(path, "it contains a NUL byte", kRelative);
    if (c == '\n' || c == '\r') return path_error(path, "it contains a line break", kRelative);
    if (c == '\\') return path_error(path, "it contains a backslash", "separate folders with '/'");
  }
  if (path.front() == '/') return path_error(path, "it is absolute", kRelative);
  if (auto bad = drive_or_home(path, path)) return *bad;
  if (path.back() == '/' && !folder)
    return path_error(path, "it names a folder, not a file", "name the file itself");

  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return path_error(path, "'..' leads outside the repository", kRelative);
      parts.pop_back();
      continue;
    }
    if (is_git_dir_name(part)) {
      return path_error(path, "files under .git/ belong to git itself", "edit files of the work tree only");
    }
    parts.push_back(part);
  }
  if (parts.empty() && folder) return std::string();
  if (parts.empty()) return path_error(path, "it names the repository root, not a file", "name a file");

  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out.append(parts[i]);
  }
  // "./C:x" and "./~/x" clean to forms refused above: the result must pass
  // the same checks (found by fuzz_path_check: normalising is idempotent).
  if (auto bad = drive_or_home(out, path)) return *bad;
  return out;
}

}  // namespace

Result<std::string> normalize_repo_path(std::string_view path) { return normalize(path, false); }

Result<std::string> normalize_repo_dir(std::string_view path) { return normalize(path, true); }

Result<std::optional<std::string>> read_repo_file(const std::filesystem::path& root, std::string_view path) {
  namespace fs = std::filesystem;
  auto clean = normalize_repo_path(path);
  if (!clean) return clean.error();
  const std::string& rel = *clean;

  // Walk the components so that a symbolic link anywhere on the way is seen:
  // git stores a link as the link text, so neither reading nor patching
  // through it would mean what the model thinks.
  fs::path current = root;
  size_t start = 0;
  while (true) {
    size_t slash = rel.find('/', start);
    bool last = slash == std::string::npos;
    current /= rel.substr(start, last ? std::string::npos : slash - start);
    std::error_code ec;
    fs::file_status st = fs::symlink_status(current, ec);
    if (ec || st.type() == fs::file_type::not_found) {
      if (st.type() == fs::file_type::not_found || ec == std::errc::no_such_file_or_directory) {
        return std::optional<std::string>();
      }
      return make_error("cannot inspect '" + rel + "': " + ec.message() + "; check the file's permissions");
    }
    std::string so_far = rel.substr(0, last ? std::string::npos : slash);
    if (st.type() == fs::file_type::symlink) {
      return make_error("'" + so_far + "' is a symbolic link; edit the file it points to instead");
    }
    if (last) {
      if (st.type() == fs::file_type::directory) {
        return make_error("'" + rel + "' is a folder, not a file; name a file inside it");
      }
      if (st.type() != fs::file_type::regular) {
        return make_error("'" + rel + "' is not a regular file; only regular files can be edited");
      }
      break;
    }
    if (st.type() != fs::file_type::directory) {
      return make_error("'" + so_far + "' is a file, so '" + rel + "' cannot exist; check the path");
    }
    start = slash + 1;
  }

  auto bytes = read_whole_file(current.string());
  if (!bytes) return make_error("cannot read '" + rel + "'; check the file's permissions");
  std::string data = std::move(*bytes);
  if (text::looks_binary(data)) {
    return make_error("'" + rel + "' is a binary file; diffsmith only edits text files");
  }
  return std::optional<std::string>(std::move(data));
}

}  // namespace ds::text
