// Result<T>: a value or an Error, the return type of every fallible library
// call (g++ 12 has no std::expected). Errors carry a message that says what
// failed, where, and what to do next, plus an optional kind (one library's
// ErrorKind, error_kind.hpp) for callers that branch on the cause or map
// errors to exit codes.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "base/error_kind.hpp"

namespace ds {

struct Error {
  std::string message;
  AnyErrorKind kind;  // unspecified unless the library classifies the error

  template <LibraryErrorKind E>
  bool is(E e) const {
    return kind == AnyErrorKind(e);
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error& error() {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void> equivalent.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(std::string message, AnyErrorKind kind = {}) {
  return Error{std::move(message), kind};
}

}  // namespace ds
