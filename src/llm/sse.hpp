// An incremental Server-Sent Events parser: bytes in (in any split, even one
// at a time), complete events out. Both wire APIs stream through it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ds::llm {

struct SseEvent {
  std::string event;  // the `event:` field; empty when the server sent none
  std::string data;   // the `data:` lines joined with "\n"
};

// Follows the WHATWG event-stream rules: lines end with LF, CRLF or CR (a CRLF
// split across two feeds is still one line end); `:` lines are comments
// (keep-alives); one space after the colon is dropped; a blank line
// dispatches the event; an event with no data lines is not dispatched; `id`
// and `retry` are ignored. A UTF-8 byte order mark at the start is skipped.
class SseParser {
 public:
  // Parses `bytes`, appending every event they complete to `out`.
  void feed(std::string_view bytes, std::vector<SseEvent>& out);

  // End of stream. A final event that lacks its blank line is dispatched
  // anyway (some servers omit it); returns true when such a partial event or
  // line was pending, which callers may treat as a sign of truncation.
  bool finish(std::vector<SseEvent>& out);

  // Bytes consumed so far.
  size_t bytes_seen() const { return bytes_seen_; }

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::string line_;   // a line still waiting for its terminator
  std::string data_;   // data lines of the current event, each + "\n"
  std::string event_;  // event name of the current event
  bool has_data_ = false;
  bool skip_lf_ = false;  // the last feed ended in CR: a leading LF is its pair
  size_t bytes_seen_ = 0;
};

}  // namespace ds::llm
