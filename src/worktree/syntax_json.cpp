// JSON for the syntax guard, in-process: simdjson's DOM parser says whether
// the text is valid; its On-Demand parser, walked to the first error, says
// where.
#include <simdjson.h>

#include <algorithm>

#include "worktree/syntax_guard.hpp"

namespace ds::worktree {
namespace {

namespace od = simdjson::ondemand;

constexpr int kMaxDepth = 1024;

simdjson::error_code walk(od::value v, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        if (auto e = field.error()) return e;
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        od::value inner;
        if (auto e = field.value().get(inner)) return e;
        if (auto e = walk(inner, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array a;
      if (auto e = v.get_array().get(a)) return e;
      for (auto item : a) {
        od::value inner;
        if (auto e = item.get(inner)) return e;
        if (auto e = walk(inner, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      return v.get_string().get(s);
    }
    case od::json_type::number: {
      double d;
      if (v.get_double().get(d) == simdjson::SUCCESS) return simdjson::SUCCESS;
      int64_t i;
      if (v.get_int64().get(i) == simdjson::SUCCESS) return simdjson::SUCCESS;
      uint64_t u;
      return v.get_uint64().get(u);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = v.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::SUCCESS;
}

// The 1-based line of the first error the On-Demand walk meets; 0 when it
// cannot tell.
int error_line(const simdjson::padded_string& text) {
  od::parser parser;
  od::document doc;
  if (parser.iterate(text).get(doc)) return 0;
  od::value root;
  simdjson::error_code e = doc.get_value().get(root);
  if (!e) e = walk(root, 0);
  const char* at = nullptr;
  if (doc.current_location().get(at) || at == nullptr) return 0;
  const char* begin = text.data();
  if (at < begin || at > begin + text.size()) return 0;
  return 1 + static_cast<int>(std::count(begin, at, '\n'));
}

}  // namespace

std::optional<std::pair<std::string, int>> json_syntax_error(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto err = parser.parse(padded).get(root);
  if (!err) return std::nullopt;
  return std::make_pair(std::string(simdjson::error_message(err)), error_line(padded));
}

}  // namespace ds::worktree
