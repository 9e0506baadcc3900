#pragma once
// What a TOML text must not hand to the TOML parser, found by a quick scan before it does.
//
// Nesting: the parser recurses once per part of a dotted key (`a.b.c = 1`) with no limit of its
// own, so 50,000 parts overflow the stack and kill the process. A text nested deeper than a
// limit is refused with the place where it goes too deep.
//
// Characters the parser cannot classify: the parser (toml++ 3.3, as Debian 12 ships it) asks a
// generated Unicode table whether a character is white space, and for some ranges (Latin-1,
// Greek, Cyrillic, CJK punctuation such as 「」、。 and others) the table has no answer: that
// is undefined behaviour. It asks outside strings, after a backslash in a multi-line basic
// string, and at the start of a line continued by a line-ending backslash. Outside strings and
// after a lone backslash such text is invalid TOML anyway; at the start of a continued line it
// is valid, and the message says to write the character as an escape (\u300C), which means the
// same and which the parser reads safely.
//
// The scan reads strings (basic, literal, multi-line, with escapes) and comments as TOML does,
// so brackets, dots and Chinese text inside them are left alone. It validates nothing else:
// the parser reports every other mistake. Where the text is already invalid the scan may refuse
// it for a reason of its own; it never lets through what the parser would choke on.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fieldbook::templates {

// Files fieldbook reads are never nearly this deep: the deepest place in the shipped ones has
// six levels ([[product]] is two, then tiers, its array, an inline table and a key in it).
constexpr std::size_t kMaxNesting = 32;

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;  // in characters (code points), as editors and the parser count
};

struct Refusal {
    TextPosition at;
    std::string reason;  // e.g. "nested too deep: more than 32 levels of keys, tables and arrays"
};

// The depth of a place is the number of key parts on its full path (the [table] header's and
// the dotted key's) plus one for each array, inline table and [[array of tables]] it is in.
// The first place deeper than `max_nesting`, or the first character the parser cannot classify,
// whichever comes first; nullopt when there is neither. `toml` should be valid UTF-8 (checked
// before); a byte that is not counts as one character.
std::optional<Refusal> prescan(std::string_view toml, std::size_t max_nesting = kMaxNesting);

}  // namespace fieldbook::templates
