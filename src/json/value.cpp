// Accessors and mutators of json::Value.
#include "json/value.hpp"

namespace ds::json {
namespace {
const Value kNull;
const Array kEmptyArray;
const Object kEmptyObject;
const std::string kEmptyString;
}  // namespace

bool Value::as_bool(bool fallback) const { return is_bool() ? std::get<bool>(v_) : fallback; }

int64_t Value::as_int(int64_t fallback) const {
  if (type() == Type::Int) return std::get<int64_t>(v_);
  if (type() == Type::Double) return static_cast<int64_t>(std::get<double>(v_));
  return fallback;
}

double Value::as_double(double fallback) const {
  if (type() == Type::Int) return static_cast<double>(std::get<int64_t>(v_));
  if (type() == Type::Double) return std::get<double>(v_);
  return fallback;
}

const std::string& Value::as_string() const { return is_string() ? std::get<std::string>(v_) : kEmptyString; }

std::string Value::as_string_or(std::string_view fallback) const {
  return is_string() ? std::get<std::string>(v_) : std::string(fallback);
}

const Array& Value::items() const { return is_array() ? std::get<Array>(v_) : kEmptyArray; }

const Object& Value::members() const { return is_object() ? std::get<Object>(v_) : kEmptyObject; }

Array& Value::items_mut() {
  if (!is_array()) v_ = Array{};
  return std::get<Array>(v_);
}

Object& Value::members_mut() {
  if (!is_object()) v_ = Object{};
  return std::get<Object>(v_);
}

const Value* Value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : std::get<Object>(v_))
    if (k == key) return &v;
  return nullptr;
}

const Value& Value::operator[](std::string_view key) const {
  const Value* v = find(key);
  return v ? *v : kNull;
}

const Value& Value::at(size_t i) const {
  const Array& a = items();
  return i < a.size() ? a[i] : kNull;
}

size_t Value::size() const {
  if (is_array()) return std::get<Array>(v_).size();
  if (is_object()) return std::get<Object>(v_).size();
  return 0;
}

Value& Value::set(std::string_view key, Value v) {
  Object& o = members_mut();
  for (auto& [k, old] : o) {
    if (k == key) {
      old = std::move(v);
      return *this;
    }
  }
  o.emplace_back(std::string(key), std::move(v));
  return *this;
}

Value& Value::push(Value v) {
  items_mut().push_back(std::move(v));
  return *this;
}

}  // namespace ds::json
