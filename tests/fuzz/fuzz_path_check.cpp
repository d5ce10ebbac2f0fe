// libFuzzer target: git::PathCheck, the one check for every path the model
// names, against a real repository built once at start-up (a temporary
// folder): tracked files, an ignored folder, a link to a file outside, a link
// to a folder outside, a link to /dev/zero, a nested repository, a submodule
// gitlink, .diffsmith.toml. Input: one mode byte (even: Read, odd: Edit;
// bit 1: folder()), then the path bytes. Invariants for a path that passes:
//   - the result is clean: relative, no empty / "." / ".." component, no
//     ".git" component in any case, no NUL or line break;
//   - checking the result again gives the same result (idempotent);
//   - no component on the way exists as a symbolic link, none of the
//     existing folders on the way holds a .git (nested repository), and the
//     deepest existing ancestor resolves (realpath) inside the work tree;
//   - an edit never names .diffsmith.toml at the root, nor an ignored file;
//   - read() of a passing file either says missing, or returns at most the
//     cap, and never the content of the file outside.
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "fuzz_check.hpp"
#include "git/path_check.hpp"
#include "git/repository.hpp"

using namespace ds;

namespace {

std::string g_root, g_real_root;
std::unique_ptr<git::Repository> g_repo;

void run(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "fuzz_path_check setup failed: %s\n", cmd.c_str());
    std::abort();
  }
}

std::string real_path(const std::string& p) {
  std::unique_ptr<char, decltype(&::free)> r(::realpath(p.c_str(), nullptr), &::free);
  return r ? std::string(r.get()) : std::string();
}

bool exists(const std::string& abs, struct stat* st) { return ::lstat(abs.c_str(), st) == 0; }

void setup() {
  char tmpl[] = "/tmp/ds-fuzz-path-XXXXXX";
  FUZZ_CHECK(::mkdtemp(tmpl) != nullptr, "temporary folder");
  g_root = std::string(tmpl) + "/repo";
  std::string q = "'" + g_root + "'";
  run("mkdir -p " + q + "/src/deep " + q + "/build && cd " + q +
      " && git init -q && echo 'SECRET' > ../outside.txt && mkdir ../outdir"
      " && echo x > src/a.py && echo y > src/deep/b.py && echo 'build/' > .gitignore"
      " && echo t > .diffsmith.toml && echo g > build/gen.js && ln -s ../outside.txt leak"
      " && ln -s ../outdir outdir && ln -s /dev/zero zero && ln -s src/a.py alias"
      " && mkdir nested && (cd nested && git init -q) && echo n > nested/n.py"
      " && git add src .gitignore .diffsmith.toml leak outdir zero alias"
      " && git -c user.name=f -c user.email=f@f commit -q -m base"
      " && git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),vendor/sub"
      " && mkdir -p vendor/sub && echo s > vendor/sub/s.c");
  auto repo = git::Repository::open(g_root);
  FUZZ_CHECK(repo.ok(), "open the fuzz repository");
  g_repo = std::make_unique<git::Repository>(std::move(*repo));
  g_real_root = real_path(g_root);
}

bool clean_form(const std::string& rel, bool folder) {
  if (rel.empty()) return folder;
  if (rel.front() == '/' || rel.back() == '/') return false;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string::npos) slash = rel.size();
    std::string part = rel.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (part.size() == 4 && ::strncasecmp(part.c_str(), ".git", 4) == 0) return false;
    start = slash + 1;
  }
  return rel.find_first_of(std::string("\0\n\r", 3)) == std::string::npos;
}

void check_on_disk(const std::string& rel) {
  std::string abs = g_root;
  std::string deepest = g_root;
  size_t start = 0;
  while (start <= rel.size() && !rel.empty()) {
    size_t slash = rel.find('/', start);
    bool last = slash == std::string::npos;
    abs += "/" + rel.substr(start, last ? std::string::npos : slash - start);
    struct stat st;
    if (!exists(abs, &st)) break;
    FUZZ_CHECK(!S_ISLNK(st.st_mode), "no symbolic link on the way");
    if (S_ISDIR(st.st_mode)) {
      struct stat g;
      FUZZ_CHECK(!exists(abs + "/.git", &g), "no nested repository on the way");
    }
    deepest = abs;
    if (last) break;
    start = slash + 1;
  }
  std::string real = real_path(deepest);
  FUZZ_CHECK(real == g_real_root || real.compare(0, g_real_root.size() + 1, g_real_root + "/") == 0,
             "the path stays inside the work tree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!g_repo) setup();
  if (size < 1) return 0;
  uint8_t mode = data[0];
  std::string path(reinterpret_cast<const char*>(data + 1), size - 1);
  auto check = git::PathCheck::open(*g_repo);
  FUZZ_CHECK(check.ok(), "the index loads");
  bool folder = (mode & 2) != 0;
  git::PathUse use = (mode & 1) ? git::PathUse::Edit : git::PathUse::Read;
  auto r = folder ? check->folder(path) : check->file(path, use);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().message.empty(), "a refusal says why");
    return 0;
  }
  const std::string& rel = *r;
  FUZZ_CHECK(clean_form(rel, folder), "the result is a clean relative path");
  auto again = folder ? check->folder(rel) : check->file(rel, use);
  FUZZ_CHECK(again.ok() && *again == rel, "checking the result again gives the same result");
  check_on_disk(rel);
  if (!folder && use == git::PathUse::Edit) {
    FUZZ_CHECK(::strcasecmp(rel.c_str(), ".diffsmith.toml") != 0, "edits never touch .diffsmith.toml");
    FUZZ_CHECK(rel.compare(0, 6, "build/") != 0, "edits never touch an ignored file");
  }
  if (!folder) {
    auto content = check->read(rel, 64);
    if (content.ok() && content->has_value()) {
      FUZZ_CHECK((*content)->size() <= 64, "reads stay within the cap");
      FUZZ_CHECK((*content)->find("SECRET") == std::string::npos, "nothing outside the tree is read");
    }
  }
  return 0;
}
