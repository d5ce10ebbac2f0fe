// HeadTailCapture: keeps the first and the last bytes of a stream within a
// fixed budget and counts everything, so a command that writes gigabytes
// costs a bounded amount of memory.
#pragma once

#include <string>
#include <string_view>

namespace ds::exec {

class HeadTailCapture {
 public:
  // Keeps at most `cap` bytes: the first cap/2 and the last cap - cap/2.
  explicit HeadTailCapture(size_t cap);

  void append(std::string_view data);

  size_t total_bytes() const { return total_; }
  bool truncated() const { return total_ > cap_; }

  // Everything when nothing was dropped; otherwise head, a line
  // "[... N bytes cut by the output cap ...]", tail.
  std::string text() const;

 private:
  size_t cap_;
  size_t head_cap_;
  size_t tail_cap_;
  std::string head_;
  std::string ring_;      // the tail, as a ring buffer of tail_cap_ bytes
  size_t ring_pos_ = 0;   // next write position in ring_
  size_t ring_fill_ = 0;  // valid bytes in ring_ (<= tail_cap_)
  size_t total_ = 0;
};

}  // namespace ds::exec
