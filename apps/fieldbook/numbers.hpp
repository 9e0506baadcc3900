#pragma once
// Whole-number flags (--headcount, --limit, --visits, --qty, --days, --seed) with messages a
// person can read. Full-width digits are digits ("１２" is 12), as in every number fieldbook
// reads.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "text/input.hpp"

namespace fieldbook::app {

// A transform: the value is checked and handed on as ASCII digits, which CLI11 then converts.
// Apply with ->transform(), not ->check() (a check's changes are thrown away).
inline CLI::Validator whole_number(std::int64_t min) {
    return CLI::Validator(
        [min](std::string& value) -> std::string {
            auto n = text::parse_whole_number(value);
            if (!n || *n < min)
                return "'" + value + "' is not a whole number of " + std::to_string(min) +
                       " or more";
            value = std::to_string(*n);
            return {};
        },
        "N>=" + std::to_string(min));
}

}  // namespace fieldbook::app
