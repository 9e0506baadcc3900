#include <doctest/doctest.h>

#include <regex>

#include "domain/meeting_fingerprint.hpp"
#include "domain/meeting_report.hpp"
#include "domain/meetings.hpp"
#include "domain/orders.hpp"
#include "domain/visits.hpp"
#include "fixture.hpp"
#include "render/meeting_summary.hpp"
#include "store/sqlite/connection.hpp"
#include "text/sha256.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}

struct Day : testing::TestStore {
    Day() : testing::TestStore("2026-11-27T18:00:00+08:00") {
        zhang = add_rep("zhang");
        li = add_rep("li");
        wang = add_rep("wang", "manager");
        morning = log(zhang, "甲公司", "contact", "2026-11-27T10:00:00+08:00");
        log(li, "乙公司", "interest", "2026-11-27T15:30:00+08:00");
        store.write([&] {
            meetings::add_note(session, zhang, zhang, d, "self-review", "开场白太长");
            meetings::add_note(session, wang, li, d, "manager", "李进步明显");
        });
    }

    visits::Visit log(const reps::Rep& who, const std::string& customer, const std::string& outcome,
                      const char* when) {
        visits::NewVisit v{.customer = customer, .allow_duplicate = true};
        v.fields.outcome = outcome;
        v.fields.at = text::parse_iso_instant(when, zone, "at");
        return store.write([&] { return visits::add(session, who, v); }).visit;
    }

    std::string fingerprint() { return meeting_fingerprint::of_day(store, d); }

    text::Day d = day("2026-11-27");
    reps::Rep zhang, li, wang;
    visits::Visit morning;
};

}  // namespace

TEST_CASE("meeting fingerprint: versioned SHA-256 of the day's records, stable when read again") {
    Day o;
    std::string first = o.fingerprint();
    CHECK(std::regex_match(first, std::regex("v2:[0-9a-f]{64}")));
    CHECK(o.fingerprint() == first);
    std::string records = meeting_fingerprint::serialise(o.store, o.d);
    CHECK(meeting_fingerprint::serialise(o.store, o.d) == records);
    // Records by UUID and instants in UTC; no labels, headings or local clock times.
    CHECK(records.find(o.morning.uuid) != std::string::npos);
    CHECK(records.find("\"at_utc\":\"2026-11-27T02:00:00Z\"") != std::string::npos);
    CHECK_FALSE(std::regex_search(records, std::regex("\"[0-9]{2}:[0-9]{2}\"")));  // 10:00
    CHECK(records.find("甲公司") == std::string::npos);  // the customer is a reference
    CHECK(records.find("Self-review") == std::string::npos);
    CHECK(records.find("开场白太长") != std::string::npos);
    CHECK(records.find('\n') == std::string::npos);
}

TEST_CASE("meeting fingerprint: the rendering of the summary plays no part") {
    Day o;
    std::string fingerprint = o.fingerprint();
    std::string markdown =
        render::meeting_summary_markdown(meeting_report::build(o.session, o.d, 7));
    // Another display time zone renders other clock times (and would have changed a fingerprint
    // of the rendered summary); the records, and so their fingerprint, are the same.
    text::TimeZone london = text::TimeZone::named("Europe/London", "test zone");
    Session session_elsewhere{o.store, o.clock, o.uuids, london};
    std::string elsewhere =
        render::meeting_summary_markdown(meeting_report::build(session_elsewhere, o.d, 7));
    std::string fingerprint_elsewhere = o.fingerprint();
    CHECK(elsewhere != markdown);
    CHECK(fingerprint_elsewhere == fingerprint);
    // Closing archives the rendered summary; the fingerprint stored beside it is the records'.
    o.store.write([&] { meetings::close(o.session, o.wang, o.d, "# any text at all"); });
    auto closed = meetings::get(o.session, o.d);
    CHECK(closed.records_fingerprint == fingerprint);
    CHECK_FALSE(meetings::records_changed_since_closing(o.session, closed));
}

TEST_CASE("meeting fingerprint: a changed field of the day's records changes it") {
    Day o;
    std::string before = o.fingerprint();
    SUBCASE("a visit's note") {
        o.store.write([&] { visits::edit(o.session, o.zhang, o.morning.id, {.note = "改了"}); });
    }
    SUBCASE("a visit's outcome") {
        o.store.write(
            [&] { visits::edit(o.session, o.zhang, o.morning.id, {.outcome = "interest"}); });
    }
    SUBCASE("a visit deleted") {
        o.store.write([&] { visits::remove(o.session, o.zhang, o.morning.id); });
    }
    SUBCASE("a visit added to the day") {
        o.log(o.li, "丙公司", "absent", "2026-11-27T17:00:00+08:00");
    }
    SUBCASE("a note") {
        o.store.write([&] { meetings::add_note(o.session, o.li, o.li, o.d, "idea", "试试电话"); });
    }
    SUBCASE("a quota for the day") {
        o.store.write([&] { meetings::set_plan(o.session, o.wang, o.li, o.d, 8, std::nullopt); });
    }
    CHECK(o.fingerprint() != before);
}

