#include <doctest/doctest.h>

#include <chrono>

#include "render/spreadsheet.hpp"

using namespace fieldbook::render;

TEST_CASE("spreadsheet: what starts a formula") {
    for (const char* text : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=", "-"}) {
        CAPTURE(text);
        CHECK(starts_formula(text));
        CHECK(neutralise_formula(text) == std::string("'") + text);
    }
    for (const char* text : {"", "plain", "成都蓝海", " =1", "'=1", "1-1", "a@b.cn", "＝1"}) {
        CAPTURE(text);
        CHECK_FALSE(starts_formula(text));
        CHECK(neutralise_formula(text) == text);
    }
}

TEST_CASE("spreadsheet: plain numbers") {
    CHECK(plain_number("0") == 0.0);
    CHECK(plain_number("42") == 42.0);
    CHECK(plain_number("-12.50") == -12.5);
    CHECK(plain_number("12,345.00") == 12345.0);
    CHECK(plain_number("-1,234,567.5") == -1234567.5);
    CHECK(plain_number("007") == 7.0);
    for (const char* text :
         {"", "-", ".5", "5.", "1.2.3", "12,34", "1,,234", ",123", "1,234,", "1e5", "inf", "nan",
          "+1", " 1", "1 ", "12%", "１２", "0x10", "1,2345"}) {
        CAPTURE(text);
        CHECK_FALSE(plain_number(text).has_value());
    }
}

TEST_CASE("spreadsheet: ISO dates") {
    using namespace std::chrono;
    CHECK(iso_date("2026-11-26") == year_month_day{year{2026}, November, day{26}});
    CHECK(iso_date("2024-02-29").has_value());
    for (const char* text : {"", "2026-11-26 10:00", "2026-13-01", "2026-02-29", "2026-11-31",
                             "26-11-26", "2026/11/26", "1899-12-31", "2026-1-26"}) {
        CAPTURE(text);
        CHECK_FALSE(iso_date(text).has_value());
    }
}
