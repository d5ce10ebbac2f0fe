// Placeholder checks and the standard-mode test command.
#include "agent/batch/mode.hpp"

#include "agent/config/test_detect.hpp"
#include "exec/program.hpp"

namespace ds::agent {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

const char* carries(const std::string& placeholder) {
  if (placeholder == "{tests}") return "the instance's FAIL_TO_PASS and PASS_TO_PASS test ids";
  if (placeholder == "{fail_to_pass}") return "the instance's FAIL_TO_PASS test ids";
  if (placeholder == "{test_files}") return "the files of the instance's test_patch";
  return "a file listing the instance's FAIL_TO_PASS and PASS_TO_PASS test ids";
}

}  // namespace

const std::vector<std::string>& oracle_placeholders() {
  static const std::vector<std::string> kAll = {"{tests}", "{fail_to_pass}", "{test_files}", "{tests_file}"};
  return kAll;
}

Status check_test_placeholders(const std::string& cmd, const std::string& where, const BatchMode& mode) {
  if (mode.oracle_tests) return Ok{};
  for (const std::string& p : oracle_placeholders())
    if (cmd.find(p) != std::string::npos)
      return make_error(where + " uses " + p + ", which carries " + carries(p) +
                        ": the hidden tests that grade the task. SWE-bench's rules forbid the system "
                        "that makes the patch to use them, so standard mode (the default) refuses it. "
                        "Drop " +
                        p +
                        " (without a test command each checkout's detected one is used), or pass "
                        "--oracle-tests for an oracle run, labelled as such and not a SWE-bench score");
  return Ok{};
}

std::string given_test_command(const BatchTask& t, const std::string& template_cmd) {
  std::string cmd = t.test_cmd.empty() ? template_cmd : t.test_cmd;
  for (const std::string& p : oracle_placeholders())
    if (cmd.find(p) != std::string::npos) return "";  // refused before any task runs; never expanded
  replace_all(cmd, "{id}", exec::shell_quote(t.id));
  replace_all(cmd, "{repo}", exec::shell_quote(t.repo));
  replace_all(cmd, "{version}", exec::shell_quote(t.version));
  return cmd;
}

TaskTests standard_test_command(const BatchTask& t, const std::string& template_cmd,
                                const std::string& checkout) {
  if (std::string cmd = given_test_command(t, template_cmd); !cmd.empty())
    return {cmd, t.test_cmd.empty() ? "--test-cmd" : "the task's test_cmd"};
  DetectedTests d = detect_test_command(checkout);
  if (!d.command.empty()) return {d.command, "detected from " + d.source};
  return {"", "none"};
}

}  // namespace ds::agent
