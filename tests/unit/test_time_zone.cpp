#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "errors.hpp"
#include "fixture.hpp"
#include "text/dates.hpp"
#include "text/time_zone.hpp"

using namespace fieldbook;
using namespace fieldbook::text;
using std::chrono::hours;

namespace {

Day day(const char* iso) {
    return parse_iso_day(iso);
}

Instant utc(const char* iso) {
    return parse_iso_instant(iso, TimeZone::utc(), "t");
}

std::string usage_error(auto&& make) {
    try {
        make();
    } catch (const UsageError& e) {
        return e.what();
    }
    FAIL("no UsageError");
    return {};
}

}  // namespace

TEST_CASE("time zone: made from an IANA name, an unknown one names the setting") {
    CHECK(TimeZone::named("Asia/Shanghai", "timezone").name() == "Asia/Shanghai");
    CHECK(TimeZone::named("UTC", "timezone").name() == "UTC");
    CHECK(TimeZone::utc().name() == "UTC");
    CHECK(TimeZone::named("Europe/Berlin", "a") == TimeZone::named("Europe/Berlin", "b"));
    CHECK_FALSE(TimeZone::named("Europe/Berlin", "a") == TimeZone::utc());

    CHECK(usage_error([] { TimeZone::named("Mars/Base", "config timezone"); }) ==
          "config timezone: unknown time zone 'Mars/Base' (e.g. Asia/Shanghai; see "
          "/usr/share/zoneinfo)");
    // Names are looked up, never opened: a path out of the database, a file of the database
    // that is no zone, and a name cut short by a NUL are all unknown.
    for (std::string bad : {std::string("../../../../etc/passwd"), std::string("zone.tab"),
                            std::string(""), std::string("Asia/Shanghai\0x", 15)}) {
        CAPTURE(bad);
        CHECK(usage_error([&] {
                  TimeZone::named(bad, "--timezone");
              }).find("--timezone: unknown") == 0);
    }
    CHECK(usage_error([] {
              TimeZone::named(std::string("Asia/Shanghai\0x", 15), "timezone");
          }).find("'Asia/Shanghai\\u0000x'") != std::string::npos);
}

TEST_CASE("time zone: the system's, from what TZ says, else /etc/localtime") {
    CHECK(TimeZone::system("Asia/Tokyo").name() == "Asia/Tokyo");
    CHECK(TimeZone::system(":Europe/Berlin").name() == "Europe/Berlin");
    CHECK(TimeZone::system("/usr/share/zoneinfo/Asia/Shanghai").name() == "Asia/Shanghai");
    CHECK(TimeZone::system("").name() == "UTC");  // as the C library reads an empty TZ
    CHECK_FALSE(TimeZone::system(std::nullopt).name().empty());
    try {
        TimeZone::system("CST-8");  // a POSIX rule, not a zone of the database
        FAIL("accepted");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find("TZ: unknown time zone 'CST-8'") == 0);
        CHECK(e.hint().find("timezone") != std::string::npos);
    }
}

TEST_CASE("time zone: two teams' days side by side in one process") {
    const TimeZone shanghai = testing::shanghai();
    const TimeZone new_york = TimeZone::named("America/New_York", "zone");
    const Instant at = utc("2026-11-26T02:00:00Z");
    CHECK(format_local_time(at, shanghai) == "2026-11-26 10:00");
    CHECK(format_local_time(at, new_york) == "2026-11-25 21:00");
    CHECK(format_local_time(at, TimeZone::utc()) == "2026-11-26 02:00");
    // The same typed time is a different instant for each team.
    CHECK(format_utc(parse_iso_instant("2026-11-26T10:00", shanghai, "t")) ==
          "2026-11-26T02:00:00Z");
    CHECK(format_utc(parse_iso_instant("2026-11-26T10:00", new_york, "t")) ==
          "2026-11-26T15:00:00Z");
}

