// The search tool (issue 15): it no longer follows tracked symbolic links (a
// link to a secret outside the repo leaked it, a link to /dev/zero grew to
// 2 GB), and it runs the model's pattern on RE2, so catastrophic patterns
// that crashed std::regex (deep recursion on long lines) or stalled it are
// answered; output is capped in lines and bytes per line.
#include <catch2/catch.hpp>

#include "support/tool_repo.hpp"

using namespace ds;
using namespace ds::tools;
using namespace ds::tools::testing;

namespace {

json::Value search_args(const std::string& pattern, const std::string& glob = "") {
  return json::Value::object().set("pattern", pattern).set("glob", glob);
}

}  // namespace

TEST_CASE("search: tracked symbolic links are not followed (no leak, no /dev/zero)") {
  ToolRepo r;
  std::string outside = git::testing::make_temp_dir();
  git::testing::write_file(outside + "/secret.txt", "TOKEN=hunter2\n");
  r.t.write("app.py", "TOKEN = read_env()\n");
  r.t.sh("ln -s '" + outside + "/secret.txt' leak.txt && ln -s /dev/zero zero.txt");
  r.t.commit_all();
  r.open();
  ToolOutcome o = r.call("search", search_args("TOKEN|\\x00"));
  CHECK_FALSE(o.is_error);
  CHECK(has(o.content, "app.py:1: TOKEN = read_env()"));
  CHECK_FALSE(has(o.content, "hunter2"));
  CHECK_FALSE(has(o.content, "leak.txt:"));
  CHECK_FALSE(has(o.content, "zero.txt:"));
  CHECK(has(o.content, "2 tracked path(s) not searched"));
  std::filesystem::remove_all(outside);
}

TEST_CASE("search: catastrophic patterns on long lines are answered (RE2), the line shown in a window") {
  ToolRepo r;
  std::string minified;
  while (minified.size() < 108 * 1024) minified += "var a=function(){return 1};";
  minified += "function x(){render()}";
  std::string ab(20000, 'a');
  for (size_t i = 1; i < ab.size(); i += 2) ab[i] = 'b';
  r.t.write("dist/app.min.js", minified + "\n");
  r.t.write("ab.txt", ab + "c\n");
  r.t.write("as.txt", std::string(40, 'a') + "\n");
  r.t.commit_all();
  r.open();

  ToolOutcome render = r.call("search", search_args("function.*render"));
  CHECK_FALSE(render.is_error);
  CHECK(has(render.content, "dist/app.min.js:1: "));
  CHECK(has(render.content, "bytes]"));  // a window of the long line, and its length
  CHECK(render.content.size() < 1000);   // not the 108 KB line
  ToolOutcome alt = r.call("search", search_args("(a|b)*c"));
  CHECK(has(alt.content, "ab.txt:1: "));
  ToolOutcome nested = r.call("search", search_args("(a+)+b"));
  CHECK_FALSE(nested.is_error);
  CHECK(has(nested.content, "ab.txt:1: "));
  CHECK_FALSE(has(nested.content, "as.txt:"));
}

TEST_CASE("search: an invalid or unsupported pattern is explained, RE2 syntax named") {
  ToolRepo r;
  r.t.write("a.txt", "x\n");
  r.t.commit_all();
  r.open();
  ToolOutcome bad = r.call("search", search_args("(unclosed"));
  CHECK(bad.is_error);
  CHECK(has(bad.content, "invalid regular expression '(unclosed'"));
  CHECK(has(bad.content, "RE2"));
  ToolOutcome back = r.call("search", search_args("(a)\\1"));  // back-references: not in RE2
  CHECK(back.is_error);
}

TEST_CASE("search: at most 100 matches are shown, then a note") {
  ToolRepo r;
  std::string many;
  for (int i = 0; i < 150; ++i) many += "hit " + std::to_string(i) + "\n";
  r.t.write("many.txt", many);
  r.t.commit_all();
  r.open();
  ToolOutcome o = r.call("search", search_args("^hit"));
  CHECK(has(o.content, "many.txt:100: hit 99"));
  CHECK_FALSE(has(o.content, "many.txt:101:"));
  CHECK(has(o.content, "more than 100 matches"));
}

TEST_CASE("search: an interrupt (Ctrl-C) stops the search") {
  ToolRepo r;
  r.t.write("a.txt", "needle\n");
  r.t.commit_all();
  r.open();
  std::atomic<bool> stop{true};
  r.ctx.interrupted = &stop;
  ToolOutcome o = r.call("search", search_args("needle"));
  CHECK(has(o.content, "interrupted"));
  CHECK_FALSE(has(o.content, "a.txt:1"));
}
