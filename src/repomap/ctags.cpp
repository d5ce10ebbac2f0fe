// Running universal-ctags: posix_spawn with the file list on stdin (a temp
// file) and JSON lines read from a pipe; kinds mapped to DefKind.
#include "repomap/ctags.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "json/value.hpp"

extern char** environ;

namespace ds::repomap {

namespace {

struct CaptureResult {
  int status = -1;
  std::string out;
};

// Runs argv (PATH lookup) in cwd with stdin from `stdin_fd` (or /dev/null
// when -1), stderr discarded, stdout captured.
Result<CaptureResult> run_capture(const std::vector<std::string>& argv, const std::string& cwd,
                                  int stdin_fd) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return make_error(std::string("pipe failed: ") + std::strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (stdin_fd >= 0)
    posix_spawn_file_actions_adddup2(&fa, stdin_fd, 0);
  else
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    return make_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  CaptureResult res;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    res.out.append(buf, static_cast<size_t>(n));
  }
  ::close(pipefd[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  res.status = status;
  return res;
}

struct KindEntry {
  std::string_view name;
  DefKind kind;
};

constexpr KindEntry kKinds[] = {
    {"function", DefKind::kFunction},  {"func", DefKind::kFunction}, {"subroutine", DefKind::kFunction},
    {"procedure", DefKind::kFunction}, {"method", DefKind::kMethod}, {"singletonMethod", DefKind::kMethod},
    {"class", DefKind::kClass},        {"object", DefKind::kClass},  {"struct", DefKind::kStruct},
    {"union", DefKind::kStruct},       {"record", DefKind::kStruct}, {"interface", DefKind::kInterface},
    {"protocol", DefKind::kInterface}, {"trait", DefKind::kTrait},   {"enum", DefKind::kEnum},
    {"typedef", DefKind::kType},       {"type", DefKind::kType},     {"alias", DefKind::kType},
    {"typealias", DefKind::kType},     {"macro", DefKind::kMacro},   {"define", DefKind::kMacro},
    {"constant", DefKind::kConstant},  {"module", DefKind::kModule}, {"implementation", DefKind::kImpl},
};

}  // namespace

bool parse_ctags_line(std::string_view line, std::string* path, CtagsDef* def) {
  if (line.empty() || line.front() != '{') return false;
  auto v = json::parse(line);
  if (!v || (*v)["_type"].as_string() != "tag") return false;
  const json::Value& doc = *v;
  std::string_view kind = doc["kind"].as_string();
  bool scoped = doc.has("scope");
  DefKind mapped = DefKind::kOther;
  bool found = false;
  for (const KindEntry& k : kKinds)
    if (k.name == kind) {
      mapped = k.kind;
      found = true;
      break;
    }
  if (!found) {
    // "member" is a method when ctags saw a signature (Python, JS); a data
    // member otherwise. Module-level variables are kept, locals are not.
    if (kind == "member" && doc.has("signature")) {
      mapped = DefKind::kMethod;
      found = true;
    } else if (kind == "variable" && !scoped) {
      mapped = DefKind::kVariable;
      found = true;
    }
  }
  if (!found) return false;
  def->name = doc["name"].as_string();
  def->line = static_cast<uint32_t>(doc["line"].as_int(0));
  def->kind = mapped;
  def->depth = scoped ? 1 : 0;
  *path = doc["path"].as_string();
  return !def->name.empty() && def->line > 0 && !path->empty();
}

bool ctags_on_path() {
  static const bool found = [] {
    const char* env = std::getenv("PATH");
    std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
    size_t begin = 0;
    while (begin <= path.size()) {
      size_t end = path.find(':', begin);
      if (end == std::string::npos) end = path.size();
      std::string candidate = end > begin ? path.substr(begin, end - begin) : std::string(".");
      candidate += "/ctags";
      if (::access(candidate.c_str(), X_OK) == 0) return true;
      begin = end + 1;
    }
    return false;
  }();
  return found;
}

bool ctags_available() {
  static const bool available = [] {
    auto r = run_capture({"ctags", "--version"}, "", -1);
    return r.ok() && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0 &&
           r->out.find("Universal Ctags") != std::string::npos && r->out.find("+json") != std::string::npos;
  }();
  return available;
}

Result<CtagsDefs> run_ctags(const std::string& workdir, const std::vector<std::string>& paths,
                            unsigned processes) {
  CtagsDefs out;
  if (paths.empty()) return out;
  if (!ctags_available())
    return make_error(
        "universal-ctags with JSON output is not on PATH (install the Debian package "
        "universal-ctags, or drop --ctags)");
  processes = std::max(1u, std::min<unsigned>(processes, static_cast<unsigned>(paths.size())));
  std::mutex mu;
  std::string first_error;
  auto worker = [&](size_t part) {
    // The file list goes through an unlinked temp file used as stdin.
    char tmpl[] = "/tmp/diffsmith-ctags-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) {
      std::lock_guard<std::mutex> lock(mu);
      first_error = std::string("cannot create a temp file for ctags: ") + std::strerror(errno);
      return;
    }
    ::unlink(tmpl);
    std::string list;
    for (size_t i = part; i < paths.size(); i += processes) {
      list += paths[i];
      list += '\n';
    }
    bool ok = ::write(fd, list.data(), list.size()) == static_cast<ssize_t>(list.size()) &&
              ::lseek(fd, 0, SEEK_SET) == 0;
    Result<CaptureResult> r = ok ? run_capture({"ctags", "--output-format=json", "--fields=+nKS", "--sort=no",
                                                "-f", "-", "-L", "-"},
                                               workdir, fd)
                                 : Result<CaptureResult>(make_error("cannot write the ctags file list"));
    ::close(fd);
    CtagsDefs local;
    if (r.ok()) {
      std::string_view all = r->out;
      size_t pos = 0;
      while (pos < all.size()) {
        size_t nl = all.find('\n', pos);
        if (nl == std::string_view::npos) nl = all.size();
        std::string path;
        CtagsDef def;
        if (parse_ctags_line(all.substr(pos, nl - pos), &path, &def)) local[path].push_back(std::move(def));
        pos = nl + 1;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    if (!r.ok() && first_error.empty()) first_error = r.error().message;
    for (auto& [path, defs] : local) {
      auto& dst = out[path];
      dst.insert(dst.end(), std::make_move_iterator(defs.begin()), std::make_move_iterator(defs.end()));
    }
  };
  std::vector<std::thread> threads;
  for (size_t p = 1; p < processes; ++p) threads.emplace_back(worker, p);
  worker(0);
  for (auto& t : threads) t.join();
  if (!first_error.empty() && out.empty()) return make_error("ctags failed: " + first_error);
  return out;
}

}  // namespace ds::repomap
