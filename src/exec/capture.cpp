// HeadTailCapture: head bytes in a string, tail bytes in a ring buffer.
#include "exec/capture.hpp"

#include <algorithm>
#include <cstring>

namespace ds::exec {

HeadTailCapture::HeadTailCapture(size_t cap) : cap_(cap), head_cap_(cap / 2), tail_cap_(cap - cap / 2) {}

void HeadTailCapture::append(std::string_view data) {
  total_ += data.size();
  if (head_.size() < head_cap_) {
    size_t n = std::min(data.size(), head_cap_ - head_.size());
    head_.append(data.substr(0, n));
    data.remove_prefix(n);
  }
  if (data.empty() || tail_cap_ == 0) return;
  if (ring_.size() < tail_cap_) ring_.resize(tail_cap_);
  if (data.size() >= tail_cap_) {  // only the last tail_cap_ bytes survive
    std::memcpy(ring_.data(), data.data() + data.size() - tail_cap_, tail_cap_);
    ring_pos_ = 0;
    ring_fill_ = tail_cap_;
    return;
  }
  size_t first = std::min(data.size(), tail_cap_ - ring_pos_);
  std::memcpy(ring_.data() + ring_pos_, data.data(), first);
  std::memcpy(ring_.data(), data.data() + first, data.size() - first);
  ring_pos_ = (ring_pos_ + data.size()) % tail_cap_;
  ring_fill_ = std::min(tail_cap_, ring_fill_ + data.size());
}

std::string HeadTailCapture::text() const {
  std::string tail;
  tail.reserve(ring_fill_);
  if (ring_fill_ < tail_cap_) {
    tail.assign(ring_.data(), ring_fill_);  // never wrapped: starts at 0
  } else {
    tail.append(ring_.data() + ring_pos_, tail_cap_ - ring_pos_);
    tail.append(ring_.data(), ring_pos_);
  }
  if (!truncated()) return head_ + tail;
  std::string out = head_;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out +=
      "[... " + std::to_string(total_ - head_.size() - tail.size()) + " bytes cut by the output cap ...]\n";
  out += tail;
  return out;
}

}  // namespace ds::exec
