#include <doctest/doctest.h>

#include <chrono>

#include "clock.hpp"
#include "store/sync/instant.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

using namespace fieldbook;
using store::sync::EditOrder;
using store::sync::instant_ms;

namespace {

std::int64_t ms_of(const char* utc) {
    auto at = text::parse_iso_instant(utc, text::TimeZone::utc(), "at");
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

TEST_CASE("sync instant: an operation is placed at its UUIDv7's millisecond") {
    FixedClock clock(text::parse_iso_instant("2026-12-03T02:00:00Z", text::TimeZone::utc(), "now"));
    UuidGenerator ids(clock, 7);
    std::string first = ids.next(), second = ids.next();
    CHECK(instant_ms(first, "1999-01-01T00:00:00Z") == ms_of("2026-12-03T02:00:00Z"));
    // Two operations of one device under a pinned clock still come one after the other.
    CHECK(instant_ms(second, "") == instant_ms(first, "") + 1);
}

TEST_CASE("sync instant: an operation logged without a UUID is placed at its logged second") {
    CHECK(instant_ms("", "2026-12-03T02:00:05Z") == ms_of("2026-12-03T02:00:05Z"));
    CHECK(instant_ms("cmd-uuid/12", "2026-12-03T02:00:05Z") == ms_of("2026-12-03T02:00:05Z"));
    // Not a version 7 UUID: its leading digits are no clock.
    CHECK(instant_ms("01a2396a-5680-4bc0-a1d4-ca2f4405bed6", "2026-12-03T02:00:05Z") ==
          ms_of("2026-12-03T02:00:05Z"));
}

TEST_CASE("sync instant: the later instant wins, then the greater device id") {
    CHECK(EditOrder{1000, "b"} < EditOrder{1001, "a"});
    CHECK(EditOrder{1000, "a"} < EditOrder{1000, "b"});
    CHECK_FALSE(EditOrder{1000, "b"} < EditOrder{1000, "b"});
}

TEST_CASE("sync instant: a clock behind what it has seen stamps after what it has seen") {
    FixedClock clock(text::parse_iso_instant("2026-12-03T01:00:00Z", text::TimeZone::utc(), "now"));
    UuidGenerator ids(clock, 3);
    std::int64_t seen = ms_of("2026-12-03T03:00:00Z");
    ids.observe(seen);
    CHECK(instant_ms(ids.next(), "") == seen + 1);
    // An earlier instant observed changes nothing.
    ids.observe(ms_of("2026-12-03T00:00:00Z"));
    CHECK(instant_ms(ids.next(), "") == seen + 2);
}
