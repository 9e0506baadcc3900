#pragma once
// Unicode handling for Chinese-first text: validation, normalisation, matching keys and
// terminal display width. Built on utf8proc (grapheme clustering and East Asian width tables
// kept current with Unicode, which hand-written tables would not be).
#include <string>
#include <string_view>

namespace fieldbook::text {

bool is_valid_utf8(std::string_view s);

// Validates and returns the NFC form for storage. Throws UsageError
// "<field>: not valid UTF-8" when the bytes are not UTF-8.
std::string clean_input(std::string_view s, std::string_view field);

// NFC normalisation (input must be valid UTF-8).
std::string nfc(std::string_view s);

// NFKC normalisation (input must be valid UTF-8): full-width "３Ｆ" -> "3F", case kept.
std::string nfkc(std::string_view s);

// Key for matching names and search: NFKC + case-fold, default-ignorables removed, runs of
// white space folded to one ASCII space and trimmed. Full-width "ＯＦＦＩＣＥ" -> "office".
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
