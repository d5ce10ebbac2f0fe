// Running universal-ctags through exec's runner: the file list in a temp
// file, JSON lines on stdout; kinds mapped to DefKind.
#include "repomap/ctags.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "exec/process.hpp"
#include "exec/program.hpp"
#include "json/value.hpp"

namespace ds::repomap {

namespace {

// ctags goes through exec's runner like every other child (the supervisor
// kills whatever it leaves behind). Its stdout is the JSON we parse, so its
// stderr goes to /dev/null in the command line itself.
Result<exec::RunResult> run_ctags_command(const std::string& args, const std::string& cwd) {
  exec::RunRequest req;
  req.command = "exec ctags " + args + " 2>/dev/null";
  req.cwd = cwd;
  req.timeout = std::chrono::minutes(10);
  req.output_cap = size_t{1} << 30;  // all of it: a cut line would be a lost file
  exec::SystemRunner runner;
  auto r = runner.run(req);
  if (r && r->truncated) return make_error("ctags wrote more than 1 GiB of tags");
  return r;
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
  static const bool found = !exec::find_program("ctags").empty();
  return found;
}

bool ctags_available() {
  static const bool available = [] {
    auto r = run_ctags_command("--version", "");
    return r.ok() && r->exit_code == 0 && r->output.find("Universal Ctags") != std::string::npos &&
           r->output.find("+json") != std::string::npos;
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
    // The file list goes through a temp file (`-L FILE`), removed afterwards.
    char tmpl[] = "/tmp/diffsmith-ctags-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) {
      std::lock_guard<std::mutex> lock(mu);
      first_error = std::string("cannot create a temp file for ctags: ") + std::strerror(errno);
      return;
    }
    std::string list;
    for (size_t i = part; i < paths.size(); i += processes) {
      list += paths[i];
      list += '\n';
    }
    bool ok = ::write(fd, list.data(), list.size()) == static_cast<ssize_t>(list.size());
    ::close(fd);
    Result<exec::RunResult> r =
        ok ? run_ctags_command(
                 "--output-format=json --fields=+nKS --sort=no -f - -L " + exec::shell_quote(tmpl), workdir)
           : Result<exec::RunResult>(make_error("cannot write the ctags file list"));
    ::unlink(tmpl);
    if (r.ok() && r->exit_code != 0) r = make_error("ctags exited with " + std::to_string(r->exit_code));
    CtagsDefs local;
    if (r.ok()) {
      std::string_view all = r->output;
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
