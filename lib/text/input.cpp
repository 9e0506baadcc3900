#include "text/input.hpp"

#include <fmt/format.h>

#include <charconv>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::text {

constexpr std::size_t kMaxTextLength = 4000;

std::optional<std::int64_t> parse_id(std::string_view typed) {
    std::string key = match_key(typed);
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (key.empty() || ec != std::errc{} || end != key.data() + key.size() || id <= 0)
        return std::nullopt;
    return id;
}

std::optional<std::string> clean_text(const std::optional<std::string>& value,
                                      std::string_view field) {
    if (!value) return std::nullopt;
    std::string cleaned = clean_input(*value, field);
    if (codepoint_count(cleaned) > kMaxTextLength)
        throw UsageError(fmt::format("{}: longer than {} characters", field, kMaxTextLength));
    return cleaned;
}

}  // namespace fieldbook::text
