// Reading optional fields out of result documents and data files without throwing: a field
// that is absent, null or of another type is simply missing.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace joulebench {

template <class Json>
std::optional<double> number_at(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  return found->template get<double>();
}

template <class Json>
std::string text_at(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->template get<std::string>()
                                                     : std::string();
}

// The value at `key` of an object, or a null value when it is absent or `object` is no object.
template <class Json>
const Json& member_or_null(const Json& object, const char* key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

}  // namespace joulebench
