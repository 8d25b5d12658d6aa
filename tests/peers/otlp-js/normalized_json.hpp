// The normalized JSON form that the C++ peer programs (write_fixtures, json_tool) and the
// JavaScript side (decode_check.mjs, json_peer.mjs) both produce, so that the two compare
// exactly: doubles are JSON numbers or "-0", "Infinity", "-Infinity", "NaN"; 64-bit
// integers are decimal strings; attribute values are tagged by kind.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "agtel/common/attribute.hpp"

namespace agtel::peer {

using nlohmann::json;

inline json number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0 && std::signbit(d)) return "-0";
  return d;
}

// {"s": ...} | {"b": ...} | {"i": "..."} | {"d": ...} | {"a": [...]}
inline json value(const attribute_value& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, bool>)
          return {{"b", x}};
        else if constexpr (std::is_same_v<T, int64_t>)
          return {{"i", std::to_string(x)}};
        else if constexpr (std::is_same_v<T, double>)
          return {{"d", number(x)}};
        else if constexpr (std::is_same_v<T, std::string>)
          return {{"s", x}};
        else {
          json a = json::array();
          for (const auto& item : x)
            a.push_back(value(attribute_value(static_cast<typename T::value_type>(item))));
          return {{"a", a}};
        }
      },
      v);
}

inline json attributes(const attribute_list& list) {
  json out = json::object();
  for (const attribute& a : list) out[a.key] = value(a.value);
  return out;
}

}  // namespace agtel::peer
