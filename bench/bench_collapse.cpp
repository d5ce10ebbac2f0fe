// Benchmark of collapsing old outputs (agent/context_window.hpp, issue 23
// item 3): one scripted 30-turn session with large reads and failing test
// runs, through the real Session (real git repository, real tools, real
// edits), with collapse off and on at several K (keep-turns) and B
// (collapse-block). For each: total input tokens, cached tokens, cost at
// GPT-4.1 prices (llm/pricing), and the outcome (status and final diff).
//
// The prompt cache is modelled as OpenAI documents it: a request's prefix
// that is byte-identical to an earlier request's (tools, then messages) is
// cached, counted in 128-token steps from 1,024 tokens. Tokens are the
// project's estimate (text/tokens.hpp: bytes / 4) of the serialized request.
// The token ceiling is the default's (context-tokens), not reached here.
// Usage: bench_collapse [K/B ...]   (default 2/6, the defaults, then 1/6 3/6 4/6 6/4 6/8)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent/session.hpp"
#include "git/repository.hpp"
#include "json/value.hpp"
#include "llm/chat_wire.hpp"
#include "llm/pricing.hpp"
#include "text/tokens.hpp"

namespace {

using namespace ds;
namespace fs = std::filesystem;

constexpr int kModules = 10, kLines = 400;

std::string module_text(int m, const std::string& price_body) {
  std::string s = "\"\"\"Module " + std::to_string(m) + " of the shop.\"\"\"\n\n";
  for (int i = 0; i < kLines / 4; ++i)
    s += "def helper_" + std::to_string(m) + "_" + std::to_string(i) + "(value, factor=" + std::to_string(i) +
         "):\n    \"\"\"Scale value by factor.\"\"\"\n    return value * factor + " + std::to_string(m) +
         "\n\n";
  if (m == 3) s += "def price(x):\n" + price_body;
  return s;
}

void sh(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "bench_collapse: failed: %s\n", cmd.c_str());
    std::exit(1);
  }
}

std::string make_repo() {
  char tmpl[] = "/tmp/ds-bench-collapse-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  fs::create_directories(dir + "/shop");
  for (int m = 0; m < kModules; ++m) {
    std::ofstream f(dir + "/shop/mod" + std::to_string(m) + ".py");
    f << module_text(m, "    return int(x * 100)\n");
  }
  sh("cd " + dir +
     " && git init -q -b main && git -c user.name=b -c user.email=b@b add -A && "
     "git -c user.name=b -c user.email=b@b commit -qm base");
  return dir;
}

json::Value args(std::initializer_list<std::pair<const char*, std::string>> kv) {
  json::Value v = json::Value::object();
  for (const auto& [k, s] : kv) v.set(k, s);
  return v;
}

llm::Turn call_turn(int n, const std::string& thought, const std::string& name, json::Value a) {
  llm::Turn t;
  t.text = thought;
  t.finish_reason = "tool_calls";
  llm::ToolCall c;
  c.id = "call_" + std::to_string(n);
  c.name = name;
  c.arguments = json::dump(a);
  c.args = std::move(a);
  t.tool_calls.push_back(std::move(c));
  return t;
}

std::string block(const std::string& search, const std::string& replace) {
  return "shop/mod3.py\n```python\n<<<<<<< SEARCH\n" + search + "=======\n" + replace +
         ">>>>>>> REPLACE\n```\n";
}

// The 30 turns: explore, read big files, run the tests, four wrong fixes
// (each tested, failing with a long output), more reading, the fix.
std::vector<llm::Turn> script() {
  std::vector<llm::Turn> s;
  const std::string plan =
      "Plan: I will look at how price() is computed and where it is called, then check the rounding "
      "behaviour against the failing test before changing anything. ";
  auto read = [&](int n, int m) {
    s.push_back(call_turn(n, plan + "Reading module " + std::to_string(m) + ".", "read_file",
                          args({{"path", "shop/mod" + std::to_string(m) + ".py"}})));
  };
  std::string body = "    return int(x * 100)\n";
  int attempt = 0;
  auto edit = [&](int n, bool right) {
    std::string next = right ? "    return int(round(x * 100))\n"
                             : "    return int(x * 100)  # attempt " + std::to_string(++attempt) + "\n";
    llm::Turn t;
    t.text = plan + "Changing price() (turn " + std::to_string(n) + ").\n\n" + block(body, next);
    t.finish_reason = "stop";
    body = next;
    s.push_back(t);
  };
  int n = 0;
  s.push_back(call_turn(++n, plan, "list_files", args({{"glob", ""}})));
  s.push_back(call_turn(++n, plan, "search", args({{"pattern", "def (price|helper_3_1)"}, {"glob", ""}})));
  for (int m = 0; m < 6; ++m) read(++n, m);                               // turns 3-8
  s.push_back(call_turn(++n, plan, "run_tests", json::Value::object()));  // 9
  edit(++n, false);                                                       // 10
  for (int m = 6; m < 10; ++m) read(++n, m);                              // 11-14
  edit(++n, false);                                                       // 15
  for (int m : {0, 2, 4, 6}) read(++n, m);                                // 16-19
  s.push_back(call_turn(++n, plan, "run_tests", json::Value::object()));  // 20
  edit(++n, false);                                                       // 21
  for (int m : {3, 5, 7, 9}) read(++n, m);                                // 22-25
  edit(++n, false);                                                       // 26
  for (int m : {1, 3, 8}) read(++n, m);                                   // 27-29
  edit(++n, true);                                                        // 30
  return s;
}

// The serialized prompt: tools first, then the messages, as the model reads them.
std::string prompt_text(const llm::Request& req) {
  json::Value body = llm::build_chat_body(req, false);
  std::string s = json::dump(body["tools"]);
  for (const auto& m : body["messages"].items()) s += json::dump(m);
  return s;
}

