#pragma once
// Small helpers for optional values at the SQL boundary.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>

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

namespace fieldbook::store {

// A LIKE pattern matching `literal` anywhere, for use with ESCAPE '\': the user's '%' and '_'
// stay literal characters.
inline std::string like_contains(const std::string& literal) {
    std::string pattern = "%";
    for (char ch : literal) {
        if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
        pattern += ch;
    }
    pattern += '%';
    return pattern;
}

}  // namespace fieldbook::store