TEST_CASE("time zone: local days across daylight-saving changes (New York)") {
    const TimeZone ny = TimeZone::named("America/New_York", "zone");
    // Sunday 2026-03-08: 02:00 EST becomes 03:00 EDT, a day of 23 hours.
    CHECK(format_utc(local_instant(day("2026-03-08"), 0, 0, ny)) == "2026-03-08T05:00:00Z");
    CHECK(format_utc(local_instant(day("2026-03-09"), 0, 0, ny)) == "2026-03-09T04:00:00Z");
    CHECK(local_instant(day("2026-03-09"), 0, 0, ny) - local_instant(day("2026-03-08"), 0, 0, ny) ==
          hours{23});
    // Sunday 2026-11-01: 02:00 EDT becomes 01:00 EST, a day of 25 hours.
    CHECK(format_utc(local_instant(day("2026-11-01"), 0, 0, ny)) == "2026-11-01T04:00:00Z");
    CHECK(format_utc(local_instant(day("2026-11-02"), 0, 0, ny)) == "2026-11-02T05:00:00Z");
    CHECK(local_instant(day("2026-11-02"), 0, 0, ny) - local_instant(day("2026-11-01"), 0, 0, ny) ==
          hours{25});
    // Each side of both midnights falls on its own day.
    CHECK(format_day(local_day(utc("2026-11-01T03:59:59Z"), ny)) == "2026-10-31");
    CHECK(format_day(local_day(utc("2026-11-01T04:00:00Z"), ny)) == "2026-11-01");
    CHECK(format_day(local_day(utc("2026-11-02T04:59:59Z"), ny)) == "2026-11-01");
    CHECK(format_day(local_day(utc("2026-11-02T05:00:00Z"), ny)) == "2026-11-02");
    CHECK(format_local_time(utc("2026-11-02T04:59:59Z"), ny) == "2026-11-01 23:59");
    // Across the change the clock jumps, the instants do not.
    CHECK(format_local_clock(utc("2026-03-08T06:59:00Z"), ny) == "01:59");
    CHECK(format_local_clock(utc("2026-03-08T07:00:00Z"), ny) == "03:00");
}

TEST_CASE("time zone: a skipped local time moves forward, a repeated one is the first") {
    const TimeZone ny = TimeZone::named("America/New_York", "zone");
    const Instant now = utc("2026-11-26T15:00:00Z");
    // 02:30 on 2026-03-08 never happens in New York: it is read as 03:30 EDT.
    CHECK(format_utc(parse_iso_instant("2026-03-08T02:30", ny, "t")) == "2026-03-08T07:30:00Z");
    Instant skipped = parse_instant("2026-03-08 02:30", now, ny, "--at");
    CHECK(format_utc(skipped) == "2026-03-08T07:30:00Z");
    CHECK(format_local_time(skipped, ny) == "2026-03-08 03:30");
    // 01:30 on 2026-11-01 happens twice (EDT, then EST): the first is taken.
    Instant repeated = parse_past_instant("2026-11-01 01:30", now, ny, "--at");
    CHECK(format_utc(repeated) == "2026-11-01T05:30:00Z");
    CHECK(format_local_clock(utc("2026-11-01T05:30:00Z"), ny) == "01:30");
    CHECK(format_local_clock(utc("2026-11-01T06:30:00Z"), ny) == "01:30");
    // A time with an offset is that instant, whatever the zone's rules.
    CHECK(format_utc(parse_iso_instant("2026-11-01T01:30:00-05:00", ny, "t")) ==
          "2026-11-01T06:30:00Z");

    // Europe/Berlin: 02:00 CET becomes 03:00 CEST on 2026-03-29; 03:00 CEST becomes 02:00 CET
    // on 2026-10-25.
    const TimeZone berlin = TimeZone::named("Europe/Berlin", "zone");
    CHECK(format_utc(parse_iso_instant("2026-03-29T02:30", berlin, "t")) == "2026-03-29T01:30:00Z");
    CHECK(format_utc(parse_iso_instant("2026-10-25T02:30", berlin, "t")) == "2026-10-25T00:30:00Z");
    CHECK(local_instant(day("2026-03-30"), 0, 0, berlin) -
              local_instant(day("2026-03-29"), 0, 0, berlin) ==
          hours{23});
}

TEST_CASE("time zone: where midnight is skipped, the day starts at 01:00") {
    // Havana moves its clocks from 00:00 to 01:00 (2026-03-08) and from 01:00 back to 00:00
    // (2026-11-01).
    const TimeZone havana = TimeZone::named("America/Havana", "zone");
    Instant start = local_instant(day("2026-03-08"), 0, 0, havana);
    CHECK(format_utc(start) == "2026-03-08T05:00:00Z");
    CHECK(format_local_time(start, havana) == "2026-03-08 01:00");
    CHECK(format_day(local_day(start - std::chrono::seconds{1}, havana)) == "2026-03-07");
    CHECK(format_utc(parse_iso_instant("2026-03-08", havana, "t")) == "2026-03-08T05:00:00Z");
    // A midnight that happens twice: the day starts at the first.
    CHECK(format_utc(local_instant(day("2026-11-01"), 0, 0, havana)) == "2026-11-01T04:00:00Z");
    CHECK(format_day(local_day(utc("2026-11-01T03:59:59Z"), havana)) == "2026-10-31");
}
