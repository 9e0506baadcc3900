#include "text/unicode.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "errors.hpp"

namespace fieldbook::text {
namespace {

constexpr utf8proc_int32_t replacement_character = 0xFFFD;
constexpr utf8proc_int32_t emoji_presentation_selector = 0xFE0F;

const utf8proc_uint8_t* bytes(std::string_view s) {
    return reinterpret_cast<const utf8proc_uint8_t*>(s.data());
}

struct Decoded {
    utf8proc_int32_t codepoint;
    std::size_t length;
};

// The code point at the start of s; length 0 when the bytes there are not UTF-8.
Decoded decode_strict(std::string_view s) {
    utf8proc_int32_t codepoint = -1;
    const utf8proc_ssize_t n =
        utf8proc_iterate(bytes(s), static_cast<utf8proc_ssize_t>(s.size()), &codepoint);
    if (n <= 0) return {-1, 0};
    return {codepoint, static_cast<std::size_t>(n)};
}

// Every free-text field holds at most this many characters (code points): a note, a name,
// a building. More is a paste gone wrong, not a record.
constexpr std::size_t kMaxTextLength = 4000;

constexpr utf8proc_int32_t kZeroWidthJoiner = 0x200D;
constexpr utf8proc_int32_t kBlackFlag = 0x1F3F4;
constexpr utf8proc_int32_t kCancelTag = 0xE007F;

bool is_tag(utf8proc_int32_t c) {
    return c >= 0xE0020 && c <= 0xE007F;
}

bool is_variation_selector(utf8proc_int32_t c) {
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the directional marks
// (LRM, RLM, ALM): they reorder or steer how the text around them is shown.
bool is_bidi_control(utf8proc_int32_t c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
           c == 0x200F || c == 0x061C;
}

// A character that is drawn, for a joiner or a variation selector to attach to: not a
// control, format character, separator, space, selector or joiner, nor the start or end.
bool visible_base(utf8proc_int32_t c) {
    if (c < 0 || is_variation_selector(c)) return false;
    switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_CC:
        case UTF8PROC_CATEGORY_CF:
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
        case UTF8PROC_CATEGORY_CN:
            return false;
        default:
            return true;
    }
}

// Measuring and cutting must not fail on text that skipped validation (a corrupt file, a
// terminal paste), so each bad byte there reads as one U+FFFD.
Decoded decode(std::string_view s) {
    const Decoded d = decode_strict(s);
    if (d.length == 0) return {replacement_character, 1};
    return d;
}

std::vector<utf8proc_int32_t> codepoints(std::string_view s) {
    std::vector<utf8proc_int32_t> out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        const Decoded d = decode(s.substr(pos));
        out.push_back(d.codepoint);
        pos += d.length;
    }
    return out;
}

std::string map(std::string_view s, int options) {
    if (s.empty()) return {};
    utf8proc_uint8_t* raw = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(bytes(s), static_cast<utf8proc_ssize_t>(s.size()), &raw,
                                            static_cast<utf8proc_option_t>(options));
    // utf8proc allocates the result with malloc, on success and on some failures alike.
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(raw, &std::free);
    if (n == UTF8PROC_ERROR_NOMEM) throw std::bad_alloc();
    if (n < 0) throw UsageError(fmt::format("text is not valid UTF-8 ({})", utf8proc_errmsg(n)));
    return std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
}

// The Unicode White_Space property. utf8proc has no lookup for it, but it is exactly the
// separator categories plus these controls.
bool is_white_space(utf8proc_int32_t c) {
    if ((c >= 0x09 && c <= 0x0D) || c == 0x85) return true;
    switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_ZS:
        case UTF8PROC_CATEGORY_ZL:
        case UTF8PROC_CATEGORY_ZP:
            return true;
        default:
            return false;
    }
}

bool is_punctuation_or_symbol(utf8proc_int32_t c) {
    switch (utf8proc_category(c)) {
        case UTF8PROC_CATEGORY_PC:
        case UTF8PROC_CATEGORY_PD:
        case UTF8PROC_CATEGORY_PS:
        case UTF8PROC_CATEGORY_PE:
        case UTF8PROC_CATEGORY_PI:
        case UTF8PROC_CATEGORY_PF:
        case UTF8PROC_CATEGORY_PO:
        case UTF8PROC_CATEGORY_SM:
        case UTF8PROC_CATEGORY_SC:
        case UTF8PROC_CATEGORY_SK:
        case UTF8PROC_CATEGORY_SO:
            return true;
        default:
            return false;
    }
}

// Longer forms come before the shorter forms they end with: the first match is the longest,
// so "有限公司" is removed whole rather than leaving "有限" behind after "公司".
constexpr std::array<std::string_view, 14> company_suffixes = {
    "股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "集团", "工作室",
    "limited",      "company",      "corp",     "ltd",    "llc",  "inc",  "co",
};

