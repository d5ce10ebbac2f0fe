// libFuzzer target: the SSE parser. Input: two seed bytes, then a byte
// stream. The stream is parsed whole, one byte at a time, and in pieces cut
// at seed-chosen points (empty pieces included); every way must give the
// same events and the same truncation flag, since real streams arrive in
// arbitrary TCP splits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "llm/sse.hpp"

using ds::llm::SseEvent;
using ds::llm::SseParser;

namespace {

struct Parsed {
  std::vector<SseEvent> events;
  bool partial = false;
  size_t seen = 0;
};

bool same(const Parsed& a, const Parsed& b) {
  if (a.events.size() != b.events.size() || a.partial != b.partial || a.seen != b.seen) return false;
  for (size_t i = 0; i < a.events.size(); ++i)
    if (a.events[i].event != b.events[i].event || a.events[i].data != b.events[i].data) return false;
  return true;
}

template <class Cuts>
Parsed parse_in_pieces(std::string_view s, Cuts next_len) {
  Parsed p;
  SseParser parser;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = std::min(next_len(i), s.size() - i);
    parser.feed(s.substr(i, n), p.events);
    i += n;
  }
  p.partial = parser.finish(p.events);
  p.seen = parser.bytes_seen();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint32_t seed = data[0] * 256u + data[1] + 1;
  std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  // A byte order mark is skipped only when it arrives whole in the first
  // feed (sse.hpp); keep the first three bytes together.
  const size_t first_piece = 3;

  Parsed whole = parse_in_pieces(s, [&](size_t) { return s.size(); });
  FUZZ_CHECK(whole.seen == s.size(), "bytes_seen counts every byte");
  for (const SseEvent& e : whole.events) {
    FUZZ_CHECK(e.event.find_first_of("\r\n") == std::string::npos, "event names hold no line break");
    FUZZ_CHECK(e.data.find('\r') == std::string::npos, "data lines are joined with LF only");
  }

  Parsed bytes = parse_in_pieces(s, [&](size_t at) { return at == 0 ? first_piece : size_t{1}; });
  FUZZ_CHECK(same(whole, bytes), "byte-at-a-time parsing equals whole parsing");

  uint32_t x = seed;
  Parsed pieces = parse_in_pieces(s, [&](size_t at) -> size_t {
    x = x * 1103515245u + 12345u;  // an LCG is plenty to vary the cuts
    if (at == 0) return first_piece + (x >> 16) % 5;
    return (x >> 16) % 9;  // 0 = an empty feed
  });
  FUZZ_CHECK(same(whole, pieces), "random splits equal whole parsing");
  return 0;
}
