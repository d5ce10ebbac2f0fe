// Applying, inspecting and splitting raw `diff --git` patches with libgit2.
#include "git/patch_apply.hpp"

#include <algorithm>
#include <set>

#include "git/handles.hpp"

namespace ds::git {
namespace {

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// git writes "diff --git a/new file.txt b/new file.txt" unquoted, and libgit2
// 1.5 then cannot apply the patch of a NEW file with a space in its name
// ("invalid argument: 'filename'"). Quoting such headers (both names equal)
// makes libgit2 read them as git would.
std::string quote_spaced_headers(std::string_view patch) {
  const std::string_view kHead = "diff --git a/";
  std::string out;
  out.reserve(patch.size() + 16);
  size_t pos = 0;
  while (pos < patch.size()) {
    size_t nl = patch.find('\n', pos);
    size_t end = nl == std::string_view::npos ? patch.size() : nl + 1;
    std::string_view line = patch.substr(pos, end - pos);
    pos = end;
    std::string_view body = line.substr(0, line.size() - (line.back() == '\n' ? 1 : 0));
    if (body.substr(0, kHead.size()) == kHead && body.size() > kHead.size() + 3) {
      std::string_view rest = body.substr(kHead.size());  // P + " b/" + P
      size_t n = (rest.size() - 3) / 2;
      std::string_view p1 = rest.substr(0, n);
      if ((rest.size() - 3) % 2 == 0 && rest.substr(n, 3) == " b/" && rest.substr(n + 3) == p1 &&
          p1.find(' ') != std::string_view::npos && p1.find_first_of("\"\\\t") == std::string_view::npos) {
        out += "diff --git \"a/" + std::string(p1) + "\" \"b/" + std::string(p1) + "\"\n";
        continue;
      }
    }
    out += line;
  }
  return out;
}

Result<DiffPtr> parse_patch(std::string_view raw, const std::string& what) {
  ensure_libgit2();
  std::string patch = quote_spaced_headers(raw);  // libgit2 copies the text it parses
  git_diff* diff = nullptr;
  if (git_diff_from_buffer(&diff, patch.data(), patch.size()) != 0)
    return git_failure("cannot parse " + what + " as a `diff --git` patch; it must be git diff output",
                       ErrorKind::ApplyFailed);
  return DiffPtr(diff);
}

// Offsets of the lines that start with "diff --git ".
std::vector<size_t> section_starts(std::string_view patch) {
  std::vector<size_t> out;
  size_t pos = 0;
  while (pos < patch.size()) {
    if (patch.compare(pos, 11, "diff --git ") == 0) out.push_back(pos);
    size_t nl = patch.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

}  // namespace

Status apply_patch_text(Repository& repo, std::string_view patch, bool update_index) {
  if (blank(patch)) return Ok{};
  auto diff = parse_patch(patch, "the patch for " + repo.root());
  if (!diff) return diff.error();
  git_apply_location_t where = update_index ? GIT_APPLY_LOCATION_BOTH : GIT_APPLY_LOCATION_WORKDIR;
  if (git_apply(repo.raw(), diff->get(), where, nullptr) != 0) {
    // git_apply takes index.lock even for the work tree alone.
    std::string lock = index_lock_problem(repo);
    if (!lock.empty())
      return make_error("cannot apply the patch to " + repo.root() + ": " + lock + "; nothing was changed",
                        ErrorKind::Locked);
    return git_failure(
        "the patch does not apply to the work tree of " + repo.root() +
            " (libgit2 applies hunks only at their exact lines; was it made against this commit?); "
            "nothing was changed",
        ErrorKind::ApplyFailed);
  }
  return Ok{};
}

Result<std::vector<std::string>> patch_paths(std::string_view patch) {
  std::vector<std::string> out;
  if (blank(patch)) return out;
  auto diff = parse_patch(patch, "the patch");
  if (!diff) return diff.error();
  std::set<std::string> paths;
  for (size_t i = 0, n = git_diff_num_deltas(diff->get()); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff->get(), i);
    for (const char* p : {d->old_file.path, d->new_file.path})
      if (p && *p) paths.insert(p);
  }
  out.assign(paths.begin(), paths.end());
  return out;
}

Result<std::vector<PatchFile>> split_patch(std::string_view patch) {
  std::vector<PatchFile> out;
  std::vector<size_t> starts = section_starts(patch);
  for (size_t i = 0; i < starts.size(); ++i) {
    size_t end = i + 1 < starts.size() ? starts[i + 1] : patch.size();
    std::string_view text = patch.substr(starts[i], end - starts[i]);
    auto diff = parse_patch(text, "file section " + std::to_string(i + 1) + " of the patch");
    if (!diff) return diff.error();
    PatchFile f;
    f.text = std::string(text);
    if (git_diff_num_deltas(diff->get()) > 0) {
      const git_diff_delta* d = git_diff_get_delta(diff->get(), 0);
      f.old_path = d->old_file.path ? d->old_file.path : "";
      f.new_path = d->new_file.path ? d->new_file.path : "";
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::string> patch_without(std::string_view patch, const std::vector<std::string>& paths) {
  auto files = split_patch(patch);
  if (!files) return files.error();
  auto listed = [&](const std::string& p) { return std::find(paths.begin(), paths.end(), p) != paths.end(); };
  std::string out;
  for (const auto& f : *files)
    if (!listed(f.old_path) && !listed(f.new_path)) out += f.text;
  return out;
}

Status check_patch_applies(Repository& repo, const std::string& rev, std::string_view patch) {
  if (blank(patch)) return Ok{};
  auto tree = find_tree(repo, rev);
  if (!tree) return tree.error();
  auto diff = parse_patch(patch, "the patch");
  if (!diff) return diff.error();
  git_index* raw = nullptr;
  if (git_apply_to_tree(&raw, repo.raw(), tree->get(), diff->get(), nullptr) != 0)
    return git_failure("the patch does not apply to " + rev + " in " + repo.root(), ErrorKind::ApplyFailed);
  IndexPtr owned(raw);
  return Ok{};
}

}  // namespace ds::git
