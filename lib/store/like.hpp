#pragma once
// LIKE patterns for a user's literal text, the same on every engine.
#include <string>

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
