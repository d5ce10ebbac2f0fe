// diff_commits (git_diff_tree_to_tree + git_diff_to_buf), diff_for_display
// (the same, one delta at a time, sizes checked first) and patch_of_paths.
#include "git/diff.hpp"

#include "diff/unified_diff.hpp"
#include "git/blob.hpp"
#include "git/blob_stream.hpp"
#include "git/handles.hpp"

namespace ds::git {
namespace {

using PatchPtr = Handle<git_patch, git_patch_free>;

constexpr const char* kNotShown = "not shown";
constexpr const char* kLeftOut = "left out of this patch";

bool is_file(uint16_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

// One side of a change: the blob, if that side is a file.
struct Side {
  std::optional<git_oid> id;
  uint64_t size = 0;
};

Result<Side> side_of(Repository& repo, const git_diff_file& f, bool exists) {
  if (!exists || !is_file(f.mode) || git_oid_is_zero(&f.id)) return Side{};
  auto size = blob_size(repo, f.id);
  if (!size) return size.error();
  return Side{f.id, *size};
}

// Whether a change is shown, and its bytes when it is. Binary first (the
// first 8000 bytes of each side, as git decides), then the size limit; a
// side over the limit is never read beyond those 8000 bytes.
struct Classified {
  diff::OmittedFile file;
  std::optional<std::string> before, after;  // when shown: the sides' bytes
};

Result<Classified> classify(Repository& repo, const std::string& path, const Side& before, const Side& after,
                            uint64_t limit) {
  Classified c;
  c.file = diff::OmittedFile{path, diff::Omission::None, {}, limit};
  if (before.id) c.file.sizes.before = before.size;
  if (after.id) c.file.sizes.after = after.size;
  bool over = diff::omission_by_size(c.file.sizes, limit) == diff::Omission::OverLimit;
  auto read = [&](const Side& side) -> Result<std::optional<std::string>> {
    if (!side.id) return std::optional<std::string>();
    auto bytes = over ? blob_head(repo, *side.id, 8000) : blob_bytes(repo, *side.id);
    if (!bytes) return bytes.error();
    return std::optional<std::string>(std::move(*bytes));
  };
  auto old_bytes = read(before);
  if (!old_bytes) return old_bytes.error();
  auto new_bytes = read(after);
  if (!new_bytes) return new_bytes.error();
  c.file.why = diff::omission_by_content(old_bytes->value_or(""), new_bytes->value_or(""));
  if (c.file.why == diff::Omission::None && over) c.file.why = diff::Omission::OverLimit;
  if (c.file.why == diff::Omission::None) {
    c.before = std::move(*old_bytes);
    c.after = std::move(*new_bytes);
  }
  return c;
}

Result<DiffPtr> tree_diff(Repository& repo, const std::string& from_commit, const std::string& to_commit,
                          uint32_t flags) {
  ensure_libgit2();
  auto from = find_tree(repo, from_commit);
  if (!from) return from.error();
  auto to = find_tree(repo, to_commit);
  if (!to) return to.error();
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 3;
  opts.flags = flags;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo.raw(), from->get(), to->get(), &opts) != 0)
    return git_failure("cannot diff " + from_commit + ".." + to_commit);
  return DiffPtr(raw);
}

}  // namespace

Result<std::string> diff_commits(Repository& repo, const std::string& from_commit,
                                 const std::string& to_commit) {
  // SHOW_BINARY: a binary change becomes a "GIT binary patch" that git apply
  // can apply, instead of "Binary files differ", which it cannot.
  auto diff = tree_diff(repo, from_commit, to_commit, GIT_DIFF_SHOW_BINARY);
  if (!diff) return diff.error();
  Buf buf;
  if (git_diff_to_buf(&buf.buf, diff->get(), GIT_DIFF_FORMAT_PATCH) != 0)
    return git_failure("cannot format the diff " + from_commit + ".." + to_commit);
  return buf.str();
}

Result<LimitedDiff> diff_for_display(Repository& repo, const std::string& from_commit,
                                     const std::string& to_commit, uint64_t max_file_size) {
  // FORCE_TEXT: what is binary is decided here, by the same rule as the
  // run's patch (diff::omission_by_content), not by libgit2's own.
  auto diff = tree_diff(repo, from_commit, to_commit, GIT_DIFF_FORCE_TEXT);
  if (!diff) return diff.error();
  LimitedDiff out;
  std::string sections;
  for (size_t i = 0, n = git_diff_num_deltas(diff->get()); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff->get(), i);
    std::string path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
    auto before = side_of(repo, d->old_file, d->status != GIT_DELTA_ADDED);
    if (!before) return before.error();
    auto after = side_of(repo, d->new_file, d->status != GIT_DELTA_DELETED);
    if (!after) return after.error();
    auto c = classify(repo, path, *before, *after, max_file_size);
    if (!c) return c.error();
    if (c->file.why != diff::Omission::None) {
      out.omitted.push_back(std::move(c->file));
      continue;
    }
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff->get(), i) != 0) return git_failure("cannot diff " + path);
    PatchPtr patch(raw);
    Buf buf;
    if (raw && git_patch_to_buf(&buf.buf, raw) != 0) return git_failure("cannot format the diff of " + path);
    sections += buf.str();
    out.shown.push_back(path);
  }
  out.text = diff::omitted_notes(out.omitted, kNotShown) + sections;
  return out;
}

Result<LimitedDiff> patch_of_paths(Repository& repo, const std::string& from_commit,
                                   const std::string& to_commit, const std::vector<std::string>& paths,
                                   uint64_t max_file_size) {
  ensure_libgit2();
  LimitedDiff out;
  std::string sections;
  for (const auto& path : paths) {
    auto before = blob_info_at_commit(repo, from_commit, path);
    if (!before) return before.error();
    auto after = blob_info_at_commit(repo, to_commit, path);
    if (!after) return after.error();
    if (!*before && !*after) continue;
    if (*before && *after && (*before)->id == (*after)->id) continue;
    auto side = [](const std::optional<BlobInfo>& info) {
      Side s;
      if (!info) return s;
      git_oid id;
      git_oid_fromstr(&id, info->id.c_str());
      s.id = id;
      s.size = info->size;
      return s;
    };
    auto c = classify(repo, path, side(*before), side(*after), max_file_size);
    if (!c) return c.error();
    if (c->file.why != diff::Omission::None) {
      out.omitted.push_back(std::move(c->file));
      continue;
    }
    std::string section =
        diff::unified_diff_file(diff::FileChange{path, std::move(c->before), std::move(c->after)});
    if (section.empty()) continue;  // the same bytes (only the mode changed)
    sections += section;
    out.shown.push_back(path);
  }
  out.text = diff::omitted_notes(out.omitted, kLeftOut) + sections;
  return out;
}

}  // namespace ds::git
