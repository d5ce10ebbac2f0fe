// `diffsmith batch --attempts 2` through the real binary, the scripted mock on
// loopback and a real mirror: both attempts prove the same fix in scratch
// trees of the task's checkout, one is chosen, and the meta line, the
// prediction and the HTML report say so.
#include <catch2/catch.hpp>
#include <filesystem>
#include <vector>

#include "exec/program.hpp"
#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using namespace ds::agent::batch_testing;

namespace {

json::Value repro_call(const std::string& match, const std::string& command, const std::string& file) {
  json::Value args =
      json::Value::object().set("command", command).set("files", json::Value::array().push(file));
  json::Value call = json::Value::object().set("name", "set_reproduction").set("arguments", args);
  return json::Value::object().set("match", match).set("tool_calls", json::Value::array().push(call));
}

}  // namespace

TEST_CASE("batch --attempts 3 --agree 2: every attempt in the meta line and the report, one prediction") {
  std::string root = make_temp_dir();
  std::string src = root + "/gadgets-src";
  BatchFixture::git_init(src);
  write_file(src + "/lib.txt", "name=gadgets\nvalue=1\n");
  std::string base = BatchFixture::commit(src, "gadgets");
  shell(root, "mkdir -p mirrors && git clone -q --mirror gadgets-src mirrors/acme__gadgets.git");
  json::Value task = json::Value::object();
  task.set("instance_id", "acme__gadgets-1").set("repo", "acme/gadgets").set("base_commit", base);
  task.set("problem_statement", "TASK-ATT: the value in lib.txt should be 2, not 1.");
  write_file(root + "/tasks.jsonl", json::dump(task) + "\n");

  json::Value script = json::Value::array();
  for (const char* repro : {"repro_a.sh", "repro_b.sh"}) {
    script.push(text_reply("TASK-ATT", std::string(repro) +
                                           "\n```\n<<<<<<< SEARCH\n=======\ngrep -q value=2 lib.txt\n>>>>>>> "
                                           "REPLACE\n```\n"));
    script.push(repro_call("TASK-ATT", std::string("sh ") + repro, repro));
    script.push(edit_reply("TASK-ATT", "lib.txt", "value=1", "value=2"));
  }
  script.push(edit_reply("TASK-ATT", "lib.txt", "value=1", "value=3"));  // must never be asked for
  auto mock = start_mock(json::dump(script));
  std::string out = root + "/out/preds.jsonl";
  std::string cmd =
      "XDG_CONFIG_HOME='" + root + "/xdg' '" + DIFFSMITH_BINARY + "' batch '" + root + "/tasks.jsonl'";
  for (const std::string& a :
       {std::string("--out"), out, std::string("--work-dir"), root + "/work", std::string("--repos-dir"),
        root + "/mirrors", std::string("--base-url"), mock->base_url(), std::string("--max-retries"),
        std::string("0"), std::string("-t"), std::string("true"), std::string("--attempts"), std::string("3"),
        std::string("--agree"), std::string("2"), std::string("--report"), root + "/report.html"})
    cmd += " " + exec::shell_quote(a);
  int code = -1;
  std::string output = shell(root, cmd, true, &code);
  INFO("diffsmith batch:\n" << output);
  CHECK(code == 0);
  CHECK(mock->requests().size() == 6);

  json::Value meta;
  for (const auto& m : read_jsonl(meta_path_for(out)))
    if (m["instance_id"].as_string() == "acme__gadgets-1") meta = m["diffsmith"];
  CHECK(meta["status"].as_string() == "solved");
  const auto& attempts = meta["attempts"].items();
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[0]["status"].as_string() == "solved");
  CHECK(attempts[1]["status"].as_string() == "solved");
  CHECK(attempts[2]["status"].as_string() == "not_run");
  CHECK(attempts[0]["winner"].as_bool() != attempts[1]["winner"].as_bool());
  CHECK(has(meta["selection"].as_string(), "same change"));
  auto preds = read_jsonl(out);
  REQUIRE(preds.size() == 1);
  CHECK(has(preds[0]["model_patch"].as_string(), "+value=2"));
  CHECK_FALSE(has(preds[0]["model_patch"].as_string(), "repro_"));
  std::string report = read_file(root + "/report.html");
  CHECK(has(report, "2 of 3 attempts ran, 2 solved; chosen: attempt "));
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
}
