// journal_writes / read_journal: one "<blob id or -> <escaped path>\n" line
// per file, appended with O_APPEND before the files are written.
#include "worktree/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/atomic_write.hpp"
#include "git/handles.hpp"
#include "worktree/lock.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles
namespace {

// A file name for a ref: '%' and '/' percent-encoded.
Result<std::string> journal_file(git::Repository& repo, const std::string& ref) {
  return diffsmith_file(repo, "journal", ref);
}

// Paths may hold any byte but NUL: escape the two that would break a line.
std::string escape(const std::string& path) {
  std::string out;
  for (char c : path) out += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[i + 1] == 'n' ? '\n' : text[i + 1];
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string blob_id_of(std::string_view data) {
  ensure_libgit2();
  git_oid oid;
  git_odb_hash(&oid, data.data(), data.size(), GIT_OBJECT_BLOB);
  return oid_hex(oid);
}

Status journal_writes(git::Repository& repo, const std::vector<JournalEntry>& entries) {
  if (repo.journal_ref().empty() || entries.empty()) return Ok{};
  auto path = journal_file(repo, repo.journal_ref());
  if (!path) return path.error();
  std::string text;
  for (const auto& e : entries) text += (e.blob.empty() ? "-" : e.blob) + " " + escape(e.path) + "\n";
  int fd = ::open(path->c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error("cannot open the write journal " + *path + ": " + std::strerror(errno) +
                          "; nothing was written (check that .git is writable)",
                      ErrorKind::IoError);
  // One write(2) of a few hundred bytes: it lands whole, or (killed before
  // it returns) not at all. The page cache survives the process; fsync would
  // only help against a power cut, at a cost on every edit.
  ssize_t n = ::write(fd, text.data(), text.size());
  int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size()))
    return make_error("cannot append to the write journal " + *path + ": " +
                          (n < 0 ? std::strerror(saved) : "short write") + "; nothing was written",
                      ErrorKind::IoError);
  return Ok{};
}

Result<std::vector<JournalEntry>> read_journal(git::Repository& repo, const std::string& ref) {
  std::vector<JournalEntry> out;
  auto path = journal_file(repo, ref);
  if (!path) return path.error();
  auto text = read_file_raw(*path);
  if (!text) return text.error();
  if (!*text) return out;
  std::string_view rest = **text;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) break;  // torn last line
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    size_t space = line.find(' ');
    if (space == std::string_view::npos) continue;
    std::string blob(line.substr(0, space));
    out.push_back({unescape(line.substr(space + 1)), blob == "-" ? "" : blob});
  }
  return out;
}

}  // namespace ds::worktree
