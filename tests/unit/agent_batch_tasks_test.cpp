// Tasks files for `diffsmith batch`: JSONL, JSON lists, objects keyed by id;
// SWE-bench test id lists as real lists or JSON-encoded strings; bad entries
// reported with their line and skipped; test commands with {tests} and
// {test_files} quoted so the shell hands each id over intact.
#include <catch2/catch.hpp>

#include "agent/batch/tasks.hpp"
#include "agent/batch/workspace.hpp"
#include "json/value.hpp"
#include "support/git_repo.hpp"

using namespace ds;
using namespace ds::agent;

namespace {

json::Value swe_instance(const std::string& id) {
  json::Value v = json::Value::object();
  v.set("instance_id", id).set("repo", "astropy/astropy").set("base_commit", "abc123");
  v.set("problem_statement", "Modeling's separability_matrix is wrong.\n").set("hints_text", "");
  v.set("FAIL_TO_PASS", "[\"astropy/modeling/tests/test_separable.py::test_custom\"]");
  v.set("PASS_TO_PASS", "[]").set("test_patch", "").set("version", "4.3");
  return v;
}

}  // namespace

TEST_CASE("batch tasks: JSONL with SWE-bench and generic tasks, bad lines skipped with their line number") {
  json::Value generic = json::Value::object();
  generic.set("id", "fix-1").set("repo", "./repos/app").set("task", "Make the parser accept tabs.");
  generic.set("test_cmd", "make test");
  std::string text = json::dump(swe_instance("astropy__astropy-12907")) + "\n" +  // line 1
                     "\n" +                                                       // line 2: blank
                     "{\"id\": \"x\", \"repo\": \n" +                             // line 3: broken JSON
                     json::dump(generic) + "\n" +                                 // line 4
                     "{\"id\": \"no-repo\", \"task\": \"t\"}\n" +                 // line 5: no repo
                     json::dump(swe_instance("astropy__astropy-12907")) + "\n";   // line 6: duplicate
  auto f = parse_tasks(text);
  REQUIRE(f.ok());
  REQUIRE(f->tasks.size() == 2);
  const BatchTask& swe = f->tasks[0];
  CHECK(swe.swe_bench);
  CHECK(swe.id == "astropy__astropy-12907");
  CHECK(swe.repo == "astropy/astropy");
  CHECK(swe.base_commit == "abc123");
  CHECK(swe.fail_to_pass ==
        std::vector<std::string>{"astropy/modeling/tests/test_separable.py::test_custom"});
  CHECK(swe.pass_to_pass.empty());
  CHECK(swe.version == "4.3");
  CHECK(swe.where == "line 1");
  CHECK(swe.text.rfind("Modeling's separability_matrix is wrong.", 0) == 0);
  CHECK(swe.text.find("Hints") == std::string::npos);  // empty hints add no heading
  const BatchTask& g = f->tasks[1];
  CHECK_FALSE(g.swe_bench);
  CHECK(g.id == "fix-1");
  CHECK(g.text == "Make the parser accept tabs.");
  CHECK(g.test_cmd == "make test");
  CHECK(g.base_commit.empty());
  CHECK(g.where == "line 4");

  REQUIRE(f->bad.size() == 3);
  CHECK(f->bad[0].where == "line 3");
  CHECK(f->bad[0].message.find("not valid JSON") != std::string::npos);
  CHECK(f->bad[1].where == "line 5");
  CHECK(f->bad[1].id == "no-repo");
  CHECK(f->bad[1].message.find("\"repo\"") != std::string::npos);
  CHECK(f->bad[2].where == "line 6");
  CHECK(f->bad[2].message.find("duplicate id") != std::string::npos);
  CHECK(f->bad[2].message.find("line 1") != std::string::npos);
}

