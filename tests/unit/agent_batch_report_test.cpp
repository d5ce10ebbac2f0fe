// The batch summary and HTML report: rows read back from the predictions and
// meta files, text escaped, links to each diff, totals; and the page renders
// (and its script runs) in headless Chromium when Debian's chromium is
// installed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/batch/output.hpp"
#include "agent/batch/report.hpp"
#include "support/git_repo.hpp"

using namespace ds;
using namespace ds::agent;
using git::testing::make_temp_dir;
using git::testing::read_file;
using git::testing::shell;
using git::testing::write_file;

namespace {

const std::string kPatch =
    "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1 < 2\n+x = \"<b>not bold</b>\"\n";

struct ReportFiles {
  std::string dir = make_temp_dir();
  std::string out = dir + "/preds.jsonl";
  std::vector<std::string> ids = {"a__b-1", "evil <script>alert(1)</script>", "a__b-3", "never-run"};
  ReportFiles() {
    auto meta_line = [](const std::string& id, const std::string& status, int turns, double cost,
                        double secs) {
      json::Value d = json::Value::object();
      d.set("status", status).set("reason", status == "solved" ? "tests pass" : "turn limit reached");
      d.set("turns", turns).set("cost_usd", cost).set("duration_s", secs).set("patch_applies", true);
      return json::dump(json::Value::object().set("instance_id", id).set("diffsmith", d)) + "\n";
    };
    write_file(out, json::dump(prediction_line(ids[0], "diffsmith-gpt-4.1", kPatch)) + "\n" +
                        json::dump(prediction_line(ids[1], "diffsmith-gpt-4.1", "")) + "\n");
    write_file(meta_path_for(out),
               meta_line(ids[0], "unsolved", 9, 0.5, 10) + meta_line(ids[1], "unsolved", 30, 1.25, 80) +
                   meta_line(ids[2], "error", 1, 0.01, 2) + meta_line(ids[0], "solved", 3, 0.25, 20));
  }
  ~ReportFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("batch report: rows from the latest lines, escaped HTML, a link per diff, totals") {
  ReportFiles files;
  auto rep = collect_report(files.ids, files.out, meta_path_for(files.out));
  REQUIRE(rep.ok());
  REQUIRE(rep->rows.size() == 4);
  CHECK(rep->rows[0].status == "solved");  // the later meta line wins
  CHECK(rep->rows[0].turns == 3);
  CHECK(rep->rows[0].patch == kPatch);
  CHECK(rep->rows[1].in_predictions);
  CHECK(rep->rows[2].status == "error");
  CHECK_FALSE(rep->rows[2].in_predictions);
  CHECK(rep->rows[3].status == "not run");
  auto t = rep->totals();
  CHECK(t.solved == 1);
  CHECK(t.unsolved == 1);
  CHECK(t.errors == 1);
  CHECK(t.not_run == 1);
  CHECK(t.predictions == 2);
  CHECK(t.turns == 34);
  CHECK(t.cost_usd == Approx(1.51));

  std::string html = report_html(*rep);
  CHECK(html.find("<script>alert(1)") == std::string::npos);
  CHECK(html.find("evil &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;not bold&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("<a href=\"#diff-0\">diff</a>") != std::string::npos);
  CHECK(html.find("id=\"diff-0\"") != std::string::npos);
  CHECK(html.find("id=\"diff-1\"") == std::string::npos);  // an empty patch has no diff section
  CHECK(html.find("http") == std::string::npos);           // self-contained: nothing to fetch

  std::string text = summary_text(*rep);
  CHECK(text.find("solved 1/4") != std::string::npos);
  CHECK(text.find("$1.51") != std::string::npos);
}

TEST_CASE("batch report: the page renders in headless Chromium with one row per task") {
  const char* chromium = "/usr/bin/chromium";
  if (access(chromium, X_OK) != 0) {
    WARN(
        "SKIPPED: /usr/bin/chromium is not installed (apt-get install chromium) - the render check did not "
        "run");
    return;
  }
  ReportFiles files;
  auto rep = collect_report(files.ids, files.out, meta_path_for(files.out));
  REQUIRE(rep.ok());
  std::string page = files.dir + "/report.html";
  REQUIRE(write_report_html(page, *rep).ok());
  std::string flags =
      "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
      "--user-data-dir='" +
      files.dir + "/profile'";
  std::string dom = shell(files.dir, "HOME='" + files.dir + "' timeout 90 " + std::string(chromium) + " " +
                                         flags + " --dump-dom 'file://" + page + "' 2>/dev/null");
  CHECK(dom.find("data-rendered=\"yes\"") != std::string::npos);  // the inline script ran
  size_t rows = 0;
  for (size_t p = 0; (p = dom.find("<tr class=\"task\">", p)) != std::string::npos; ++p) ++rows;
  CHECK(rows == 4);
  CHECK(dom.find("evil &lt;script&gt;") != std::string::npos);
  shell(files.dir, "HOME='" + files.dir + "' timeout 90 " + std::string(chromium) + " " + flags +
                       " --window-size=1000,700 --screenshot='" + files.dir + "/shot.png' 'file://" + page +
                       "' >/dev/null 2>&1");
  REQUIRE(std::filesystem::exists(files.dir + "/shot.png"));
  std::string png = read_file(files.dir + "/shot.png");
  CHECK(png.substr(1, 3) == "PNG");
  CHECK(png.size() > 5000);  // a page with content, not a blank image
}