TEST_CASE("meeting fingerprint: other days' records leave it as it is") {
    Day o;
    std::string before = o.fingerprint();
    auto next = meetings::next_working_day(o.d);
    o.log(o.zhang, "甲公司", "interest", "2026-11-26T11:00:00+08:00");
    o.store.write([&] {
        meetings::add_note(o.session, o.zhang, o.zhang, day("2026-11-26"), "idea", "前一天");
        meetings::set_plan(o.session, o.wang, o.zhang, next, 10, std::string("环球中心"));
    });
    CHECK(o.fingerprint() == before);
    CHECK(meeting_fingerprint::of_day(o.store, day("2026-11-26")) != before);
}

namespace {

std::int64_t order_for(Day& o, const reps::Rep& who, const visits::Visit& visit, text::Day on,
                       money::Cents amount, money::Cents prepaid) {
    return o.store
        .write([&] {
            return orders::add(o.session, who,
                               {.customer_id = visit.customer_id,
                                .day = on,
                                .amount = amount,
                                .prepaid = prepaid});
        })
        .id;
}

}  // namespace

TEST_CASE("meeting fingerprint: v2 covers the day's orders and payments, v1 does not") {
    Day o;
    std::string before = o.fingerprint();
    std::string v1_before = meeting_fingerprint::serialise_v1(*o.store.read_tx(), o.d);
    SUBCASE("an order taken that day") {
        order_for(o, o.zhang, o.morning, o.d, 128000, 0);
    }
    SUBCASE("a payment received that day on an older order") {
        auto id = order_for(o, o.zhang, o.morning, day("2026-11-20"), 50000, 0);
        CHECK(o.fingerprint() == before);  // an order of another day
        o.store.write([&] { orders::pay(o.session, o.zhang, id, 20000, o.d, std::nullopt); });
    }
    CHECK(o.fingerprint() != before);
    CHECK(meeting_fingerprint::serialise_v1(*o.store.read_tx(), o.d) == v1_before);
}

TEST_CASE("meeting fingerprint: a day closed with a v1 fingerprint still verifies") {
    Day o;
    auto tx = o.store.read_tx();
    std::string v1 = "v1:" + text::sha256_hex(meeting_fingerprint::serialise_v1(*tx, o.d));
    CHECK(meeting_fingerprint::matches(*tx, o.d, v1));
    CHECK(meeting_fingerprint::matches(*tx, o.d, meeting_fingerprint::of_day(*tx, o.d)));
    // The v1 digest under the v2 prefix is not the day's: versions are not interchangeable.
    CHECK_FALSE(meeting_fingerprint::matches(*tx, o.d, "v2:" + v1.substr(3)));
    CHECK_FALSE(meeting_fingerprint::matches(*tx, o.d, "changed-before-upgrade"));
    CHECK_FALSE(meeting_fingerprint::matches(*tx, o.d, ""));
}

TEST_CASE("meeting fingerprint: a day archived under v1 is checked against the v1 records") {
    Day o;
    o.store.write([&] { meetings::close(o.session, o.wang, o.d, "# closed before v2"); });
    auto id = fieldbook::store::database(o.store)
                  .execAndGet("SELECT id FROM meeting WHERE day = '2026-11-27'")
                  .getInt64();
    std::string v1 =
        "v1:" + text::sha256_hex(meeting_fingerprint::serialise_v1(*o.store.read_tx(), o.d));
    o.store.write([&] { o.store.set_derived("meeting", id, "records_fingerprint", v1); });
    CHECK_FALSE(meetings::records_changed_since_closing(o.session, meetings::get(o.session, o.d)));
    // A v1 summary showed no money: an order of the day is no change to what it covered.
    order_for(o, o.zhang, o.morning, o.d, 9900, 0);
    CHECK_FALSE(meetings::records_changed_since_closing(o.session, meetings::get(o.session, o.d)));
    o.store.write([&] { visits::edit(o.session, o.zhang, o.morning.id, {.note = "改了"}); });
    CHECK(meetings::records_changed_since_closing(o.session, meetings::get(o.session, o.d)));
}
