#pragma once
// Money is integer cents (fen), never floating point.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldbook::money {

using Cents = std::int64_t;

// "128", "128.5", "128.50" -> 12850; anything else (three decimals, signs, words) is nullopt.
std::optional<Cents> parse(std::string_view text);
std::string format(Cents cents);  // 12850 -> "128.50"

}  // namespace fieldbook::money
