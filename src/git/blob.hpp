// Reading a file as it was in a commit (a checkpoint), for building the
// final patch of a run from exactly the files the run edited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// The bytes of `path` in `commit`'s tree; std::nullopt when the path is not
// in that tree. Errors: ErrorKind::NotFound for an unknown commit, ErrorKind::GitError.
Result<std::optional<std::string>> file_at_commit(Repository& repo, const std::string& commit,
                                                  const std::string& path);

// The hex blob id of `path` in `commit`'s tree (file or symbolic link);
// std::nullopt when the path is not in that tree.
Result<std::optional<std::string>> blob_id_at_commit(Repository& repo, const std::string& commit,
                                                     const std::string& path);

struct BlobInfo {
  std::string id;     // hex
  uint64_t size = 0;  // bytes, from the object's header
};

// The blob of `path` in `commit`'s tree without reading its content;
// std::nullopt when the path is not a file or link in that tree.
Result<std::optional<BlobInfo>> blob_info_at_commit(Repository& repo, const std::string& commit,
                                                    const std::string& path);

}  // namespace ds::git
