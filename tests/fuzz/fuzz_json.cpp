// libFuzzer target: the JSON reader and writer. Mode byte, then:
//   even: the bytes are parsed as JSON; a document that parses is written,
//         and the text written must parse back to an equal value and write
//         the same text again;
//   odd:  the bytes drive a small builder of a json::Value (strings of any
//         bytes, numbers, nesting); what dump writes must always parse, with
//         invalid UTF-8 turned into U+FFFD and NaN/Inf into null.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "json/value.hpp"
#include "text/utf8.hpp"

using ds::json::Value;

namespace {

// Values equal up to number representation (the writer prints 3.0 as 3).
bool equal_json(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
    return a.as_double() == b.as_double();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::Array:
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!equal_json(a.at(i), b.at(i))) return false;
      return true;
    case Value::Type::Object:
      if (a.members().size() != b.members().size()) return false;
      for (size_t i = 0; i < a.members().size(); ++i) {
        if (a.members()[i].first != b.members()[i].first) return false;
        if (!equal_json(a.members()[i].second, b.members()[i].second)) return false;
      }
      return true;
    default:
      return a == b;
  }
}

// What the writer promises for a string: invalid UTF-8 bytes become U+FFFD.
std::string expected_string(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = ds::text::utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// What a built value must read back as.
Value expected_value(const Value& v) {
  switch (v.type()) {
    case Value::Type::String:
      return Value(expected_string(v.as_string()));
    case Value::Type::Double:
      return std::isfinite(v.as_double()) ? v : Value();
    case Value::Type::Array: {
      Value out = Value::array();
      for (const Value& x : v.items()) out.push(expected_value(x));
      return out;
    }
    case Value::Type::Object: {
      Value out = Value::object();
      // set() replaces duplicates; keep every member, as parse does.
      for (const auto& [k, x] : v.members())
        out.members_mut().emplace_back(expected_string(k), expected_value(x));
      return out;
    }
    default:
      return v;
  }
}

class Builder {
 public:
  Builder(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  Value value(int depth) {
    if (i_ >= n_) return Value();
    uint8_t op = d_[i_++];
    switch (op % 8) {
      case 0:
        return Value();
      case 1:
        return Value((op & 8) != 0);
      case 2: {
        int64_t x = 0;
        take(&x, sizeof x);
        return Value(static_cast<long long>(x));
      }
      case 3: {
        double x = 0;
        take(&x, sizeof x);
        return Value(x);
      }
      case 4:
      case 5:
        return Value(str());
      case 6: {
        Value a = Value::array();
        size_t count = depth > 40 ? 0 : take_byte() % 6;
        for (size_t k = 0; k < count; ++k) a.push(value(depth + 1));
        return a;
      }
      default: {
        Value o = Value::object();
        size_t count = depth > 40 ? 0 : take_byte() % 6;
        for (size_t k = 0; k < count; ++k) {
          std::string key = str();
          o.members_mut().emplace_back(std::move(key), value(depth + 1));
        }
        return o;
      }
    }
  }

 private:
  uint8_t take_byte() { return i_ < n_ ? d_[i_++] : 0; }
  void take(void* out, size_t k) {
    std::memset(out, 0, k);
    size_t m = std::min(k, n_ - i_);
    std::memcpy(out, d_ + i_, m);
    i_ += m;
  }
  std::string str() {
    size_t len = take_byte() % 32;
    len = std::min(len, n_ - i_);
    std::string s(reinterpret_cast<const char*>(d_ + i_), len);
    i_ += len;
    return s;
  }
  const uint8_t* d_;
  size_t n_;
  size_t i_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 0) {
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto v = ds::json::parse(text);
    if (!v.ok()) {
      FUZZ_CHECK(!v.error().message.empty(), "a parse error says why");
      return 0;
    }
    std::string once = ds::json::dump(*v);
    auto back = ds::json::parse(once);
    FUZZ_CHECK(back.ok(), "what dump writes parses");
    FUZZ_CHECK(equal_json(*v, *back), "parse(dump(v)) equals v");
    FUZZ_CHECK(ds::json::dump(*back) == once, "dump is stable across a round trip");
    return 0;
  }
  Builder b(data + 1, size - 1);
  Value built = b.value(0);
  std::string text = ds::json::dump(built);
  FUZZ_CHECK(ds::text::is_valid_utf8(text), "dump writes valid UTF-8");
  auto back = ds::json::parse(text);
  FUZZ_CHECK(back.ok(), "dump of any value parses");
  FUZZ_CHECK(equal_json(expected_value(built), *back), "a built value reads back as written");
  return 0;
}
