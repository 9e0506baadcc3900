#include <doctest/doctest.h>

#include "errors.hpp"
#include "fixture.hpp"
#include "text/dates.hpp"

using namespace fieldbook;
using namespace fieldbook::text;
using std::chrono::days;

namespace {
Day day(const char* iso) {
    return parse_iso_day(iso);
}
}  // namespace

TEST_CASE("dates: relative days and weekday names point the right way") {
    Day today = day("2026-11-26");  // a Thursday
    CHECK(parse_day("today", today, Toward::past, "--on") == today);
    CHECK(parse_day("今天", today, Toward::past, "--on") == today);
    CHECK(parse_day("yesterday", today, Toward::past, "--on") == day("2026-11-25"));
    CHECK(parse_day("明天", today, Toward::future, "--next") == day("2026-11-27"));
    CHECK(parse_day("+3d", today, Toward::past, "--next") == day("2026-11-29"));
    CHECK(parse_day("-1w", today, Toward::future, "--since") == day("2026-11-19"));
    CHECK(parse_day("2w", today, Toward::future, "--next") == day("2026-12-10"));
    CHECK(parse_day("2w", today, Toward::past, "--since") == day("2026-11-12"));
    // Across a month boundary.
    CHECK(parse_day("+6d", today, Toward::future, "--next") == day("2026-12-02"));
    CHECK(parse_day("mon", today, Toward::past, "--since") == day("2026-11-23"));
    CHECK(parse_day("Monday", today, Toward::future, "--next") == day("2026-11-30"));
    CHECK(parse_day("周一", today, Toward::future, "--next") == day("2026-11-30"));
    CHECK(parse_day("thu", today, Toward::past, "--on") == today);
    CHECK(parse_day("thu", today, Toward::future, "--next") == day("2026-12-03"));
    CHECK(parse_day("２０２６-１２-０１", today, Toward::past, "--on") == day("2026-12-01"));
}

TEST_CASE("dates: an unreadable date names the value and the accepted forms") {
    Day today = day("2026-11-26");
    for (const char* bad : {"someday", "2026-02-30", "2026-13-01", "+d", "+-3d", "3x", ""}) {
        CAPTURE(bad);
        try {
            parse_day(bad, today, Toward::past, "--on");
            FAIL("accepted");
        } catch (const UsageError& e) {
            std::string what = e.what();
            CHECK(what.find("--on") != std::string::npos);
            CHECK(what.find(std::string("'") + bad + "'") != std::string::npos);
            CHECK(what.find("YYYY-MM-DD") != std::string::npos);
        }
    }
}

TEST_CASE("dates: local day differs from the UTC day near midnight") {
    const TimeZone shanghai = testing::shanghai();
    Instant late_utc =
        parse_iso_instant("2026-11-30T17:30:00Z", shanghai, "t");  // 01:30 on Dec 1 in Chengdu
    CHECK(format_day(local_day(late_utc, shanghai)) == "2026-12-01");
    CHECK(format_local_time(late_utc, shanghai) == "2026-12-01 01:30");
    CHECK(format_utc(late_utc) == "2026-11-30T17:30:00Z");
    const TimeZone new_york = TimeZone::named("America/New_York", "zone");
    CHECK(format_day(local_day(late_utc, new_york)) == "2026-11-30");
}

TEST_CASE("dates: instants as typed") {
    const TimeZone zone = testing::shanghai();
    Instant now = parse_iso_instant("2026-11-26T10:15:00+08:00", zone, "now");
    CHECK(format_utc(now) == "2026-11-26T02:15:00Z");
    CHECK(format_utc(parse_instant("2026-11-25 16:40", now, zone, "--at")) ==
          "2026-11-25T08:40:00Z");
    CHECK(format_utc(parse_instant("09:05", now, zone, "--at")) == "2026-11-26T01:05:00Z");
    CHECK(format_utc(parse_instant("yesterday", now, zone, "--at")) == "2026-11-25T02:15:00Z");
    CHECK(format_utc(parse_iso_instant("2026-11-26", zone, "now")) == "2026-11-25T16:00:00Z");
    CHECK(format_utc(parse_iso_instant("2026-11-26T10:00", zone, "now")) == "2026-11-26T02:00:00Z");
    CHECK_THROWS_AS(parse_instant("25:00", now, zone, "--at"), UsageError);
    CHECK_THROWS_AS(parse_iso_instant("2026-11-26T10:00:00+25:00", zone, "FIELDBOOK_NOW"),
                    UsageError);
}

TEST_CASE("dates: a planned day is today or later") {
    Day today = day("2026-11-26");
    CHECK(parse_coming_day("today", today, "--due") == today);
    CHECK(parse_coming_day("fri", today, "--due") == day("2026-11-27"));
    try {
        parse_coming_day("2026-11-25", today, "--due");
        FAIL("accepted a past day");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()) == "--due: 2026-11-25 is in the past");
    }
}

TEST_CASE("dates: every date typed is from 2000-01-01 to 2099-12-31") {
    const TimeZone zone = testing::shanghai();
    const Day today = day("2026-11-26");
    const Instant now = parse_iso_instant("2026-11-26T10:00:00+08:00", zone, "now");
    CHECK(parse_day("2000-01-01", today, Toward::past, "--on") == day("2000-01-01"));
    CHECK(parse_day("2099-12-31", today, Toward::future, "--due") == day("2099-12-31"));
    CHECK_THROWS_WITH_AS(parse_day("0000-01-01", today, Toward::past, "--on"),
                         "--on: 0000-01-01 is outside 2000-01-01 to 2099-12-31", DayOutOfRange);
    CHECK_THROWS_AS(parse_day("1999-12-31", today, Toward::past, "--since"), DayOutOfRange);
    CHECK_THROWS_AS(parse_day("2100-01-01", today, Toward::future, "--due"), DayOutOfRange);
    CHECK_THROWS_AS(parse_day("9999-12-31", today, Toward::future, "--due"), DayOutOfRange);
    CHECK_THROWS_AS(parse_coming_day("+36600d", today, "--next"), DayOutOfRange);
    CHECK_THROWS_WITH_AS(parse_instant("0000-01-01 10:00", now, zone, "--at"),
                         "--at: 0000-01-01 is outside 2000-01-01 to 2099-12-31", DayOutOfRange);
    CHECK_THROWS_AS(parse_past_instant("1999-12-31 23:59", now, zone, "--at"), DayOutOfRange);
    // Impossible days and times are not days at all.
    for (const char* bad : {"2026-02-30", "2026-13-01", "2026-00-10", "2026-11-26 24:00",
                            "2026-11-26 23:59:60", "2026-11-26 12:60"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(parse_instant(bad, now, zone, "--at"),
                             doctest::Contains("cannot read"), UsageError);
    }
}