// Width of one grapheme cluster. Terminals draw a cluster in the cell(s) of its base
// character; marks and joiners after it take no room of their own.
class ClusterWidth {
  public:
    void add(utf8proc_int32_t c) {
        if (c == emoji_presentation_selector) emoji_presentation_ = true;
        if (base_width_ == 0 && utf8proc_category(c) != UTF8PROC_CATEGORY_CC) {
            base_width_ = std::clamp(utf8proc_charwidth(c), 0, 2);
        }
    }
    // VS16 turns a text-style base such as U+2764 into a two-column emoji. A selector with
    // no visible base draws nothing, so it does not widen.
    int value() const { return emoji_presentation_ && base_width_ > 0 ? 2 : base_width_; }

  private:
    int base_width_ = 0;
    bool emoji_presentation_ = false;
};

struct Cluster {
    std::string_view text;
    int width;
};

std::vector<Cluster> clusters(std::string_view s) {
    std::vector<Cluster> out;
    utf8proc_int32_t state = 0;
    utf8proc_int32_t previous = 0;
    std::size_t start = 0;
    ClusterWidth width;
    for (std::size_t pos = 0; pos < s.size();) {
        const Decoded d = decode(s.substr(pos));
        // The stateful break must see every adjacent pair in order (for emoji ZWJ sequences
        // and flag pairs), so it is asked even where the answer looks obvious.
        if (pos > 0 && utf8proc_grapheme_break_stateful(previous, d.codepoint, &state)) {
            out.push_back({s.substr(start, pos - start), width.value()});
            start = pos;
            width = ClusterWidth{};
        }
        width.add(d.codepoint);
        previous = d.codepoint;
        pos += d.length;
    }
    if (start < s.size()) out.push_back({s.substr(start), width.value()});
    return out;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t pos = 0; pos < s.size();) {
        const Decoded d = decode_strict(s.substr(pos));
        if (d.length == 0) return false;
        pos += d.length;
    }
    return true;
}

std::string clean_input(std::string_view s, std::string_view field) {
    if (!is_valid_utf8(s)) throw UsageError(fmt::format("{}: not valid UTF-8", field));
    std::string text;
    text.reserve(s.size());
    std::size_t characters = 0;
    utf8proc_int32_t previous = -1;  // -1 at the start
    bool in_tag_sequence = false;
    for (std::size_t pos = 0; pos < s.size();) {
        const Decoded d = decode_strict(s.substr(pos));
        const utf8proc_int32_t c = d.codepoint;
        const std::size_t next_at = pos + d.length;
        const utf8proc_int32_t next =
            next_at < s.size() ? decode_strict(s.substr(next_at)).codepoint : -1;
        ++characters;
        auto refuse = [&](std::string_view what) {
            throw UsageError(fmt::format("{}: character {} is U+{:04X}, {}", field, characters,
                                         static_cast<std::uint32_t>(c), what));
        };
        if (c == '\r') {
            // CRLF is a line break written the Windows way, kept as LF; a CR alone moves a
            // terminal's cursor back over the line when printed.
            if (next != '\n') refuse("a carriage return not followed by a line feed");
            pos = next_at;
            --characters;
            continue;
        }
        if (in_tag_sequence) {
            if (!is_tag(c)) refuse("where the emoji tag sequence before it needs its cancel tag");
            if (c == kCancelTag) in_tag_sequence = false;
        } else if (is_tag(c)) {
            // Tags spell a subdivision flag after U+1F3F4 (🏴 + "gbsct" + cancel tag); anywhere
            // else they are invisible letters that can carry hidden text.
            if (previous != kBlackFlag || c == kCancelTag) refuse("an invisible tag character");
            in_tag_sequence = true;
        } else if (c == '\n' || c == '\t') {
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_CC) {
            refuse("a control character");
        } else if (is_bidi_control(c)) {
            refuse("a bidirectional control (it can show text in another order than stored)");
        } else if (c == kZeroWidthJoiner) {
            // Joins two visible characters (emoji sequences, Indic conjuncts); alone, or at
            // an edge, it only hides.
            if (!(visible_base(previous) || is_variation_selector(previous)) || !visible_base(next))
                refuse("a zero-width joiner that joins nothing");
        } else if (is_variation_selector(c)) {
            // Chooses how the character before it is drawn (emoji or text style, a CJK
            // variant); a run of them, or one without a character, can carry hidden data.
            if (!visible_base(previous)) refuse("a variation selector without a character");
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_CF) {
            refuse("an invisible formatting character");
        } else if (utf8proc_category(c) == UTF8PROC_CATEGORY_ZL ||
                   utf8proc_category(c) == UTF8PROC_CATEGORY_ZP) {
            refuse("a line separator (only LF breaks lines)");
        }
        text.append(s.substr(pos, d.length));
        previous = c;
        pos = next_at;
    }
    if (in_tag_sequence)
        throw UsageError(fmt::format("{}: ends inside an emoji tag sequence", field));
    std::string composed = nfc(text);
    if (codepoint_count(composed) > kMaxTextLength)
        throw UsageError(fmt::format("{}: longer than {} characters", field, kMaxTextLength));
    return composed;
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();) {
        const Decoded d = decode_strict(s.substr(pos));
        if (d.length == 0) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[pos]));
            ++pos;
            continue;
        }
        const utf8proc_int32_t c = d.codepoint;
        const auto category = utf8proc_category(c);
        const bool hidden = (category == UTF8PROC_CATEGORY_CC && c != '\n' && c != '\t') ||
                            category == UTF8PROC_CATEGORY_CF || category == UTF8PROC_CATEGORY_ZL ||
                            category == UTF8PROC_CATEGORY_ZP;
        if (hidden)
            out += fmt::format("<U+{:04X}>", static_cast<std::uint32_t>(c));
        else
            out.append(s.substr(pos, d.length));
        pos += d.length;
    }
    return out;
}

