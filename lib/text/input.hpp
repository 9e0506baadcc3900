#pragma once
// What users type for ids and free-text fields, checked the same way everywhere.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldbook::text {

// A record id as typed (ASCII or full-width digits); nullopt when it is not one.
std::optional<std::int64_t> parse_id(std::string_view typed);

// Optional free text: validated UTF-8 in NFC, at most 4000 characters (UsageError naming
// `field` otherwise); absent stays absent.
std::optional<std::string> clean_text(const std::optional<std::string>& value,
                                      std::string_view field);

}  // namespace fieldbook::text
