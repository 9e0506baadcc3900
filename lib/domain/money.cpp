#include "domain/money.hpp"

#include <fmt/format.h>

#include <optional>

namespace fieldbook::money {

std::optional<Cents> parse(std::string_view text) {
    if (text.empty() || text.size() > 15) return std::nullopt;
    Cents units = 0, fraction = 0;
    std::size_t i = 0, digits = 0;
    for (; i < text.size() && text[i] != '.'; ++i, ++digits) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        units = units * 10 + (text[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    if (i < text.size()) {
        std::size_t decimals = text.size() - i - 1;
        if (decimals == 0 || decimals > 2) return std::nullopt;
        for (std::size_t j = i + 1; j < text.size(); ++j) {
            if (text[j] < '0' || text[j] > '9') return std::nullopt;
            fraction = fraction * 10 + (text[j] - '0');
        }
        if (decimals == 1) fraction *= 10;
    }
    return units * 100 + fraction;
}

std::string format(Cents cents) {
    return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", (cents < 0 ? -cents : cents) / 100,
                       (cents < 0 ? -cents : cents) % 100);
}

}  // namespace fieldbook::money
