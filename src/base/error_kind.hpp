// AnyErrorKind: the classification an Error carries, as {library, code}.
// Each library that classifies its errors declares its own
// `enum class ErrorKind` and, beside it, `error_library(ErrorKind)` naming its
// tag below; an Error holds any of them, and a kind of one library never
// compares equal to a kind of another (git's NotARepo is not llm's Auth, even
// where the numbers match).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <type_traits>

namespace ds {

// The libraries whose errors carry a kind. None = unspecified.
enum class ErrorLibrary : uint8_t { None, Files, Git, Llm, Repomap };

// An enum E is a library's error kind when `error_library(E)` (found next to
// E by argument-dependent lookup) says which library it belongs to.
template <class E>
concept LibraryErrorKind = std::is_enum_v<E> && requires(E e) {
  { error_library(e) } -> std::same_as<ErrorLibrary>;
};

class AnyErrorKind {
 public:
  constexpr AnyErrorKind() = default;  // unspecified
  template <LibraryErrorKind E>
  constexpr AnyErrorKind(E e)  // NOLINT: implicit, so `make_error(msg, git::ErrorKind::Bare)` reads plainly
      : library_(error_library(e)), code_(static_cast<int>(e)) {}

  constexpr bool specified() const { return library_ != ErrorLibrary::None; }
  constexpr ErrorLibrary library() const { return library_; }

  // The kind as library E's enum, or nullopt when it belongs to another
  // library (or none): for a switch over one library's kinds.
  template <LibraryErrorKind E>
  constexpr std::optional<E> as() const {
    if (library_ != error_library(E{})) return std::nullopt;
    return static_cast<E>(code_);
  }

  friend constexpr bool operator==(AnyErrorKind, AnyErrorKind) = default;

 private:
  ErrorLibrary library_ = ErrorLibrary::None;
  int code_ = 0;
};

// The kinds of base's own file errors (atomic writes, folders): reading or
// writing a file or folder failed. The commands treat them as repository
// errors (exit 4), like the git layer's IoError.
enum class FileErrorKind : uint8_t { IoError };
constexpr ErrorLibrary error_library(FileErrorKind) { return ErrorLibrary::Files; }

}  // namespace ds