TEST_CASE("batch tasks: FAIL_TO_PASS and PASS_TO_PASS as real lists, and hints under a heading") {
  json::Value v = swe_instance("django__django-11099");
  v.set("FAIL_TO_PASS", json::Value::array().push(
                            "test_ascii_validator (auth_tests.test_validators.UsernameValidatorsTests)"));
  v.set("PASS_TO_PASS", json::Value::array().push("test_a (m.C)").push("test_b (m.C)"));
  v.set("hints_text", "The regex uses $ which matches before a trailing newline.");
  v.set("version", 3.0);  // some copies store the version as a number
  auto f = parse_tasks(json::dump(v));
  REQUIRE(f.ok());
  REQUIRE(f->tasks.size() == 1);
  const BatchTask& t = f->tasks[0];
  CHECK(t.fail_to_pass.size() == 1);
  CHECK(t.pass_to_pass == std::vector<std::string>{"test_a (m.C)", "test_b (m.C)"});
  // The hints are kept apart: the model gets them only with --hints.
  CHECK(t.text.find("Hints") == std::string::npos);
  CHECK(t.hints == "The regex uses $ which matches before a trailing newline.");
  CHECK(model_task_text(t, false) == t.text);
  CHECK(model_task_text(t, true).find("Modeling's separability_matrix is wrong.\n\n## Hints") == 0);
  CHECK(model_task_text(t, true).find("trailing newline.") != std::string::npos);
  CHECK_FALSE(t.version.empty());

  v.set("FAIL_TO_PASS", "not a list");
  auto bad = parse_tasks(json::dump(v));
  REQUIRE(bad.ok());
  CHECK(bad->tasks.empty());
  REQUIRE(bad->bad.size() == 1);
  CHECK(bad->bad[0].message.find("FAIL_TO_PASS") != std::string::npos);
}

TEST_CASE("batch tasks: a JSON list and an object keyed by instance_id") {
  json::Value list = json::Value::array();
  list.push(swe_instance("a__b-1")).push(json::Value("not an object")).push(swe_instance("a__b-2"));
  auto l = parse_tasks("  " + json::dump(list));
  REQUIRE(l.ok());
  REQUIRE(l->tasks.size() == 2);
  CHECK(l->tasks[1].id == "a__b-2");
  REQUIRE(l->bad.size() == 1);
  CHECK(l->bad[0].where == "item 2");

  json::Value keyed = json::Value::object();
  json::Value no_id = swe_instance("");
  no_id.members_mut().erase(no_id.members_mut().begin());  // drop instance_id: the key names it
  keyed.set("a__b-7", no_id).set("a__b-8", swe_instance("a__b-8")).set("a__b-9", swe_instance("other"));
  auto k = parse_tasks(json::dump(keyed));
  REQUIRE(k.ok());
  REQUIRE(k->tasks.size() == 2);
  CHECK(k->tasks[0].id == "a__b-7");
  CHECK(k->tasks[1].id == "a__b-8");
  REQUIRE(k->bad.size() == 1);
  CHECK(k->bad[0].message.find("differs") != std::string::npos);

  CHECK_FALSE(parse_tasks("[{\"id\": 1,").ok());  // a broken list cannot be read at all
}

TEST_CASE("batch tasks: {tests} and {test_files} reach the shell as the exact ids") {
  BatchTask t;
  t.id = "x";
  t.fail_to_pass = {"tests/test_a.py::test_it[it's]", "test_ascii (auth_tests.Validators)"};
  t.pass_to_pass = {"tests/test_b.py::test $HOME `id`"};
  std::string cmd = test_command_for(t, "printf '%s\\n' {tests} && printf '<%s>\\n' {test_files}",
                                     {"tests/test_a.py", "tests/dir with space/t.py"});
  std::string out = git::testing::shell("/", cmd);
  CHECK(out ==
        "tests/test_a.py::test_it[it's]\ntest_ascii (auth_tests.Validators)\n"
        "tests/test_b.py::test $HOME `id`\n<tests/test_a.py>\n<tests/dir with space/t.py>\n");

  std::string listed = git::testing::shell(
      "/", test_command_for(t, "printf '%s|' {fail_to_pass} {tests_file}", {}, "/tmp/list of ids.txt"));
  CHECK(listed == "tests/test_a.py::test_it[it's]|test_ascii (auth_tests.Validators)|/tmp/list of ids.txt|");

  t.test_cmd = "echo own {id}";  // a task's own command wins over the template
  CHECK(git::testing::shell("/", test_command_for(t, "echo template", {})) == "own x\n");
  BatchTask none;
  CHECK(test_command_for(none, "", {}).empty());
}

TEST_CASE("batch tasks: safe_name keeps plain ids and never merges two ids") {
  CHECK(safe_name("django__django-11099") == "django__django-11099");
  std::string a = safe_name("owner/name#1"), b = safe_name("owner_name_1");
  CHECK(a != b);
  CHECK(a.find('/') == std::string::npos);
  CHECK(safe_name("../../etc").find("..") != 0);
  CHECK(safe_name(std::string(300, 'x')).size() < 120);
}
