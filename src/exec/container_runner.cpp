// ContainerRunner: the engine's CLI (run, exec, restart, rm, ps) driven
// through the inner runner; image placeholders; leftovers of dead runs.
#include "exec/container_runner.hpp"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "exec/program.hpp"

namespace ds::exec {
namespace {

constexpr const char* kLabelRun = "diffsmith.run";
constexpr const char* kLabelHost = "diffsmith.host";

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

std::string engine_line(const std::string& engine, const std::vector<std::string>& args) {
  std::string line = "exec " + shell_quote(engine);
  for (const auto& a : args) line += " " + shell_quote(a);
  return line;
}

// One engine call; the engine client gets our environment unscrubbed
// (DOCKER_HOST and friends), the container never sees it.
Result<RunResult> engine_call(ProcessRunner& inner, const std::string& engine,
                              const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                              const std::string& stdin_file = "") {
  RunRequest req;
  req.command = engine_line(engine, args);
  if (!stdin_file.empty()) req.command += " < " + shell_quote(stdin_file);
  req.timeout = timeout;
  req.output_cap = 1 << 20;
  return inner.run(req);
}

std::string short_output(const std::string& s) {
  std::string t = s;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t.size() > 600 ? "..." + t.substr(t.size() - 600) : t;
}

Error engine_failure(const std::string& what, const RunResult& r) {
  std::string why = r.timed_out ? "timed out" : "exited with code " + std::to_string(r.exit_code);
  return make_error(what + " " + why + (r.output.empty() ? std::string() : ": " + short_output(r.output)));
}

// A temporary file holding `data`, removed at scope exit.
class TempFile {
 public:
  Status write(const std::string& data) {
    const char* dir = ::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/diffsmith-diff-XXXXXX";
    int fd = ::mkstemp(path_.data());
    if (fd < 0) {
      path_.clear();
      return make_error("cannot create a temporary file for the diff: " + std::string(std::strerror(errno)));
    }
    ::close(fd);
    std::ofstream f(path_, std::ios::binary | std::ios::trunc);
    f << data;
    if (!f.flush()) return make_error("cannot write the diff to " + path_);
    return Ok{};
  }
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The pid a container name ends with ("ds-<run-id>-p1234"), or -1.
long pid_of_name(const std::string& name) {
  size_t p = name.rfind("-p");
  if (p == std::string::npos || p + 2 >= name.size()) return -1;
  std::string digits = name.substr(p + 2);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) return -1;
  return std::stol(digits);
}

}  // namespace

Result<std::string> find_engine(const std::string& choice) {
  if (choice.empty()) {
    for (const char* name : {"docker", "podman"})
      if (std::string p = find_program(name); !p.empty()) return p;
    return make_error(
        "no container engine found: neither docker nor podman is on PATH; install one, or name it "
        "with --container-engine PATH");
  }
  std::string p = find_program(choice);
  if (p.empty())
    return make_error("--container-engine " + choice + ": no such program (on PATH or as a path)");
  return p;
}

std::string swebench_docker_id(const std::string& id) {
  std::string lower;
  for (char c : id) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string out;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (lower.compare(i, 2, "__") == 0) {
      out += "_1776_";
      ++i;
    } else {
      out += lower[i];
    }
  }
  return out;
}

Result<std::string> expand_image(const std::string& pattern, const std::string& id, const std::string& repo,
                                 const std::string& version) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == std::string::npos)
      return make_error("--container " + pattern + ": '{' without a closing '}'");
    std::string key = pattern.substr(i + 1, close - i - 1);
    std::string value;
    if (key == "id")
      value = id;
    else if (key == "id_docker")
      value = swebench_docker_id(id);
    else if (key == "repo")
      value = repo;
    else if (key == "version")
      value = version;
    else
      return make_error("--container " + pattern + ": unknown placeholder {" + key +
                        "}; use {id}, {id_docker}, {repo} or {version}");
    if (value.empty())
      return make_error("--container " + pattern + ": {" + key + "} is empty for this task" +
                        (id.empty() ? std::string() : " (" + id + ")"));
    out += value;
    i = close;
  }
  if (Status st = check_image_name(out); !st.ok())
    return make_error("--container " + pattern + ": " + st.error().message +
                      (id.empty() ? std::string() : " (task " + id + ")"));
  return out;
}

Status check_image_name(const std::string& image) {
  if (image.empty()) return make_error("the image name is empty");
  if (image[0] == '-')
    return make_error("the image name '" + image +
                      "' begins with '-', so the engine would read it as an option of `run` (e.g. -v=/:/host "
                      "mounts the host); refused");
  return Ok{};
}

Result<int> remove_leftovers(const std::string& engine, ProcessRunner& inner) {
  auto ps = engine_call(inner, engine,
                        {"ps", "-a", "--filter", std::string("label=") + kLabelHost + "=" + host_name(),
                         "--format", "{{.Names}}"},
                        std::chrono::seconds(60));
  if (!ps.ok()) return ps.error();
  if (ps->exit_code != 0) return engine_failure("listing leftover containers (" + engine + " ps)", *ps);
  std::vector<std::string> dead;
  size_t start = 0;
  const std::string& out = ps->output;
  while (start < out.size()) {
    size_t nl = out.find('\n', start);
    if (nl == std::string::npos) nl = out.size();
    std::string name = out.substr(start, nl - start);
    start = nl + 1;
    long pid = pid_of_name(name);
    if (pid <= 0) continue;                                                   // not one of ours
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // its run is alive
    dead.push_back(name);
  }
  if (dead.empty()) return 0;
  std::vector<std::string> args = {"rm", "-f"};
  args.insert(args.end(), dead.begin(), dead.end());
  auto rm = engine_call(inner, engine, args, std::chrono::seconds(120));
  if (!rm.ok()) return rm.error();
  if (rm->exit_code != 0) return engine_failure("removing leftover containers (" + engine + " rm)", *rm);
  return static_cast<int>(dead.size());
}

