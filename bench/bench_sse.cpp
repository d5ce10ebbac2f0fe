// Benchmark: parsing a 10 MB streamed Chat Completions reply, as recorded
// from the wire (text fragments, tool-call argument fragments, usage chunk,
// [DONE]). Measures the SSE parser alone and SSE + JSON + turn accumulation,
// in 16 KB reads (typical curl deliveries) and odd 1-1500 byte reads.
// Usage: bench_sse [FILE]   (FILE: a raw SSE stream to parse instead)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "json/value.hpp"
#include "llm/chat_wire.hpp"
#include "llm/sse.hpp"

using namespace ds::llm;
using Clock = std::chrono::steady_clock;

namespace {

std::string chunk(const std::string& delta, const char* finish = nullptr) {
  return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1744000000,"
         "\"model\":\"gpt-4.1-2025-04-14\",\"system_fingerprint\":\"fp_bench\",\"choices\":[{\"index\":0,"
         "\"delta\":" +
         delta + ",\"logprobs\":null,\"finish_reason\":" +
         (finish ? "\"" + std::string(finish) + "\"" : std::string("null")) + "}]}\n\n";
}

// About `target` bytes of a realistic stream: OpenAI sends a few characters
// of text per event; tool arguments (an edit with code) arrive the same way.
std::string make_stream(size_t target) {
  const std::string words[] = {"The ", "bug ",   "is ",  "in ",   "parse", "_line", "(); ",
                               "it ",  "drops ", "the ", "last ", "\\n",   "char",  "acter",
                               ". ",   "Fix",    "ing ", "now",   "."};
  std::string s = chunk("{\"role\":\"assistant\",\"content\":\"\"}");
  size_t i = 0;
  while (s.size() < target / 2) s += chunk("{\"content\":" + ds::json::quote(words[i++ % 19]) + "}");
  s += chunk(
      R"({"tool_calls":[{"index":0,"id":"call_bench","type":"function","function":{"name":"apply_edits","arguments":""}}]})");
  const std::string code[] = {"{\\\"", "blocks", "\\\":\\\"", "<<<<<<<", " SEARCH", "\\\\n",
                              "int ",  "x = ",   "1;",        "\\\\n",   "=======", "\\\\n",
                              "int x", " = 2;",  "\\\\n",     ">>>>>>>", " REPLACE"};
  while (s.size() < target - 400) {
    s += chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"" + code[i++ % 17] + "\"}}]}");
  }
  s += chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}");
  s += chunk("{}", "tool_calls");
  s += "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
       "{\"prompt_tokens\":90000,\"completion_tokens\":2500000,\"prompt_tokens_details\":{\"cached_tokens\":"
       "81920}}}\n\n";
  s += "data: [DONE]\n\n";
  return s;
}

std::vector<size_t> cuts(size_t size, bool odd) {
  std::vector<size_t> out;
  std::mt19937 rng(42);
  for (size_t at = 0; at < size;) {
    at += odd ? 1 + rng() % 1500 : 16384;
    out.push_back(std::min(at, size));
  }
  return out;
}

struct Speed {
  double wall = 0;  // MB/s by wall time
  double cpu = 0;   // MB/s by process CPU time (less disturbed by other load)
};

// Best of `reps` runs.
template <class F>
Speed best_mbps(const std::string& s, int reps, F&& run) {
  Speed best;
  const double mb = static_cast<double>(s.size()) / 1e6;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    std::clock_t c0 = std::clock();
    run();
    double cpu_secs = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    best.wall = std::max(best.wall, mb / secs);
    if (cpu_secs > 0) best.cpu = std::max(best.cpu, mb / cpu_secs);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string stream;
  if (argc > 1) {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "bench_sse: cannot read %s\n", argv[1]);
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    stream = ss.str();
  } else {
    stream = make_stream(10u << 20);
  }

  size_t events = 0, text_bytes = 0, arg_bytes = 0;
  for (bool odd : {false, true}) {
    std::vector<size_t> pieces = cuts(stream.size(), odd);
    const char* how = odd ? "odd 1-1500 B reads" : "16 KB reads";

    Speed sse_only = best_mbps(stream, 7, [&] {
      SseParser p;
      std::vector<SseEvent> out;
      size_t prev = 0, n = 0;
      for (size_t c : pieces) {
        out.clear();
        p.feed(std::string_view(stream).substr(prev, c - prev), out);
        n += out.size();
        prev = c;
      }
      out.clear();
      p.finish(out);
      events = n + out.size();
    });

    Speed full = best_mbps(stream, 5, [&] {
      SseParser p;
      ChatStreamDecoder d([&](std::string_view) {});
      std::vector<SseEvent> out;
      size_t prev = 0;
      for (size_t c : pieces) {
        out.clear();
        p.feed(std::string_view(stream).substr(prev, c - prev), out);
        for (const auto& e : out) {
          if (!d.on_event(e).ok()) std::abort();
        }
        prev = c;
      }
      out.clear();
      p.finish(out);
      for (const auto& e : out) (void)d.on_event(e);
      auto turn = d.finish();
      if (!turn.ok()) {
        std::fprintf(stderr, "bench_sse: the stream did not decode: %s\n", turn.error().message.c_str());
        std::exit(1);
      }
      text_bytes = turn->text.size();
      arg_bytes = turn->tool_calls.empty() ? 0 : turn->tool_calls[0].arguments.size();
    });

    std::printf("%-20s sse parser only: %7.0f MB/s (CPU %7.0f)   sse + JSON + turn: %6.1f MB/s (CPU %6.1f)\n",
                how, sse_only.wall, sse_only.cpu, full.wall, full.cpu);
  }
  std::printf("stream: %.2f MB, %zu events; decoded %zu bytes of text and %zu bytes of tool arguments\n",
              static_cast<double>(stream.size()) / 1e6, events, text_bytes, arg_bytes);
  return 0;
}
