#include <doctest/doctest.h>

#include <set>

#include "clock.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

using namespace fieldbook;

TEST_CASE("uuid: version 7, RFC variant, unique and increasing under a pinned clock") {
    FixedClock clock(text::parse_iso_instant("2026-11-26T02:00:00Z", text::TimeZone::utc(), "now"));
    UuidGenerator ids(clock, 99);
    std::set<std::string> seen;
    std::string first = ids.next();
    // The timestamp prefix is the clock's millisecond count: 2026-11-26T02:00:00Z.
    CHECK(first.substr(0, 13) == "01a21594-c100");
    std::string previous = first;
    for (int i = 0; i < 2000; ++i) {
        std::string id = ids.next();
        REQUIRE(id.size() == 36);
        CHECK(id[14] == '7');
        CHECK(std::string("89ab").find(id[19]) != std::string::npos);
        CHECK(id > previous);
        previous = id;
        seen.insert(id);
    }
    CHECK(seen.size() == 2000);
}
