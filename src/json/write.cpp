// Compact JSON writer. simdjson 3.0 has none; this one escapes control
// characters and replaces invalid UTF-8 by U+FFFD so that every document it
// writes is valid JSON whatever bytes a file or a model reply held.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "json/value.hpp"
#include "text/utf8.hpp"

namespace ds::json {
namespace {

void write_number(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON has no NaN/Inf
    out += "null";
    return;
  }
  if (d == 0 && std::signbit(d)) {  // "-0" would read back as the integer 0
    out += "-0.0";
    return;
  }
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.17g", d);
  // Prefer the shortest representation that round-trips.
  for (int prec = 1; prec <= 17; ++prec) {
    char tmp[32];
    int m = std::snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (std::strtod(tmp, nullptr) == d) {
      out.append(tmp, m);
      return;
    }
  }
  out.append(buf, n);
}

}  // namespace

void write_string(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      text::append_json_escaped_ascii(out, c);
      ++i;
      continue;
    }
    size_t len = text::utf8_sequence_length(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out += '"';
}

std::string quote(std::string_view s) {
  std::string out;
  write_string(out, s);
  return out;
}

void dump_to(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      out += "null";
      break;
    case Value::Type::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Value::Type::Int:
      out += std::to_string(v.as_int());
      break;
    case Value::Type::Double:
      write_number(out, v.as_double());
      break;
    case Value::Type::String:
      write_string(out, v.as_string());
      break;
    case Value::Type::Array: {
      out += '[';
      bool first = true;
      for (const Value& item : v.items()) {
        if (!first) out += ',';
        first = false;
        dump_to(out, item);
      }
      out += ']';
      break;
    }
    case Value::Type::Object: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.members()) {
        if (!first) out += ',';
        first = false;
        write_string(out, k);
        out += ':';
        dump_to(out, item);
      }
      out += '}';
      break;
    }
  }
}

std::string dump(const Value& v) {
  std::string out;
  dump_to(out, v);
  return out;
}

}  // namespace ds::json
