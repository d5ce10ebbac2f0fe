// The batch output files: lines appended whole from many threads, a partial
// last line cut off on open, the latest line per id read back, --redo's
// rewrite without some ids.
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "agent/batch/output.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using namespace ds::agent;
using ds::test::TempDir;
using git::testing::read_file;
using git::testing::write_file;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("batch output: 8 threads appending large lines leave only whole, valid lines") {
  TempDir d;
  std::string path = d.path + "/preds.jsonl";
  auto w = JsonlAppender::open(path);
  REQUIRE(w.ok());
  std::atomic<int> failures{0};  // Catch2 assertions are not thread-safe: count, check after
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        std::string patch(static_cast<size_t>((i % 5) * 40000 + 10), static_cast<char>('a' + t));
        if (!(*w)->append(prediction_line(id, "m", patch)).ok()) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  std::string text = read_file(path);
  REQUIRE(text.back() == '\n');
  auto lines = lines_of(text);
  REQUIRE(lines.size() == 320);
  std::set<std::string> ids;
  for (const auto& l : lines) {
    auto v = json::parse(l);
    REQUIRE(v.ok());
    std::string id = (*v)["instance_id"].as_string();
    ids.insert(id);
    char expect = static_cast<char>('a' + (id[1] - '0'));
    CHECK((*v)["model_patch"].as_string().find_first_not_of(expect) == std::string::npos);
  }
  CHECK(ids.size() == 320);
}

TEST_CASE("batch output: a partial last line is cut on open, reading keeps the latest line per id") {
  TempDir d;
  std::string path = d.path + "/preds.jsonl";
  std::string first = json::dump(prediction_line("a", "m", "old")) + "\n";
  std::string second = json::dump(prediction_line("b", "m", "")) + "\n";
  std::string third = json::dump(prediction_line("a", "m", "new")) + "\n";
  write_file(path, first + second + third + "{\"instance_id\": \"c\", \"model_pa");
  auto latest = read_latest_by_id(path);
  REQUIRE(latest.ok());
  CHECK(latest->size() == 2);  // the partial "c" line is no record
  CHECK((*latest)["a"]["model_patch"].as_string() == "new");

  auto w = JsonlAppender::open(path);
  REQUIRE(w.ok());
  CHECK((*w)->dropped_bytes() == std::string("{\"instance_id\": \"c\", \"model_pa").size());
  REQUIRE((*w)->append(prediction_line("c", "m", "x")).ok());
  CHECK(read_file(path) == first + second + third + json::dump(prediction_line("c", "m", "x")) + "\n");

  auto removed = remove_ids(path, {"a"});
  REQUIRE(removed.ok());
  CHECK(*removed == 2);
  CHECK(read_file(path) == second + json::dump(prediction_line("c", "m", "x")) + "\n");
  auto none = read_latest_by_id(d.path + "/missing.jsonl");
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("batch output: the meta file sits beside the predictions") {
  CHECK(meta_path_for("out/preds.jsonl") == "out/preds.meta.jsonl");
  CHECK(meta_path_for("preds") == "preds.meta.jsonl");
}
