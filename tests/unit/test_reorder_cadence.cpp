#include <doctest/doctest.h>

#include "domain/reorder_cadence.hpp"

using namespace fieldbook;

namespace {
text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}
}  // namespace

TEST_CASE("reorder cadence: the median interval, counted from the last order") {
    // Days 1, 11 and 31: intervals 10 and 20, median 15, next on the 46th day (31 + 15).
    auto c = reorders::cadence({day("2026-10-01"), day("2026-10-11"), day("2026-10-31")});
    REQUIRE(c);
    CHECK(c->order_days == 3);
    CHECK(c->median_interval == doctest::Approx(15.0));
    CHECK(c->last == day("2026-10-31"));
    CHECK(c->expected == day("2026-11-15"));
}

TEST_CASE("reorder cadence: an odd number of intervals takes the middle one") {
    // Intervals 10, 30, 12 (in order of time): sorted 10, 12, 30, the median is 12; the one
    // long gap does not pull it as a mean (17.3) would.
    auto c = reorders::cadence(
        {day("2026-09-01"), day("2026-09-11"), day("2026-10-11"), day("2026-10-23")});
    REQUIRE(c);
    CHECK(c->median_interval == doctest::Approx(12.0));
    CHECK(c->expected == day("2026-11-04"));
}

TEST_CASE("reorder cadence: days in any order, one day counted once, a half day rounded up") {
    // 11-20, 11-01, 11-01 again, 11-08: distinct days 11-01, 11-08, 11-20; intervals 7 and 12,
    // median 9.5, rounded up to 10 days after 11-20.
    auto c = reorders::cadence(
        {day("2026-11-20"), day("2026-11-01"), day("2026-11-01"), day("2026-11-08")});
    REQUIRE(c);
    CHECK(c->order_days == 3);
    CHECK(c->median_interval == doctest::Approx(9.5));
    CHECK(c->last == day("2026-11-20"));
    CHECK(c->expected == day("2026-11-30"));
}

TEST_CASE("reorder cadence: fewer than two distinct days say nothing") {
    CHECK_FALSE(reorders::cadence({}));
    CHECK_FALSE(reorders::cadence({day("2026-11-01")}));
    CHECK_FALSE(reorders::cadence({day("2026-11-01"), day("2026-11-01")}));
    // Two days are enough: one interval is its own median.
    auto c = reorders::cadence({day("2026-11-01"), day("2026-11-29")});
    REQUIRE(c);
    CHECK(c->median_interval == doctest::Approx(28.0));
    CHECK(c->expected == day("2026-12-27"));
}
