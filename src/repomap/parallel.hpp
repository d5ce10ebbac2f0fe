// parallel_for: runs fn(i) for i in [0, n) on a few threads, handing out
// small chunks from an atomic counter (work sizes vary wildly per file).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace ds::repomap {

// Threads to use when the caller asks for 0 (auto): the machine's cores, at most 16.
inline unsigned default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return std::clamp(n, 1u, 16u);
}

template <class Fn>
void parallel_for(size_t n, unsigned threads, size_t chunk, Fn&& fn) {
  if (threads <= 1 || n <= chunk) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    while (true) {
      size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) fn(i);
    }
  };
  size_t workers = std::min<size_t>(threads, (n + chunk - 1) / chunk);
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
}

}  // namespace ds::repomap
