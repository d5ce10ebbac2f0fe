// SseParser: events survive any split of the byte stream (one byte at a time,
// every two-way split, random splits), CRLF / CR line ends, comments,
// multi-line data, event names, and a missing final blank line.
#include <catch2/catch.hpp>
#include <random>

#include "llm/sse.hpp"

using ds::llm::SseEvent;
using ds::llm::SseParser;

namespace {

std::vector<SseEvent> parse_in_pieces(std::string_view stream, const std::vector<size_t>& cuts) {
  SseParser p;
  std::vector<SseEvent> out;
  size_t prev = 0;
  for (size_t cut : cuts) {
    p.feed(stream.substr(prev, cut - prev), out);
    prev = cut;
  }
  p.feed(stream.substr(prev), out);
  p.finish(out);
  return out;
}

std::vector<SseEvent> parse_bytewise(std::string_view stream) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  return parse_in_pieces(stream, cuts);
}

bool same(const std::vector<SseEvent>& a, const std::vector<SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].event != b[i].event || a[i].data != b[i].data) return false;
  }
  return true;
}

const std::string kStream =
    ": keep-alive\n"
    "data: {\"a\":1}\n"
    "\n"
    "event: response.output_text.delta\r\n"
    "data: {\"delta\":\"h\\u00e9\"}\r\n"
    "\r\n"
    "data: line one\n"
    "data: line two\n"
    "id: 7\n"
    "retry: 100\n"
    "\n"
    ":comment between\n"
    "data:no-space\r"
    "\r"
    "event: ignored-without-data\n"
    "\n"
    "data: [DONE]\n"
    "\n";

}  // namespace

TEST_CASE("sse: a whole stream yields its events with names and joined data") {
  auto events = parse_in_pieces(kStream, {});
  REQUIRE(events.size() == 5);
  CHECK(events[0].event.empty());
  CHECK(events[0].data == "{\"a\":1}");
  CHECK(events[1].event == "response.output_text.delta");
  CHECK(events[1].data == "{\"delta\":\"h\\u00e9\"}");
  CHECK(events[2].data == "line one\nline two");
  CHECK(events[3].data == "no-space");
  CHECK(events[4].data == "[DONE]");
}

TEST_CASE("sse: feeding one byte at a time gives the same events") {
  CHECK(same(parse_bytewise(kStream), parse_in_pieces(kStream, {})));
}

TEST_CASE("sse: every two-way split gives the same events (CRLF split across feeds included)") {
  auto whole = parse_in_pieces(kStream, {});
  for (size_t cut = 1; cut < kStream.size(); ++cut) {
    INFO("cut at " << cut);
    REQUIRE(same(parse_in_pieces(kStream, {cut}), whole));
  }
}

TEST_CASE("sse: random multi-way splits give the same events") {
  auto whole = parse_in_pieces(kStream, {});
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    std::vector<size_t> cuts;
    for (size_t i = 1; i < kStream.size(); ++i) {
      if (rng() % 5 == 0) cuts.push_back(i);
    }
    INFO("round " << round);
    REQUIRE(same(parse_in_pieces(kStream, cuts), whole));
  }
}

TEST_CASE("sse: an event is only dispatched at its blank line") {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed("data: {\"x\":", out);
  CHECK(out.empty());
  p.feed("1}\n", out);
  CHECK(out.empty());
  p.feed("\n", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "{\"x\":1}");
  CHECK_FALSE(p.finish(out));  // nothing pending
  CHECK(out.size() == 1);
}

TEST_CASE("sse: a last event without its blank line is still delivered and flagged") {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed("data: a\n\ndata: [DONE]", out);
  REQUIRE(out.size() == 1);
  CHECK(p.finish(out));
  REQUIRE(out.size() == 2);
  CHECK(out[1].data == "[DONE]");
}

TEST_CASE("sse: a UTF-8 byte order mark at the start is skipped") {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed(
      "\xEF\xBB\xBF"
      "data: x\n\n",
      out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].data == "x");
}

TEST_CASE("sse: empty data lines make empty-string data, a field without colon is ignored") {
  auto events = parse_in_pieces("data\n\ndata:\ndata:\n\nbogus\n\n", {});
  REQUIRE(events.size() == 2);
  CHECK(events[0].data.empty());
  CHECK(events[1].data == "\n");
}
