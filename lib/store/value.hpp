#pragma once
// A value as a record holds it: null, an integer, a real or text. Money is integer cents and
// instants and days are ISO 8601 text, so these four are all a record needs on either engine.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace fieldbook::store {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Values = std::vector<Value>;

inline bool is_null(const Value& v) {
    return std::holds_alternative<std::monostate>(v);
}

// An optional as a value: nullopt is null.
template <class T>
Value value_of(const std::optional<T>& v) {
    if (!v) return {};
    if constexpr (std::is_integral_v<T>)
        return static_cast<std::int64_t>(*v);
    else
        return Value(*v);
}

}  // namespace fieldbook::store
