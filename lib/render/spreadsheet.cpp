#include "render/spreadsheet.hpp"

#include <charconv>

namespace fieldbook::render {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Digits of a number with its thousands separators removed, or nothing if a comma is out
// of place: "1,234" and "12,345,678" group by three, "12,34" or "1,,234" do not.
std::optional<std::string> without_grouping(std::string_view digits) {
    if (digits.find(',') == std::string_view::npos) return std::string(digits);
    std::string out;
    std::size_t group = 0;
    bool first = true;
    for (const char c : digits) {
        if (c == ',') {
            if (group == 0 || group > 3 || (!first && group != 3)) return std::nullopt;
            first = false;
            group = 0;
        } else {
            out += c;
            ++group;
        }
    }
    if (group != 3) return std::nullopt;
    return out;
}

}  // namespace

bool starts_formula(std::string_view s) {
    if (s.empty()) return false;
    switch (s.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return true;
        default:
            return false;
    }
}

std::string neutralise_formula(std::string_view s) {
    if (!starts_formula(s)) return std::string(s);
    std::string out = "'";
    out += s;
    return out;
}

std::optional<double> plain_number(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && s[i] == '-') ++i;
    const std::size_t int_start = i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == ',')) ++i;
    if (i == int_start) return std::nullopt;
    auto integer = without_grouping(s.substr(int_start, i - int_start));
    if (!integer) return std::nullopt;
    std::string plain = s.substr(0, int_start) == "-" ? "-" + *integer : *integer;
    if (i < s.size() && s[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        if (i == fraction) return std::nullopt;
        plain += s.substr(fraction - 1, i - fraction + 1);
    }
    if (i != s.size()) return std::nullopt;
    double value = 0;
    const auto [end, ec] =
        std::from_chars(plain.data(), plain.data() + plain.size(), value, std::chars_format::fixed);
    if (ec != std::errc{} || end != plain.data() + plain.size()) return std::nullopt;
    return value;
}

std::optional<std::chrono::year_month_day> iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!is_digit(s[i])) return std::nullopt;
    auto number = [&](std::size_t at, std::size_t len) {
        int n = 0;
        for (std::size_t i = at; i < at + len; ++i) n = n * 10 + (s[i] - '0');
        return n;
    };
    const std::chrono::year_month_day day{std::chrono::year{number(0, 4)},
                                          std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                          std::chrono::day{static_cast<unsigned>(number(8, 2))}};
    if (!day.ok() || day.year() < std::chrono::year{1900}) return std::nullopt;
    return day;
}

}  // namespace fieldbook::render
