#pragma once
// How deep a TOML text nests, found before the TOML parser sees it. The parser recurses once
// per part of a dotted key (`a.b.c = 1`) with no limit of its own, so 50,000 parts overflow the
// stack and kill the process; a file that deep is refused with its position instead.
//
// The scan reads strings (basic, literal, multi-line, with escapes) and comments as TOML does,
// so brackets and dots inside them count for nothing. It does not validate anything else: the
// parser reports every other mistake, and the scan only has to agree with it on text that is
// valid so far, as the parser stops at the first error.
#include <cstddef>
#include <optional>
#include <string_view>

namespace fieldbook::templates {

// Files fieldbook reads are never nearly this deep: the deepest place in the shipped ones has
// six levels ([[product]] is two, then tiers, its array, an inline table and a key in it).
constexpr std::size_t kMaxNesting = 32;

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;  // in characters (code points), as editors and the parser count
};

// The depth of a place is the number of key parts on its full path (the [table] header's and
// the dotted key's) plus one for each array, inline table and [[array of tables]] it is in.
// Returns where the first place deeper than `limit` starts, or nullopt when none is.
std::optional<TextPosition> find_excess_nesting(std::string_view toml,
                                                std::size_t limit = kMaxNesting);

}  // namespace fieldbook::templates
