#include "render/json.hpp"

#include <nlohmann/json.hpp>

namespace fieldbook::render {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

std::string json_string(std::string_view s) {
    // Stored text is validated UTF-8; should a byte that is not UTF-8 reach here anyway, it
    // becomes U+FFFD rather than invalid JSON or an exception halfway through a listing.
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_json_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') ++i;
    if (i == s.size() || !is_digit(s[i])) return false;
    if (s[i] == '0') {
        ++i;
    } else {
        while (i < s.size() && is_digit(s[i])) ++i;
    }
    if (i < s.size() && s[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == fraction) return false;
    }
    return i == s.size();
}

// The members are joined here rather than built as one nlohmann object because the library
// prints a number from its double (12.50 as 12.5) and has no way to write a number as given;
// every key and string is still the library's.
std::string json_object(const std::vector<Column>& columns, const Row& cells,
                        const std::vector<JsonMember>& more) {
    std::string out = "{";
    for (std::size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
        if (i > 0) out += ',';
        out += json_string(columns[i].name);
        out += ':';
        if (!cells[i])
            out += "null";
        else if (columns[i].numeric && is_json_number(*cells[i]))
            out += *cells[i];
        else
            out += json_string(*cells[i]);
    }
    for (const JsonMember& m : more) {
        if (out.size() > 1) out += ',';
        out += json_string(m.key);
        out += ':';
        out += m.json;
    }
    return out + "}";
}

std::string json_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += items[i];
    }
    return out + "]";
}

}  // namespace fieldbook::render