class CachedScript final : public llm::Client {
 public:
  explicit CachedScript(std::vector<llm::Turn> turns) : turns_(std::move(turns)) {}
  Result<llm::Turn> complete(const llm::Request& req, const llm::TextCallback&) override {
    if (next_ >= turns_.size()) return make_error("script exhausted", llm::ErrorKind::Server);
    std::string prompt = prompt_text(req);
    size_t best = 0;
    for (const auto& seen : seen_) {
      size_t n = 0, end = std::min(seen.size(), prompt.size());
      while (n < end && seen[n] == prompt[n]) ++n;
      best = std::max(best, n);
    }
    seen_.push_back(prompt);
    llm::Turn t = turns_[next_++];
    t.usage.prompt_tokens = static_cast<int64_t>(text::estimate_tokens(prompt));
    int64_t cached = static_cast<int64_t>(best / 4);
    t.usage.cached_tokens = cached < 1024 ? 0 : cached / 128 * 128;
    std::string out = t.text;
    for (const auto& c : t.tool_calls) out += c.arguments;
    t.usage.completion_tokens = static_cast<int64_t>(text::estimate_tokens(out));
    t.usage_known = true;
    return t;
  }

 private:
  std::vector<llm::Turn> turns_;
  size_t next_ = 0;
  std::vector<std::string> seen_;
};

// The tests: fail with a long pytest-like report until price() rounds.
class Tests final : public exec::ProcessRunner {
 public:
  explicit Tests(std::string root) : root_(std::move(root)) {}
  Result<exec::RunResult> run(const exec::RunRequest&) override {
    std::ifstream f(root_ + "/shop/mod3.py");
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    exec::RunResult r;
    bool ok = text.find("round(") != std::string::npos;
    r.exit_code = ok ? 0 : 1;
    if (ok) {
      r.output = "120 passed in 0.8s\n";
      return r;
    }
    r.output = "============================= test session starts ==============================\n";
    for (int i = 0; i < 119; ++i)
      r.output += "tests/test_shop.py::test_helper_" + std::to_string(i) + " PASSED   [" +
                  std::to_string(i * 100 / 120) + "%]\n";
    r.output +=
        "tests/test_shop.py::test_price_rounds FAILED\n\n=================================== FAILURES "
        "===================================\n";
    for (int i = 0; i < 60; ++i)
      r.output += "    frame " + std::to_string(i) + ": shop/mod3.py:403 in price: return int(x * 100)\n";
    r.output +=
        "E       assert 1999 == 2000\nE        +  where 1999 = price(19.99)\n"
        "=========================== 1 failed, 119 passed in 0.9s ===========================\n";
    return r;
  }

 private:
  std::string root_;
};

class Quiet final : public agent::EventSink {
 protected:
  void on_event(const agent::Event&) override {}
};

struct Result_ {
  std::string label, status, diff;
  int turns = 0;
  llm::Usage usage;
  double cost = 0;
};

Result_ run(const std::string& label, bool enabled, int k, int b) {
  std::string dir = make_repo();
  auto repo = git::Repository::open(dir);
  if (!repo.ok()) std::exit(1);
  agent::RunConfig cfg;
  cfg.task = "price(19.99) returns 1998 cents instead of 1999: prices must be rounded to the nearest cent.";
  cfg.test_cmd = "pytest -q";
  cfg.run_id = "bench";
  cfg.map_tokens = 0;
  cfg.max_turns = 30;
  cfg.max_cost = 0;
  cfg.instructions.enabled = false;
  cfg.collapse.enabled = enabled;
  cfg.collapse.keep_turns = k;
  cfg.collapse.block_turns = b;
  CachedScript client(script());
  Tests tests(dir);
  Quiet events;
  agent::Session session(cfg, *repo, client, tests, events, nullptr);
  agent::RunOutcome out = session.run();
  Result_ r{label, agent::status_name(out.status), out.diff, out.turns, out.usage, 0};
  r.cost = llm::cost_of(out.usage, llm::table_price("gpt-4.1")).usd.value_or(-1);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<int, int>> kb;
  for (int i = 1; i < argc; ++i) {
    int k = 0, b = 0;
    if (std::sscanf(argv[i], "%d/%d", &k, &b) == 2) kb.emplace_back(k, b);
  }
  if (kb.empty()) kb = {{2, 6}, {1, 6}, {3, 6}, {4, 6}, {6, 4}, {6, 8}};
  Result_ off = run("off", false, 6, 4);
  std::printf(
      "| collapse | turns | status | input tokens | cached | cache share | cost (GPT-4.1) | input vs off "
      "| cost vs off | same diff |\n|---|---|---|---|---|---|---|---|---|---|\n");
  auto row = [&](const Result_& r) {
    double in = static_cast<double>(r.usage.prompt_tokens),
           cached = static_cast<double>(r.usage.cached_tokens);
    std::printf("| %s | %d | %s | %lld | %lld | %.0f%% | $%.4f | %.2f× | %.2f× | %s |\n", r.label.c_str(),
                r.turns, r.status.c_str(), static_cast<long long>(r.usage.prompt_tokens),
                static_cast<long long>(r.usage.cached_tokens), in > 0 ? 100 * cached / in : 0, r.cost,
                in / static_cast<double>(off.usage.prompt_tokens), r.cost / off.cost,
                r.diff == off.diff && r.status == off.status ? "yes" : "NO");
  };
  row(off);
  for (auto [k, b] : kb) row(run("K=" + std::to_string(k) + " B=" + std::to_string(b), true, k, b));
  return 0;
}
