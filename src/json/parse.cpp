// JSON parsing through simdjson's DOM API, converted into json::Value.
// simdjson stays inside this file so that its header cost is paid once.
// g++ 12 sees through simdjson_result at -O2 and warns falsely about
// uninitialised members of its pair; the values are read only after success.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <simdjson.h>

#include "json/value.hpp"

namespace ds::json {
namespace {

Value convert(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: {
      Array a;
      simdjson::dom::array arr = e.get_array().value_unsafe();
      for (simdjson::dom::element child : arr) a.push_back(convert(child));
      return Value(std::move(a));
    }
    case simdjson::dom::element_type::OBJECT: {
      Object o;
      simdjson::dom::object obj = e.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair kv : obj) o.emplace_back(std::string(kv.key), convert(kv.value));
      return Value(std::move(o));
    }
    case simdjson::dom::element_type::INT64:
      return Value(static_cast<long long>(e.get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
      return Value(static_cast<double>(e.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return Value(e.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING:
      return Value(std::string(e.get_string().value_unsafe()));
    case simdjson::dom::element_type::BOOL:
      return Value(e.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return Value();
  }
  return Value();
}

int hex_value(std::string_view s, size_t at) {
  if (at + 4 > s.size()) return -1;
  int v = 0;
  for (size_t k = at; k < at + 4; ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// `text` with every unpaired UTF-16 surrogate escape (\ud800 alone) written
// as \ufffd instead (same length); false when there was none. JSON's grammar
// allows such escapes, some servers emit them when a token splits an emoji,
// and simdjson refuses them: without this, one such character in a model
// reply fails every retry of the request the same way.
bool replace_lone_surrogates(std::string& text) {
  bool changed = false;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '\\') continue;
    if (text[i + 1] != 'u') {
      ++i;  // an escaped character, maybe a backslash: not the start of an escape
      continue;
    }
    int cp = hex_value(text, i + 2);
    if (cp < 0xD800 || cp > 0xDFFF) continue;
    if (cp <= 0xDBFF && i + 7 < text.size() && text[i + 6] == '\\' && text[i + 7] == 'u') {
      int lo = hex_value(text, i + 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        i += 11;  // a proper pair
        continue;
      }
    }
    text.replace(i + 2, 4, "fffd");
    changed = true;
    i += 5;
  }
  return changed;
}

}  // namespace

Result<Value> parse(std::string_view text) {
  // One parser per thread: it keeps its buffers between calls.
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto err = parser.parse(padded).get(root);
  if (err == simdjson::STRING_ERROR) {
    std::string fixed(text);
    if (replace_lone_surrogates(fixed)) {
      simdjson::padded_string again(fixed);
      if (!parser.parse(again).get(root)) return convert(root);
    }
  }
  if (err) {
    return make_error(std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  return convert(root);
}

}  // namespace ds::json
