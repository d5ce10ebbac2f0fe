// trim_for_model and strip_terminal_codes: what a model gets to see of a
// command's output.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "exec/capture.hpp"
#include "exec/trim.hpp"
#include "text/tokens.hpp"
#include "text/utf8.hpp"

using ds::exec::strip_terminal_codes;
using ds::exec::trim_for_model;

namespace {

std::string numbered_lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

}  // namespace

TEST_CASE("terminal colour, title and cursor codes are removed") {
  CHECK(strip_terminal_codes("\x1b[1;31mFAIL\x1b[0m test_x\n") == "FAIL test_x\n");
  CHECK(strip_terminal_codes("\x1b]0;title\x07ok\n") == "ok\n");
  CHECK(strip_terminal_codes("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n") == "link\n");
  CHECK(strip_terminal_codes("a\x1b(Bb\x1b"
                             "7c\n") == "abc\n");
  CHECK(strip_terminal_codes("\x1b[2K\x1b[1Gdone") == "done");
}

TEST_CASE("progress redraws keep what the terminal would show, CRLF becomes LF") {
  CHECK(strip_terminal_codes(" 10%\r 50%\r100%\ndone\r\n") == "100%\ndone\n");
  CHECK(strip_terminal_codes("a\r\nb\r") == "a\nb");
}

TEST_CASE("short output is only cleaned, never cut") {
  std::string out = trim_for_model("\x1b[32mok\x1b[0m \xff\n", 100);
  CHECK(out == "ok \xEF\xBF\xBD\n");
}

TEST_CASE("long output keeps whole head and tail lines within the budget") {
  std::string input = numbered_lines(1000);
  size_t max_tokens = GENERATE(60, 200, 1000);
  std::string out = trim_for_model(input, max_tokens);
  CHECK(ds::text::estimate_tokens(out) <= max_tokens);

  // The marker line: "[... N bytes (M lines) cut ...]\n".
  size_t at = out.find("[... ");
  REQUIRE(at != std::string::npos);
  size_t end = out.find(" lines) cut ...]\n", at);
  REQUIRE(end != std::string::npos);
  std::string head = out.substr(0, at), tail = out.substr(end + 17);
  std::string numbers = out.substr(at + 5, end - at - 5);  // "N bytes (M"
  size_t bytes_word = numbers.find(" bytes (");
  REQUIRE(bytes_word != std::string::npos);
  // Head is a prefix and tail a suffix of the input, both whole lines.
  CHECK(input.compare(0, head.size(), head) == 0);
  CHECK(input.compare(input.size() - tail.size(), tail.size(), tail) == 0);
  CHECK((head.empty() || head.back() == '\n'));
  CHECK((tail.empty() || tail.front() == 'l'));
  CHECK(tail.size() > head.size());  // the tail gets the larger share
  CHECK(tail.substr(tail.size() - 9) == "line 999\n");
  // The marker's numbers describe exactly what is missing.
  size_t cut_bytes = std::stoul(numbers.substr(0, bytes_word));
  size_t cut_lines = std::stoul(numbers.substr(bytes_word + 8));
  CHECK(head.size() + cut_bytes + tail.size() == input.size());
  std::string middle = input.substr(head.size(), cut_bytes);
  CHECK(cut_lines == static_cast<size_t>(std::count(middle.begin(), middle.end(), '\n')));
}

TEST_CASE("one enormous line is cut inside, on UTF-8 boundaries") {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += "\xC3\xA9\xE2\x82\xAC";  // é€, no newline
  std::string out = trim_for_model(input, 100);
  CHECK(ds::text::estimate_tokens(out) <= 100);
  CHECK(ds::text::is_valid_utf8(out));
  CHECK(out.find(" bytes (1 lines) cut ...]") != std::string::npos);
  CHECK(out.rfind("\xE2\x82\xAC") == out.size() - 3);
}

TEST_CASE("HeadTailCapture keeps exactly the first and last bytes, any chunking") {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += static_cast<char>('a' + (i * 7) % 26);
  size_t cap = GENERATE(0, 1, 100, 101, 9999, 10000, 20000);
  size_t chunk = GENERATE(1, 3, 64, 333, 10000);
  ds::exec::HeadTailCapture cap_buf(cap);
  for (size_t i = 0; i < data.size(); i += chunk) cap_buf.append(std::string_view(data).substr(i, chunk));
  CHECK(cap_buf.total_bytes() == data.size());
  CHECK(cap_buf.truncated() == (data.size() > cap));
  std::string text = cap_buf.text();
  if (!cap_buf.truncated()) {
    CHECK(text == data);
  } else {
    std::string head = data.substr(0, cap / 2), tail = data.substr(data.size() - (cap - cap / 2));
    std::string expected = head + (head.empty() ? "" : "\n") + "[... " + std::to_string(data.size() - cap) +
                           " bytes cut by the output cap ...]\n" + tail;
    CHECK(text == expected);
  }
}
