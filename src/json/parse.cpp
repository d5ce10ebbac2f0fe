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
      for (simdjson::dom::key_value_pair kv : obj)
        o.emplace_back(std::string(kv.key), convert(kv.value));
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

}  // namespace

Result<Value> parse(std::string_view text) {
  // One parser per thread: it keeps its buffers between calls.
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto err = parser.parse(padded).get(root);
  if (err) {
    return make_error(std::string("invalid JSON: ") + simdjson::error_message(err));
  }
  return convert(root);
}

}  // namespace ds::json
