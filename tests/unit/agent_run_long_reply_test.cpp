// End-to-end `diffsmith run` against the scripted mock model with a huge
// reply (issue 21, item 6): thousands of failing SEARCH/REPLACE blocks in
// the model's text. Streaming them is linear, so Ctrl-C is seen promptly;
// --max-time stops the edits of a reply that arrives after the limit; and
// the blocks past the per-reply cap are refused with a message, not located.
#include <signal.h>

#include <catch2/catch.hpp>

#include "edit/plan.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::map<std::string, std::string> kFiles = {{"a.txt", "hello\nbroken\n"}};

bool wait_for(const std::function<bool()>& ready, double seconds = 10) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A reply whose first block fixes a.txt, followed by `failing` blocks whose
// SEARCH is nowhere in it (about 60 bytes each).
std::string huge_reply(size_t failing) {
  std::string text = "Here are my edits.\n\n" + sr_block("a.txt", "broken\n", "fixed\n");
  for (size_t i = 0; i < failing; ++i)
    text += sr_block("a.txt", "no such line " + std::to_string(i) + "\n", "x\n");
  return text;
}

// A text turn sent in large fragments (the mock's default of 3 characters
// would take it minutes to send a megabyte).
Value text_turn(const std::string& text) {
  Value t = Value::object();
  t.set("text", text);
  t.set("fragment", 8192);
  return t;
}

std::vector<std::string> run_argv(const MockServer& mock, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"run",        "fix a.txt",    "-t", "grep -q fixed a.txt",
                                   "--base-url", mock.base_url()};
  args.insert(args.end(), extra.begin(), extra.end());
  return diffsmith_argv(args);
}

}  // namespace

TEST_CASE("run e2e: SIGINT while a reply of 20000 failing blocks streams in exits 130 promptly") {
  TempRepo repo(kFiles);
  Value slow = text_turn("Still thinking.");
  slow.set("delay", 30);
  // Every block fails, so the run goes on to a second, slow request.
  std::string reply;
  for (size_t i = 0; i < 20000; ++i)
    reply += sr_block("a.txt", "no such line " + std::to_string(i) + "\n", "x\n");
  auto mock = start_mock(script({text_turn(reply), slow}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 60;
  Child child(run_argv(*mock), opts);
  REQUIRE(wait_for([&] { return mock->requests().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the 1.2 MB reply is on its way
  auto sent = std::chrono::steady_clock::now();
  child.signal(SIGINT);
  ProcResult r = child.wait();
  double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  INFO("stderr (tail): " << r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code == 130);
  CHECK(after < 10.0);
  CHECK(contains(r.err, "interrupted"));
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
}

TEST_CASE("run e2e: a reply that arrives after --max-time is not applied and the run stops") {
  TempRepo repo(kFiles);
  Value late = text_turn(huge_reply(8000));
  late.set("delay", 2.5);  // the reply arrives after the 2 s limit
  auto mock = start_mock(script({late, text_turn(huge_reply(10))}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 60;
  Child child(run_argv(*mock, {"--max-time", "2"}), opts);
  ProcResult r = child.wait();
  INFO("stderr (tail): " << r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  CHECK_FALSE(r.timed_out);
  CHECK(r.seconds < 15.0);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "--max-time 2"));
  CHECK(mock->requests().size() == 1);             // no second request
  CHECK(repo.read("a.txt") == "hello\nbroken\n");  // the late reply's edits were not applied
}

TEST_CASE("run e2e: blocks past the per-reply cap are not located and the model is told to resend them") {
  TempRepo repo(kFiles);
  // 8,000 failing blocks, then the fix as block 8,001: past the cap.
  std::string reply = "Here are my edits.\n\n";
  for (size_t i = 0; i < 8000; ++i)
    reply += sr_block("a.txt", "no such line " + std::to_string(i) + "\n", "x\n");
  reply += sr_block("a.txt", "broken\n", "fixed\n");
  auto mock = start_mock(script({text_turn(reply), text_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 60;
  Child child(run_argv(*mock), opts);
  ProcResult r = child.wait();
  INFO("stderr (tail): " << r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0));
  CHECK_FALSE(r.timed_out);
  CHECK(r.seconds < 30.0);
  CHECK(r.exit_code == 0);  // turn 2 fixed a.txt
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  auto requests = mock->requests();
  REQUIRE(requests.size() == 2);
  std::string sent = all_text(requests[1]);
  std::string cap = std::to_string(ds::edit::kMaxFailedEditsPerReply);
  CHECK(contains(sent, "8001 of 8001 edit blocks failed"));
  CHECK(contains(
      sent, "Block(s) " + std::to_string(ds::edit::kMaxFailedEditsPerReply + 1) + "-8001 were not applied"));
  CHECK(
      contains(sent, cap + " blocks of this reply failed already, so the blocks after them were not tried"));
}

TEST_CASE("run e2e: --max-time ends a reply that is still streaming, as unsolved, not interrupted") {
  for (const char* how : {"stall", "delay"}) {
    DYNAMIC_SECTION(how) {
      TempRepo repo(kFiles);
      // "stall": half the reply, then 30 s of silence; "delay": 30 s before the first byte.
      Value slow = text_turn("I am looking at a.txt and will fix it now.");
      slow.set("fragment", 4);
      if (std::string(how) == "stall") {
        slow.set("fault", "stall");
        slow.set("seconds", 30);
      } else {
        slow.set("delay", 30);
      }
      auto mock = start_mock(script({slow}));
      ProcOptions opts;
      opts.cwd = repo.root();
      opts.timeout_s = 60;
      auto started = std::chrono::steady_clock::now();
      ProcResult r = run_process(run_argv(*mock, {"--max-time", "2", "--json"}), opts);
      double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      INFO("stderr: " << r.err);
      CHECK_FALSE(r.timed_out);
      CHECK(took < 12.0);  // not the 30 s the reply would take
      CHECK(r.exit_code == 1);
      std::vector<Value> finished;
      for (const Value& e : json_lines(r.out))
        if (e["type"].as_string() == "run_finished") finished.push_back(e);
      REQUIRE(finished.size() == 1);
      CHECK(finished[0]["status"].as_string() == "unsolved");
      CHECK(contains(finished[0]["reason"].as_string(), "--max-time 2"));
      CHECK(mock->requests().size() == 1);  // given up, not retried
      CHECK(repo.read("a.txt") == "hello\nbroken\n");
    }
  }
}
