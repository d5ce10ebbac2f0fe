// SseParser: line splitting that survives arbitrary splits, field handling.
#include "llm/sse.hpp"

#include <cstring>

namespace ds::llm {

void SseParser::feed(std::string_view in, std::vector<SseEvent>& out) {
  if (bytes_seen_ == 0 && line_.empty()) {
    // Skip a BOM only when it arrives whole in the first feed; a BOM split
    // byte-wise ends up as a field name nobody reads, which is harmless.
    if (in.substr(0, 3) == "\xEF\xBB\xBF") {
      bytes_seen_ += 3;
      in.remove_prefix(3);
    }
  }
  bytes_seen_ += in.size();
  size_t i = 0;
  if (skip_lf_ && !in.empty()) {
    if (in[0] == '\n') i = 1;
    skip_lf_ = false;
  }
  while (i < in.size()) {
    // Two memchr scans beat one find_first_of("\r\n") several times over.
    const char* base = in.data();
    const void* lf = std::memchr(base + i, '\n', in.size() - i);
    size_t limit = lf ? static_cast<size_t>(static_cast<const char*>(lf) - base) : in.size();
    const void* cr = std::memchr(base + i, '\r', limit - i);
    size_t j =
        cr ? static_cast<size_t>(static_cast<const char*>(cr) - base) : (lf ? limit : std::string_view::npos);
    if (j == std::string_view::npos) {
      line_.append(in.substr(i));
      break;
    }
    if (line_.empty()) {
      process_line(in.substr(i, j - i), out);
    } else {
      line_.append(in.substr(i, j - i));
      process_line(line_, out);
      line_.clear();
    }
    if (in[j] == '\r') {
      if (j + 1 == in.size()) {
        skip_lf_ = true;
        i = j + 1;
      } else {
        i = in[j + 1] == '\n' ? j + 2 : j + 1;
      }
    } else {
      i = j + 1;
    }
  }
}

bool SseParser::finish(std::vector<SseEvent>& out) {
  bool partial = !line_.empty() || has_data_;
  if (!line_.empty()) {
    std::string last = std::move(line_);
    line_.clear();
    process_line(last, out);
  }
  dispatch(out);
  skip_lf_ = false;
  return partial;
}

void SseParser::process_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line[0] == ':') return;  // comment / keep-alive
  std::string_view field = line;
  std::string_view value;
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    event_.assign(value);
  }
  // `id`, `retry` and unknown fields are ignored, as the spec says.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (has_data_) {
    data_.pop_back();  // the "\n" after the last data line
    out.push_back(SseEvent{std::move(event_), std::move(data_)});
  }
  data_.clear();
  event_.clear();
  has_data_ = false;
}

}  // namespace ds::llm
