// PathCheck: the one check for every path the model names (read_file,
// list_files, search, edits in any form, a command's working folder). A path
// passes when a change there would show in the run's diff and nowhere else:
// inside the work tree, not under .git/, no symbolic link on the way, not
// ignored by git unless tracked, not inside a submodule or a nested
// repository; and, for edits, not diffsmith's own `.diffsmith.toml`, nor a
// tracked file outside a sparse checkout's set.
// The lexical part (absolute, '..', .git components) is text::normalize_repo_path.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "git/repository.hpp"

struct git_index;

namespace ds::git {

enum class PathUse {
  Read,  // read_file, search, list_files
  Edit,  // apply_edits, apply_patch, edits in plain text
};

class PathCheck {
 public:
  // Loads the repository's index (fresh from disk). Errors: ErrorKind::GitError.
  static Result<PathCheck> open(Repository& repo);

  PathCheck(PathCheck&& other) noexcept;
  PathCheck& operator=(PathCheck&&) = delete;
  PathCheck(const PathCheck&) = delete;
  PathCheck& operator=(const PathCheck&) = delete;
  ~PathCheck();

  // A file path as the model wrote it. Returns its clean repository-relative
  // form; the file need not exist (an edit may create it). Errors (kind
  // ErrorKind::PathRefused) say why the path is refused and what to do instead.
  Result<std::string> file(std::string_view path, PathUse use);

  // A folder (a command's working folder): "" or "." is the root, which is
  // returned as "". The folder must exist.
  Result<std::string> folder(std::string_view path);

  // The bytes of `rel` (as returned by file()), opened component by
  // component without following any symbolic link, so a link swapped in
  // after the check is still refused. std::nullopt when it does not exist;
  // an error when it is not a regular file or is larger than `max_bytes`.
  Result<std::optional<std::string>> read(const std::string& rel, size_t max_bytes);

 private:
  PathCheck(Repository& repo, git_index* index);
  std::optional<Error> check_parents(const std::string& rel, size_t end, std::string_view shown);
  std::optional<Error> check_folder(const std::string& dir);
  std::optional<Error> check_leaf(const std::string& rel, bool* exists);
  std::optional<Error> check_tracking(const std::string& rel, bool exists, bool is_dir);
  std::string link_hint(const std::string& rel) const;

  Repository* repo_;
  git_index* index_;
  std::string root_;
  std::string real_root_;
  struct FolderVerdict {
    std::optional<Error> refused;
  };
  const FolderVerdict& check_folder_cached(const std::string& dir);
  std::map<std::string, FolderVerdict> folders_;  // per folder checked, so a listing costs one lstat a file
};

// The name of the repository's diffsmith config file, which edits may not touch.
inline constexpr std::string_view kRepoConfigFile = ".diffsmith.toml";

}  // namespace ds::git
