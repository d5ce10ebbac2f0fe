// json::Value: a small ordered JSON document type, parsed with simdjson
// (json/parse.cpp) and written by json/write.cpp. Objects keep insertion
// order so that what we send to the model is byte-stable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.hpp"

namespace ds::json {

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

class Value {
 public:
  enum class Type { Null, Bool, Int, Double, String, Array, Object };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v_(b) {}
  Value(int i) : v_(static_cast<int64_t>(i)) {}
  Value(long i) : v_(static_cast<int64_t>(i)) {}
  Value(long long i) : v_(static_cast<int64_t>(i)) {}
  Value(unsigned i) : v_(static_cast<int64_t>(i)) {}
  Value(unsigned long i) : v_(static_cast<int64_t>(i)) {}
  Value(unsigned long long i) : v_(static_cast<int64_t>(i)) {}
  Value(double d) : v_(d) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(Array a) : v_(std::move(a)) {}
  Value(Object o) : v_(std::move(o)) {}

  static Value object() { return Value(Object{}); }
  static Value array() { return Value(Array{}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::Null; }
  bool is_bool() const { return type() == Type::Bool; }
  bool is_number() const { return type() == Type::Int || type() == Type::Double; }
  bool is_int() const { return type() == Type::Int; }
  bool is_string() const { return type() == Type::String; }
  bool is_array() const { return type() == Type::Array; }
  bool is_object() const { return type() == Type::Object; }

  // Accessors with a fallback for a missing or differently typed value.
  bool as_bool(bool fallback = false) const;
  int64_t as_int(int64_t fallback = 0) const;
  double as_double(double fallback = 0) const;
  const std::string& as_string() const;  // "" unless a string
  std::string as_string_or(std::string_view fallback) const;

  const Array& items() const;     // empty unless an array
  const Object& members() const;  // empty unless an object
  Array& items_mut();             // converts a null into an array
  Object& members_mut();          // converts a null into an object

  // Object lookup; nullptr (find) or a null Value (operator[]) when absent.
  const Value* find(std::string_view key) const;
  const Value& operator[](std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
  // Array index; a null Value when out of range.
  const Value& at(size_t i) const;
  size_t size() const;

  // Sets (replacing) a member, converting a null into an object. Returns *this.
  Value& set(std::string_view key, Value v);
  // Appends to an array, converting a null into an array. Returns *this.
  Value& push(Value v);

  bool operator==(const Value& o) const { return v_ == o.v_; }

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_;
};

// Parses one JSON document. Errors name the byte offset when known.
Result<Value> parse(std::string_view text);

// Compact serialisation; strings are escaped by write_string.
std::string dump(const Value& v);
void dump_to(std::string& out, const Value& v);
// Appends `s` as a JSON string literal: quotes, escapes, control characters as
// \u00XX, invalid UTF-8 replaced by U+FFFD.
void write_string(std::string& out, std::string_view s);
std::string quote(std::string_view s);

}  // namespace ds::json
