#include <doctest/doctest.h>

#include "text/input.hpp"

using namespace fieldbook::text;

TEST_CASE("input: whole numbers in ASCII or full-width digits, nothing else") {
    CHECK(parse_whole_number("12") == 12);
    CHECK(parse_whole_number("１２") == 12);
    CHECK(parse_whole_number(" 0 ") == 0);
    CHECK(parse_whole_number("9223372036854775807") == INT64_MAX);
    for (const char* bad : {"", "-1", "+1", "1.0", "1,000", "1e3", "十二", "12a", "0x1F",
                            "9223372036854775808", "\xff"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_whole_number(bad));
    }
    CHECK(parse_id("０７") == 7);
    CHECK_FALSE(parse_id("0"));
}
