#include "text/input.hpp"

#include <charconv>

#include "text/unicode.hpp"

namespace fieldbook::text {

std::optional<std::int64_t> parse_whole_number(std::string_view typed) {
    // NFKC (inside the match key) makes full-width "１２" the digits "12", as a phone's
    // Chinese keyboard types them.
    std::string key = match_key(typed);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
    if (key.empty() || key.front() < '0' || key.front() > '9' || ec != std::errc{} ||
        end != key.data() + key.size())
        return std::nullopt;
    return n;
}

std::optional<std::int64_t> parse_id(std::string_view typed) {
    auto id = parse_whole_number(typed);
    if (!id || *id <= 0) return std::nullopt;
    return id;
}

std::optional<std::string> clean_text(const std::optional<std::string>& value,
                                      std::string_view field) {
    if (!value) return std::nullopt;
    return clean_input(*value, field);
}

}  // namespace fieldbook::text
