// `diffsmith batch` through the real binary (the CLI wiring in cli.cpp):
// flags reach the batch command, predictions come out, --help lists the
// batch options. Skipped with a warning while the binary has no `batch`.
#include <catch2/catch.hpp>

#include "agent/batch/workspace.hpp"
#include "agent/cli/batch.hpp"
#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using namespace ds::agent::batch_testing;

namespace {

bool binary_has_batch() {
  int code = 0;
  shell("/", std::string("'") + DIFFSMITH_BINARY + "' batch --help >/dev/null 2>&1", true, &code);
  return code == 0;
}

}  // namespace

TEST_CASE("batch cli: the binary runs a batch with the same flags and lists the batch options") {
  if (!binary_has_batch()) {
    WARN(
        "SKIPPED: this diffsmith binary has no `batch` subcommand yet (cli.cpp) - tested in-process instead");
    return;
  }
  std::string help = shell("/", std::string("'") + DIFFSMITH_BINARY + "' batch --help");
  for (const auto& o : batch_options()) CHECK(has(help, std::string("--") + o.name));
  CHECK(has(help, "--max-turns"));  // run options apply to every task
  CHECK(has(help, "--base-url"));   // and the endpoint options

  BatchFixture f;
  auto mock = start_mock(BatchFixture::script());
  std::string cmd = "XDG_CONFIG_HOME='" + f.root + "/xdg' '" + DIFFSMITH_BINARY + "' batch '" + f.tasks + "'";
  for (const auto& [k, v] : f.flags(*mock))
    cmd += " --" + k + (v == "true" ? "" : " " + ds::exec::shell_quote(v));
  int code = 0;
  std::string out = shell(f.root, cmd, true, &code);
  INFO(out);
  CHECK(code == 0);
  CHECK(has(out, "solved 3/4"));
  CHECK(has(out, "line 3"));
  auto preds = read_jsonl(f.out);
  CHECK(preds.size() == 4);
}