std::string nfc(std::string_view s) {
    return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::string nfkc(std::string_view s) {
    return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
}

std::string match_key(std::string_view s) {
    // A key is for finding, never stored as text. Bytes that are not UTF-8 (a name typed in
    // another encoding) read as U+FFFD and find nothing, rather than failing here without the
    // name of the field; storing such text is refused by clean_input, which names it.
    std::string valid;
    if (!is_valid_utf8(s)) {
        for (std::size_t pos = 0; pos < s.size();) {
            const Decoded d = decode(s.substr(pos));
            if (decode_strict(s.substr(pos)).length == 0)
                valid += "\uFFFD";
            else
                valid.append(s.substr(pos, d.length));
            pos += d.length;
        }
        s = valid;
    }
    const std::string folded = map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    std::string key;
    key.reserve(folded.size());
    bool space_pending = false;
    for (std::size_t pos = 0; pos < folded.size();) {
        const Decoded d = decode(std::string_view(folded).substr(pos));
        if (is_white_space(d.codepoint)) {
            space_pending = !key.empty();
        } else {
            if (space_pending) key += ' ';
            space_pending = false;
            key.append(folded, pos, d.length);
        }
        pos += d.length;
    }
    return key;
}

std::string loose_key(std::string_view s) {
    const std::string strict = match_key(s);
    std::string key;
    key.reserve(strict.size());
    for (std::size_t pos = 0; pos < strict.size();) {
        const Decoded d = decode(std::string_view(strict).substr(pos));
        if (!is_white_space(d.codepoint) && !is_punctuation_or_symbol(d.codepoint)) {
            key.append(strict, pos, d.length);
        }
        pos += d.length;
    }
    // "Acme Co., Ltd." carries two forms, so stripping repeats. It stops when the longest
    // form found is all that is left: "有限公司" keeps its key instead of shrinking to "有限"
    // or to an empty key that would match every other such name.
    for (;;) {
        const auto suffix = std::find_if(
            company_suffixes.begin(), company_suffixes.end(),
            [&](std::string_view form) { return std::string_view(key).ends_with(form); });
        if (suffix == company_suffixes.end() || suffix->size() == key.size()) return key;
        key.resize(key.size() - suffix->size());
    }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::vector<utf8proc_int32_t> x = codepoints(a);
    const std::vector<utf8proc_int32_t> y = codepoints(b);
    std::vector<std::size_t> previous(y.size() + 1);
    std::vector<std::size_t> current(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[y.size()];
}

std::size_t codepoint_count(std::string_view s) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < s.size(); ++count) pos += decode(s.substr(pos)).length;
    return count;
}

int display_width(std::string_view s) {
    int width = 0;
    for (const Cluster& c : clusters(s)) width += c.width;
    return width;
}

std::string truncate_to_width(std::string_view s, int width) {
    if (width <= 0) return {};
    if (display_width(s) <= width) return std::string(s);
    static constexpr std::string_view ellipsis = "…";
    constexpr int ellipsis_width = 1;
    std::string out;
    int used = 0;
    for (const Cluster& c : clusters(s)) {
        if (used + c.width + ellipsis_width > width) break;
        out += c.text;
        used += c.width;
    }
    out += ellipsis;
    return out;
}

std::string pad_to_width(std::string_view s, int width, Align align) {
    const std::string padding(static_cast<std::size_t>(std::max(0, width - display_width(s))), ' ');
    if (align == Align::right) return padding + std::string(s);
    return std::string(s) + padding;
}

}  // namespace fieldbook::text
