#pragma once
// What users type for ids, numbers and free-text fields, checked the same way everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldbook::text {

// A whole number as typed: ASCII or full-width digits (NFKC), no sign, no separators;
// nullopt when it is not one (or does not fit 64 bits).
std::optional<std::int64_t> parse_whole_number(std::string_view typed);

// A record id as typed (a whole number above 0); nullopt when it is not one.
std::optional<std::int64_t> parse_id(std::string_view typed);

// Optional free text through clean_input (the one set of text rules, see text/unicode.hpp);
// absent stays absent.
std::optional<std::string> clean_text(const std::optional<std::string>& value,
                                      std::string_view field);

}  // namespace fieldbook::text
