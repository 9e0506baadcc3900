#pragma once
// Unicode handling for Chinese-first text: validation, normalisation, matching keys and
// terminal display width. Built on utf8proc (grapheme clustering and East Asian width tables
// kept current with Unicode, which hand-written tables would not be).
#include <string>
#include <string_view>

namespace fieldbook::text {

bool is_valid_utf8(std::string_view s);

// Every piece of free text a user stores goes through here: validates it and returns the NFC
// form, with CRLF line breaks as LF. A UsageError naming `field` (and, for a character, its
// code point and position) refuses text that is not UTF-8, longer than 4000 characters, or
// holds a character that could hide or disguise text when printed: a control character other
// than tab and LF (a CR alone among them), a bidirectional control (U+202A-U+202E,
// U+2066-U+2069, LRM, RLM, ALM), another invisible format character (U+200B, U+2060, U+FEFF,
// U+00AD, ...), U+2028 or U+2029. Allowed where they do their job: a zero-width joiner between
// two visible characters (emoji sequences, Indic conjuncts), a variation selector right after
// a visible character, tag characters spelling a flag after U+1F3F4.
std::string clean_input(std::string_view s, std::string_view field);

// Text as it may be shown in a message: invalid bytes as \xHH, and control, format and
// separator characters (except tab and LF) as <U+XXXX>, so that what a user typed cannot move
// the cursor, recolour the terminal or reorder the line it is quoted in.
std::string printable(std::string_view s);

// NFC normalisation (input must be valid UTF-8).
std::string nfc(std::string_view s);

// NFKC normalisation (input must be valid UTF-8): full-width "３Ｆ" -> "3F", case kept.
std::string nfkc(std::string_view s);

// Key for matching names and search: NFKC + case-fold, default-ignorables removed, runs of
// white space folded to one ASCII space and trimmed. Full-width "ＯＦＦＩＣＥ" -> "office".
// Bytes that are not UTF-8 read as U+FFFD (the key finds nothing; it never throws for them).
std::string match_key(std::string_view s);

// Looser key for spotting near-duplicates: match_key without white space or punctuation and
// without common company-form suffixes (有限公司, 公司, ltd, co, inc, ...).
std::string loose_key(std::string_view s);

// Levenshtein distance counted in code points.
std::size_t edit_distance(std::string_view a, std::string_view b);

std::size_t codepoint_count(std::string_view s);

// Terminal columns: CJK and emoji take 2, combining marks 0; measured per grapheme cluster.
int display_width(std::string_view s);

// Cuts s to at most `width` columns at a grapheme boundary, ending in "…" when cut.
std::string truncate_to_width(std::string_view s, int width);

enum class Align { left, right };
// Pads with spaces to exactly `width` columns (s must already fit).
std::string pad_to_width(std::string_view s, int width, Align align = Align::left);

}  // namespace fieldbook::text
