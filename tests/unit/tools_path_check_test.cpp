// Every tool goes through the one path check (git/path_check.hpp): read_file,
// list_files and the edit tools refuse links, ignored files, submodules,
// nested repositories and (edits) .diffsmith.toml with a message for the
// model, and change nothing outside what the diff shows. The edit tools
// apply a block that names the wrong file to the file the model worked on.
#include <catch2/catch.hpp>

#include "support/tool_repo.hpp"

using namespace ds;
using namespace ds::tools;
using namespace ds::tools::testing;

namespace {

json::Value path_args(const std::string& path) { return json::Value::object().set("path", path); }

json::Value edit_args(const std::string& path, const std::string& search, const std::string& replace) {
  return json::Value::object().set(
      "edits", path + "\n```\n<<<<<<< SEARCH\n" + search + "=======\n" + replace + ">>>>>>> REPLACE\n```\n");
}

struct Fixture : ToolRepo {
  std::string outside = git::testing::make_temp_dir();
  Fixture() {
    git::testing::write_file(outside + "/secret.txt", "TOKEN=hunter2\n");
    t.write("src/app.py", "def main():\n    return 1\n");
    t.write("src/util.py", "def helper():\n    return 'x'\n");
    t.write(".gitignore", "build/\n");
    t.write(".diffsmith.toml", "test_cmd = \"pytest\"\n");
    t.sh("ln -s '" + outside + "/secret.txt' leak.txt");
    std::string sub = outside + "/subrepo";
    git::testing::shell(outside,
                        "mkdir subrepo && cd subrepo && git init -q && echo 'int s;' > s.c && git add s.c && "
                        "git -c user.name=T -c user.email=t@e commit -q -m s");
    t.git("-c protocol.file.allow=always submodule add -q '" + sub + "' vendor/sub");
    t.commit_all();
    t.write("build/gen.py", "GENERATED = 1\n");
    t.write("nested/n.py", "N = 1\n");
    git::testing::shell(t.path("nested"), "git init -q");
    open();
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(outside, ec);
  }
  std::string status() { return t.git("status --porcelain --ignored"); }
};

}  // namespace

TEST_CASE("tools path check: read_file refuses links, ignored files, submodules, nested repositories") {
  Fixture f;
  ToolOutcome leak = f.call("read_file", path_args("leak.txt"));
  CHECK(leak.is_error);
  CHECK(has(leak.content, "symbolic link"));
  CHECK_FALSE(has(leak.content, "hunter2"));
  CHECK(has(f.call("read_file", path_args("build/gen.py")).content, "ignored by git"));
  CHECK(has(f.call("read_file", path_args("vendor/sub/s.c")).content, "submodule"));
  CHECK(has(f.call("read_file", path_args("nested/n.py")).content, "separate git repository"));
  ToolOutcome ok = f.call("read_file", path_args("src/app.py"));
  CHECK_FALSE(ok.is_error);
  CHECK(has(ok.content, "return 1"));
  CHECK(f.ctx.worked_on == std::vector<std::string>{"src/app.py"});
}

TEST_CASE("tools path check: list_files leaves out links and submodules, and says so") {
  Fixture f;
  ToolOutcome o = f.call("list_files", json::Value::object().set("glob", ""));
  CHECK(has(o.content, "src/app.py\n"));
  CHECK(has(o.content, ".gitmodules\n"));
  CHECK_FALSE(has(o.content, "leak.txt"));
  CHECK_FALSE(has(o.content, "vendor/sub\n"));
  CHECK(has(o.content, "2 matching tracked path(s) not listed"));
}

TEST_CASE("tools path check: edits nobody would see are refused and change nothing") {
  Fixture f;
  std::string before = f.status();
  for (const auto& [path, why] : std::vector<std::pair<std::string, std::string>>{
           {"build/gen.py", "ignored by git"},
           {"vendor/sub/s.c", "submodule"},
           {"nested/n.py", "separate git repository"},
           {"leak.txt", "symbolic link"},
           {".diffsmith.toml", "diffsmith's own configuration"}}) {
    INFO(path);
    std::string search = path == "build/gen.py"     ? "GENERATED = 1\n"
                         : path == "vendor/sub/s.c" ? "int s;\n"
                         : path == "nested/n.py"    ? "N = 1\n"
                         : path == "leak.txt"       ? "TOKEN=hunter2\n"
                                                    : "test_cmd = \"pytest\"\n";
    ToolOutcome o = f.call("apply_edits", edit_args(path, search, "changed\n"));
    CHECK(o.is_error);
    CHECK(has(o.content, why));
    REQUIRE(o.edit);
    CHECK_FALSE(o.edit->written);
  }
  CHECK(f.status() == before);
  CHECK(f.t.read("build/gen.py") == "GENERATED = 1\n");
  CHECK(f.t.read(".diffsmith.toml") == "test_cmd = \"pytest\"\n");
  CHECK(git::testing::read_file(f.outside + "/secret.txt") == "TOKEN=hunter2\n");
}

TEST_CASE("tools path check: creating a file in an ignored folder is refused") {
  Fixture f;
  ToolOutcome o = f.call("apply_edits", edit_args("build/new.py", "", "x = 1\n"));
  CHECK(o.is_error);
  CHECK(has(o.content, "ignored by git"));
  CHECK_FALSE(f.t.exists("build/new.py"));
}

TEST_CASE("tools: a block naming the wrong file applies to the file the model read, and says so") {
  Fixture f;
  f.call("read_file", path_args("src/util.py"));
  ToolOutcome o = f.call("apply_edits", edit_args("src/app.py", "    return 'x'\n", "    return 'y'\n"));
  CHECK_FALSE(o.is_error);
  CHECK(has(o.content, "src/util.py"));
  CHECK(has(o.content, "names src/app.py"));
  CHECK(f.t.read("src/util.py") == "def helper():\n    return 'y'\n");
  CHECK(f.t.read("src/app.py") == "def main():\n    return 1\n");
}

TEST_CASE("tools: without a read of the right file, a block naming the wrong file fails") {
  Fixture f;
  ToolOutcome o = f.call("apply_edits", edit_args("src/app.py", "    return 'x'\n", "    return 'y'\n"));
  CHECK(o.is_error);
  CHECK(f.t.read("src/util.py") == "def helper():\n    return 'x'\n");
}
