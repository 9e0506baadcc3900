#include "domain/floors.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <tuple>

#include "text/unicode.hpp"

namespace fieldbook::floors {
namespace {

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    auto first = s.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::optional<std::int64_t> number(std::string_view digits) {
    if (!all_digits(digits)) return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

// "3", "03", "-1" as a storey; "B1", "b02" as a basement (B0 is no floor below ground).
std::optional<Floor> numbered(std::string_view s) {
    if (s.empty()) return std::nullopt;
    if (s.front() == 'B' || s.front() == 'b') {
        auto n = number(s.substr(1));
        if (!n || *n == 0) return std::nullopt;
        return Floor{.kind = Kind::basement,
                     .level = -*n,
                     .key = "B" + std::to_string(*n),
                     .label = "B" + std::to_string(*n)};
    }
    bool below = s.front() == '-';
    auto n = number(below ? s.substr(1) : s);
    if (!n) return std::nullopt;
    std::int64_t level = below ? -*n : *n;
    return Floor{.kind = Kind::storey,
                 .level = level,
                 .key = std::to_string(level),
                 .label = std::to_string(level)};
}

bool ends_with_ascii_nocase(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) return false;
    auto tail = s.substr(s.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i) {
        char c = tail[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != suffix[i]) return false;
    }
    return true;
}

// Longer forms first, so "3floor" loses "floor" rather than an "r" being looked at alone.
constexpr std::array<std::string_view, 6> kSuffixes = {"floor", "f", "楼", "层", "樓", "層"};

int rank(Kind kind) {
    switch (kind) {
        case Kind::storey:
            return 0;
        case Kind::basement:
            return 1;
        case Kind::name:
            break;
    }
    return 2;
}

}  // namespace

Floor read(std::string_view written) {
    const std::string normal = text::nfkc(written);
    const std::string_view s = trim(normal);
    for (auto suffix : kSuffixes) {
        if (!ends_with_ascii_nocase(s, suffix)) continue;
        if (auto f = numbered(trim(s.substr(0, s.size() - suffix.size())))) return *f;
        break;
    }
    if (auto f = numbered(s)) return *f;
    return Floor{.kind = Kind::name, .key = text::match_key(s), .label = std::string(s)};
}

bool before(const Floor& a, const Floor& b) {
    bool a_named = a.kind == Kind::name, b_named = b.kind == Kind::name;
    return std::tuple(a_named, a.level, rank(a.kind), a.key) <
           std::tuple(b_named, b.level, rank(b.kind), b.key);
}

bool before(std::string_view a, std::string_view b) {
    return before(read(a), read(b));
}

std::string room_key(std::string_view written) {
    std::string key = text::match_key(written);
    if (!all_digits(key)) return key;
    auto first = key.find_first_not_of('0');
    return first == std::string::npos ? "0" : key.substr(first);
}

}  // namespace fieldbook::floors
