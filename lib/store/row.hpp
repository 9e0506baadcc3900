#pragma once
// Small helpers for optional values at the SQL boundary.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

#include "store/like.hpp"

namespace fieldbook::store {

inline std::optional<std::string> optional_text(SQLite::Statement& q, int column) {
    if (q.isColumnNull(column)) return std::nullopt;
    return q.getColumn(column).getString();
}

inline std::optional<std::int64_t> optional_int(SQLite::Statement& q, int column) {
    if (q.isColumnNull(column)) return std::nullopt;
    return q.getColumn(column).getInt64();
}

inline void bind_optional(SQLite::Statement& q, int index, const std::optional<std::string>& v) {
    if (v)
        q.bind(index, *v);
    else
        q.bind(index);
}

inline void bind_optional(SQLite::Statement& q, int index, const std::optional<std::int64_t>& v) {
    if (v)
        q.bind(index, *v);
    else
        q.bind(index);
}

}  // namespace fieldbook::store
