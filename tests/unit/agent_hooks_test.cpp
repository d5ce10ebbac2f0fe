// End-to-end hooks ([hooks] in the user's config): the JSON a hook reads on
// stdin, exit 2 of before_tool blocking a call with its stderr reaching the
// model, an after_edit formatter's change journaled and undone by `undo`.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

ProcResult run_with_hooks(const TempRepo& repo, const MockServer& mock, const std::string& hooks,
                          const std::string& test_cmd = "grep -qi fixed a.txt") {
  TempDir xdg;
  write_file(xdg.path + "/diffsmith/config.toml", "[hooks]\n" + hooks);
  ProcOptions opts;
  opts.env["XDG_CONFIG_HOME"] = xdg.path;
  return run_agent(repo, mock, "fix a.txt", test_cmd, {"--json", "--no-sandbox-tests"}, opts);
}

}  // namespace

TEST_CASE(
    "hooks e2e: before_tool reads the documented JSON, exit 2 blocks the call and its stderr reaches the "
    "model") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"secret/key.txt", "k\n"}});
  TempDir logs;
  std::string log = logs.path + "/before_tool.jsonl";
  // The recipe of docs/settings.md: refuse anything that names secret/.
  std::string hook = "input=$(cat); printf '%s\\n' \"$input\" >> '" + log +
                     "'; case \"$input\" in *secret/*) echo 'secret/ is protected' >&2; exit 2;; esac";
  auto mock = start_mock(
      script({turn({tool_call("read_file", Value::object().set("path", "secret/key.txt")).set("id", "c1")}),
              edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  write_file(logs.path + "/hook.sh", hook + "\n");
  ProcResult r = run_with_hooks(repo, *mock, "before_tool = \"sh " + logs.path + "/hook.sh\"\n");
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  std::string reply = tool_reply(reqs[1], "c1");
  CHECK(contains(reply, "blocked by the user's before_tool hook: secret/ is protected"));
  CHECK_FALSE(contains(reply, "k\n"));
  auto lines = json_lines(read_file(log));
  REQUIRE(lines.size() == 2);  // read_file, then apply_edits
  const Value& first = lines[0];
  CHECK(first["event"].as_string() == "before_tool");
  CHECK(first["work_tree"].as_string() == repo.root());
  std::string run_id;
  for (const auto& e : json_lines(r.out))
    if (e["type"].as_string() == "run_started") run_id = e["run_id"].as_string();
  REQUIRE_FALSE(run_id.empty());
  CHECK(first["run_id"].as_string() == run_id);
  CHECK(first["tool"]["name"].as_string() == "read_file");
  CHECK(first["tool"]["id"].as_string() == "c1");
  CHECK(first["tool"]["arguments"]["path"].as_string() == "secret/key.txt");
  CHECK(lines[1]["tool"]["name"].as_string() == "apply_edits");
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
}

TEST_CASE("hooks e2e: an after_edit formatter's change is in the run's diff and undone by undo") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir logs;
  std::string log = logs.path + "/after_edit.json";
  std::string hook = "cat > '" + log + "'; sed -i 's/fixed/FIXED/' a.txt";
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  write_file(logs.path + "/hook.sh", hook + "\n");
  ProcResult r =
      run_with_hooks(repo, *mock, "after_edit = \"sh " + logs.path + "/hook.sh\"\n", "grep -q FIXED a.txt");
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nFIXED\n");
  auto payload = ds::json::parse(read_file(log));
  REQUIRE(payload.ok());
  CHECK((*payload)["event"].as_string() == "after_edit");
  REQUIRE((*payload)["paths"].size() == 1);
  CHECK((*payload)["paths"].at(0).as_string() == "a.txt");
  auto events = json_lines(r.out);
  bool hook_diff = false;
  for (const auto& e : events)
    hook_diff =
        hook_diff || (e["type"].as_string() == "diff" && e["source"].as_string() == "after_edit hook" &&
                      contains(e["diff"].as_string(), "+FIXED"));
  CHECK(hook_diff);
  CHECK(contains(events.back()["diff"].as_string(), "+FIXED"));

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
}

TEST_CASE("hooks e2e: a hook that exits 1 is reported and ignored, run_end gets the verdict") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir logs;
  std::string log = logs.path + "/run_end.json";
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_hooks(
      repo, *mock, "before_tool = \"echo nope >&2; exit 1\"\nrun_end = \"cat > '" + log + "'\"\n");
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(contains(r.out, "the before_tool hook exited 1; ignored: nope"));
  auto payload = ds::json::parse(read_file(log));
  REQUIRE(payload.ok());
  CHECK((*payload)["event"].as_string() == "run_end");
  CHECK((*payload)["status"].as_string() == "solved");
  CHECK((*payload)["paths"].at(0).as_string() == "a.txt");
}

TEST_CASE("hooks e2e: the protected-path recipe of docs/settings.md refuses an edit under deploy/") {
  std::string doc = read_file(std::string(DIFFSMITH_SOURCE_DIR) + "/docs/settings.md");
  size_t from = doc.find("# ~/.config/diffsmith/protect-deploy.sh\n");
  REQUIRE(from != std::string::npos);
  size_t to = doc.find("```", from);
  REQUIRE(to != std::string::npos);
  TempDir dir;
  write_file(dir.path + "/protect.sh", doc.substr(from, to - from));
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"deploy/prod.txt", "v1\n"}});
  auto mock = start_mock(
      script({turn({tool_call("apply_edits",
                              Value::object().set("edits", sr_block("deploy/prod.txt", "v1\n", "v2\n")))
                        .set("id", "c1")}),
              edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_with_hooks(repo, *mock, "before_tool = \"sh " + dir.path + "/protect.sh\"\n");
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  CHECK(contains(tool_reply(reqs[1], "c1"), "deploy/ is protected"));
  CHECK(repo.read("deploy/prod.txt") == "v1\n");
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
}
