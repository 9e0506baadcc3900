#pragma once
// Floors and rooms as people write them: "3", "03", "３", "3F", "3楼" and "3层" are one floor,
// "1203" and "１２０３" one room. Reports group by the key read here, never by the raw text.
#include <cstdint>
#include <string>
#include <string_view>

namespace fieldbook::floors {

enum class Kind {
    storey,    // a number: 3, 0, -1 (below ground)
    basement,  // B1, B2: below ground, counted down from the ground floor
    name,      // anything else (M, 夹层, G): after the numbered floors, by its text
};

struct Floor {
    Kind kind = Kind::name;
    std::int64_t level = 0;  // the storey's number; -n for basement Bn; 0 for a name
    std::string key;         // the same for every way of writing the same floor
    std::string label;       // how to show it: "3", "-1", "B1", or the name (NFKC, trimmed)
};

// NFKC, trimmed; a trailing F, f, floor, 楼 or 层 (樓, 層) dropped when a number is left, and
// that number's leading zeros. "B1" and "-1" stay two floors.
Floor read(std::string_view written);

// Building order: below ground up to the top floor by level (at one level "-1" before "B1"),
// then the named floors by their key.
bool before(const Floor& a, const Floor& b);
bool before(std::string_view a, std::string_view b);

// Key for counting distinct rooms: match_key (NFKC, case-folded, trimmed), and an all-digit
// room without its leading zeros.
std::string room_key(std::string_view written);

}  // namespace fieldbook::floors
