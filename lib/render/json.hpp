#pragma once
// JSON output, written by one library (nlohmann-json) for every command: strings escaped the
// same way everywhere, UTF-8 kept as it is (not \u-escaped), no spaces, keys in the order they
// are given. The library stays inside lib/render; callers pass and get text.
#include <string>
#include <string_view>
#include <vector>

#include "render/rows.hpp"

namespace fieldbook::render {

// A quoted JSON string literal.
std::string json_string(std::string_view s);

// JSON's own number grammar without exponents: a leading zero is only allowed alone, so a
// code like "007" stays a string instead of becoming invalid JSON.
bool is_json_number(std::string_view s);

// A value already written as JSON, nested into an object under `key`.
struct JsonMember {
    std::string key;
    std::string json;
};

// A listing's row as one JSON object, the column names as keys in column order: an absent cell
// is null, a numeric column's cell that is a JSON number is that number as written (so money
// keeps its two decimals: 12.50, which a double would print as 12.5), other cells are strings.
// `more` follows the columns.
std::string json_object(const std::vector<Column>& columns, const Row& cells,
                        const std::vector<JsonMember>& more = {});

// Objects (or any JSON values) as one array: "[a,b]".
std::string json_array(const std::vector<std::string>& items);

}  // namespace fieldbook::render