Result<std::unique_ptr<ContainerRunner>> ContainerRunner::start(ContainerConfig cfg, ProcessRunner& inner) {
  if (Status st = check_image_name(cfg.image); !st.ok()) return st.error();
  cfg.name += "-p" + std::to_string(::getpid());
  std::unique_ptr<ContainerRunner> r(new ContainerRunner(std::move(cfg), inner));
  const ContainerConfig& c = r->cfg_;
  // Values joined to their options (--network=NET: a value can never become an
  // option), and `--` ends the options before the image: docker and podman
  // parse `run` with Go's pflag, which stops at `--` (docker 28's client
  // reads `run -- -v=/:/host` as the image "-v=/:/host": "invalid reference format").
  // Pulling an image can take long; the first start is allowed 30 minutes.
  auto run = engine_call(inner, c.engine,
                         {"run", "-d", "--name=" + c.name, "--label=" + std::string(kLabelRun) + "=" + c.name,
                          "--label=" + std::string(kLabelHost) + "=" + host_name(), "--network=" + c.network,
                          "--", c.image, "sleep", "infinity"},
                         std::chrono::minutes(30));
  if (!run.ok()) {
    r->removed_ = true;
    return run.error();
  }
  if (run->exit_code != 0) {
    (void)r->remove();  // a half-created container (name taken, start failed) must not stay
    return engine_failure("starting container " + c.name + " from image " + c.image, *run);
  }
  auto head =
      engine_call(inner, c.engine, {"exec", "-w", c.workdir, c.name, "git", "rev-parse", "--verify", "HEAD"},
                  std::chrono::seconds(60));
  if (!head.ok()) return head.error();
  if (head->exit_code != 0)
    return engine_failure("the image's " + c.workdir +
                              " must be a git repository at the run's base commit "
                              "(--container-workdir); `git rev-parse HEAD` there",
                          *head);
  return r;
}

ContainerRunner::~ContainerRunner() { (void)remove(); }  // best effort; leftovers are swept at the next start

Status ContainerRunner::remove() {
  if (removed_) return Ok{};
  removed_ = true;
  auto rm = engine_call(inner_, cfg_.engine, {"rm", "-f", cfg_.name}, std::chrono::seconds(120));
  if (!rm.ok()) return rm.error();
  if (rm->exit_code != 0) return engine_failure("removing container " + cfg_.name, *rm);
  return Ok{};
}

Status ContainerRunner::sync() {
  std::string diff;
  if (cfg_.current_diff) {
    auto d = cfg_.current_diff();
    if (!d.ok()) return d.error();
    diff = std::move(*d);
  }
  const std::string reset = "git reset -q --hard && git clean -qfd";
  Result<RunResult> r = make_error("");
  if (diff.empty()) {
    r = engine_call(inner_, cfg_.engine, {"exec", "-w", cfg_.workdir, cfg_.name, "sh", "-c", reset},
                    std::chrono::minutes(5));
  } else {
    TempFile file;
    if (Status st = file.write(diff); !st.ok()) return st;
    r = engine_call(inner_, cfg_.engine,
                    {"exec", "-i", "-w", cfg_.workdir, cfg_.name, "sh", "-c",
                     reset + " && git apply --whitespace=nowarn"},
                    std::chrono::minutes(5), file.path());
  }
  if (!r.ok()) return r.error();
  if (r->exit_code != 0)
    return engine_failure("bringing " + cfg_.name + ":" + cfg_.workdir + " to the run's current state", *r);
  return Ok{};
}

Result<RunResult> ContainerRunner::run(const RunRequest& req) {
  if (removed_) return make_error("container " + cfg_.name + " was already removed");
  if (Status st = sync(); !st.ok()) return st.error();
  std::vector<std::string> args = {"exec", "-w", cfg_.workdir};
  for (const auto& [k, v] : req.set) args.insert(args.end(), {"-e", k + "=" + v});
  // bash when the image has it (SWE-bench test commands `source` conda's activate).
  args.insert(args.end(),
              {cfg_.name, "sh", "-c",
               "if command -v bash >/dev/null 2>&1; then exec bash -c \"$1\"; fi; exec sh -c \"$1\"", "sh",
               req.command});
  RunRequest outer;
  outer.command = engine_line(cfg_.engine, args);
  outer.timeout = req.timeout;
  outer.output_cap = req.output_cap;
  auto r = inner_.run(outer);
  if (r.ok() && (r->timed_out || r->interrupted)) {
    // Killing the local `exec` client leaves the command running inside;
    // restarting the container (PID 1 is `sleep infinity`) ends it.
    auto restart =
        engine_call(inner_, cfg_.engine, {"restart", "-t", "0", cfg_.name}, std::chrono::seconds(120));
    if (!restart.ok()) return restart.error();
    if (restart->exit_code != 0)
      return engine_failure("restarting " + cfg_.name + " after the timeout", *restart);
  }
  return r;
}

}  // namespace ds::exec
