#pragma once
// Whole-number flags (--headcount, --limit, --visits) with messages a person can read.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <string>

namespace fieldbook::app {

inline CLI::Validator whole_number(std::int64_t min) {
    return CLI::Validator(
        [min](std::string& value) -> std::string {
            std::int64_t n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc{} || end != value.data() + value.size() || n < min)
                return "'" + value + "' is not a whole number of " + std::to_string(min) +
                       " or more";
            return {};
        },
        "N>=" + std::to_string(min));
}

}  // namespace fieldbook::app
