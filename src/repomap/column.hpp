// Column<T>: an array that is either a view of memory-mapped cache data or
// an owned vector; it becomes owned on the first append, so a warm run reads
// mapped caches without copying them.
#pragma once

#include <cstddef>
#include <vector>

namespace ds::repomap {

template <class T>
class Column {
 public:
  void attach(const T* data, size_t n) {
    own_.clear();
    data_ = data;
    size_ = n;
  }
  void adopt(std::vector<T>&& v) {
    own_ = std::move(v);
    data_ = own_.data();
    size_ = own_.size();
  }
  void push_back(const T& v) {
    own();
    own_.push_back(v);
    data_ = own_.data();
    size_ = own_.size();
  }
  void append(const T* p, size_t n) {
    own();
    own_.insert(own_.end(), p, p + n);
    data_ = own_.data();
    size_ = own_.size();
  }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void own() {
    if (data_ != own_.data()) own_.assign(data_, data_ + size_);
  }
  const T* data_ = nullptr;
  size_t size_ = 0;
  std::vector<T> own_;
};

}  // namespace ds::repomap
