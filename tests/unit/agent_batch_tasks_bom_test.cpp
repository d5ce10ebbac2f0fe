// Tasks files written by Windows editors start with a UTF-8 byte order mark:
// its tasks must still be read (it once ran 0 tasks and exited 0). And a
// skipped entry is reported as skipped once, not "skipped; skipped".
#include <catch2/catch.hpp>
#include <sstream>

#include "agent/batch/tasks.hpp"
#include "agent/cli/batch.hpp"
#include "support/git_repo.hpp"

using namespace ds;
using namespace ds::agent;

namespace {

const std::string kBom = "\xEF\xBB\xBF";
const std::string kTask = R"({"id": "fix-1", "repo": "./app", "task": "Make it work."})";
const std::string kTask2 = R"({"id": "fix-2", "repo": "./app", "task": "Make it faster."})";

size_t count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("batch tasks: a JSONL file starting with a UTF-8 BOM keeps its first task") {
  auto f = parse_tasks(kBom + kTask + "\n" + kTask2 + "\n");
  REQUIRE(f.ok());
  CHECK(f->bad.empty());
  REQUIRE(f->tasks.size() == 2);
  CHECK(f->tasks[0].id == "fix-1");
  CHECK(f->tasks[0].where == "line 1");
}

TEST_CASE("batch tasks: a one-task file and a JSON list starting with a UTF-8 BOM are read") {
  auto one = parse_tasks(kBom + kTask);
  REQUIRE(one.ok());
  CHECK(one->bad.empty());
  REQUIRE(one->tasks.size() == 1);
  auto list = parse_tasks(kBom + "[" + kTask + ", " + kTask2 + "]");
  REQUIRE(list.ok());
  CHECK(list->bad.empty());
  CHECK(list->tasks.size() == 2);
}

TEST_CASE("batch command: a BOM tasks file is read, and a duplicate id is reported skipped once") {
  std::string dir = git::testing::make_temp_dir();
  std::string tasks = dir + "/tasks.jsonl";
  // No test command anywhere: both entries are skipped before any clone, so
  // the command only reads and reports.
  git::testing::write_file(tasks, kBom + kTask + "\n" + kTask + "\n");
  BatchCommandArgs a;
  a.tasks_file = tasks;
  a.settings.flags["out"] = SettingValue{dir + "/preds.jsonl", "--out"};
  a.settings.flags["work-dir"] = SettingValue{dir + "/work", "--work-dir"};
  std::ostringstream out, err;
  run_batch_command(a, out, err);
  std::string e = err.str();
  INFO(e);
  CHECK(e.find("not valid JSON") == std::string::npos);  // the BOM is not part of line 1
  CHECK(e.find("line 1 (fix-1): no test command") != std::string::npos);
  CHECK(e.find("duplicate id \"fix-1\" (first seen on line 1)") != std::string::npos);
  CHECK(count(e, "skipped") == 2);  // one per skipped entry
  CHECK(e.find("skipped; skipped") == std::string::npos);
}
