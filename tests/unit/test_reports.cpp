#include <doctest/doctest.h>

#include "domain/customers.hpp"
#include "domain/orders.hpp"
#include "domain/reports/coverage.hpp"
#include "domain/reports/funnel.hpp"
#include "domain/reports/receivables.hpp"
#include "domain/reports/reps.hpp"
#include "domain/visits.hpp"
#include "fixture.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}

}  // namespace

TEST_CASE("reports: the median of whole days") {
    CHECK_FALSE(reports::median({}).has_value());
    CHECK(reports::median({7}) == 7.0);
    CHECK(reports::median({9, 1, 3}) == 3.0);
    CHECK(reports::median({3, 1}) == 2.0);
    CHECK(reports::median({1, 10, 3, 3}) == 3.0);
    CHECK(reports::median({0, 0, 1, 10}) == 0.5);
    CHECK(reports::median({-2, 4}) == 1.0);
}

TEST_CASE("reports: aging buckets at their boundaries") {
    using reports::aging_bucket;
    auto name = [](std::int64_t days) { return reports::kAgingBuckets[aging_bucket(days)]; };
    CHECK(name(-1) == "current");
    CHECK(name(-400) == "current");
    CHECK(name(0) == "0-30");
    CHECK(name(30) == "0-30");
    CHECK(name(31) == "31-60");
    CHECK(name(60) == "31-60");
    CHECK(name(61) == "61-90");
    CHECK(name(90) == "61-90");
    CHECK(name(91) == "90+");
    CHECK(name(10000) == "90+");
}

TEST_CASE("reports: weeks start on Monday") {
    CHECK(reports::week_start(day("2026-11-26")) == day("2026-11-23"));  // a Thursday
    CHECK(reports::week_start(day("2026-11-23")) == day("2026-11-23"));
    CHECK(reports::week_start(day("2026-11-29")) == day("2026-11-23"));  // Sunday
    CHECK(reports::week_start(day("2026-01-01")) == day("2025-12-29"));  // across the year
}

TEST_CASE("reports: coverage groups floors and rooms however they were written") {
    testing::TestStore t;
    auto rep = t.add_rep("zhang");
    int n = 0;
    auto place = [&](const char* building, const char* floor, std::optional<const char*> room) {
        return t.store.write([&] {
            customers::CustomerFields f{
                .name = "公司" + std::to_string(++n), .building = building, .floor = floor};
            if (room) f.room = *room;
            return customers::add(t.session, f, true);
        });
    };
    const char* tower = "天府软件园B座";
    place(tower, "3", "301");
    place(tower, "03", "302");
    place(tower, "３", "303");
    place(tower, "3F", "304");
    place(tower, "3楼", "1203");
    place(tower, "3层", "１２０３");                    // the room above, in full width: one door
    auto visited = place(tower, "３Ｆ", std::nullopt);  // no room: a door of its own
    place(tower, "10", "1001");
    place(tower, "2", "201");
    place(tower, "B1", "B101");
    place(tower, "-1", "-101");
    place(tower, "夹层", "M1");
    place("环球中心", "3楼", "301");
    t.store.write([&] {
        visits::NewVisit v{.customer = visited.name};
        v.fields.outcome = "contact";
        v.fields.at = text::parse_iso_instant("2026-11-20T10:00:00+08:00", t.zone, "at");
        visits::add(t.session, rep, v);
    });

    auto rows = reports::coverage_report(t.session, {.today = day("2026-11-26")});
    std::vector<std::pair<std::string, std::string>> floors;
    for (const auto& r : rows) floors.emplace_back(r.building, r.floor);
    CHECK(floors == std::vector<std::pair<std::string, std::string>>{{tower, "-1"},
                                                                     {tower, "B1"},
                                                                     {tower, "2"},
                                                                     {tower, "3"},
                                                                     {tower, "10"},
                                                                     {tower, "夹层"},
                                                                     {"环球中心", "3"}});
    const auto& third = rows[3];
    CHECK(third.rooms == 6);  // 301 302 303 304 1203, and the customer without a room
    CHECK(third.visited == 1);
    CHECK(third.visits == 1);
    CHECK(rows[6].rooms == 1);  // the same floor in another building is another floor
}

TEST_CASE("reports: receivables age from the due day, or from the order's day") {
    testing::TestStore t;
    auto rep = t.add_rep("zhang");
    auto place = [&](const char* name, const char* on, std::optional<const char*> due,
                     money::Cents amount, money::Cents prepaid) {
        t.store.write([&] {
            auto c = customers::add(t.session, {.name = name}, true);
            orders::NewOrder o{.customer_id = c.id, .day = day(on)};
            o.amount = amount;
            o.prepaid = prepaid;
            if (due) o.due = day(*due);
            orders::add(t.session, rep, o);
        });
    };
    place("a", "2026-08-01", "2026-08-27", 70000, 0);    // 91 days late
    place("b", "2026-08-01", "2026-08-28", 60000, 0);    // 90
    place("c", "2026-11-01", std::nullopt, 9000, 0);     // no due day: 25 since the order
    place("d", "2026-11-20", "2026-12-01", 5000, 0);     // not yet due
    place("e", "2026-11-20", "2026-12-01", 5000, 5000);  // paid
    auto r = reports::receivables_report(t.session, {.today = day("2026-11-26")});
    REQUIRE(r.orders.size() == 4);
    CHECK(r.orders[0].customer == "a");
    CHECK(r.orders[0].days == 91);
    CHECK(r.orders[1].days == 90);
    CHECK(r.orders[2].days == 25);
    CHECK(r.orders[3].days == -5);
    CHECK(r.totals[0] == 5000);
    CHECK(r.totals[1] == 9000);
    CHECK(r.totals[3] == 60000);
    CHECK(r.totals[4] == 70000);
    CHECK(r.total == 144000);
}

TEST_CASE("reports: the funnel counts a customer once, at its furthest stage") {
    testing::TestStore t;
    auto rep = t.add_rep("zhang");
    auto visit = [&](const char* customer, const char* outcome, const char* when) {
        t.store.write([&] {
            visits::NewVisit v{.customer = customer};
            v.fields.outcome = outcome;
            v.fields.at = text::parse_iso_instant(when, t.zone, "at");
            visits::add(t.session, rep, v);
        });
    };
    // Interest before contact (a call that went well, then a visit to the gatekeeper): the
    // contact stage is reached with the interest, on the same day.
    visit("x", "interest", "2026-11-02T10:00:00+08:00");
    visit("x", "contact", "2026-11-04T10:00:00+08:00");
    visit("y", "refused", "2026-11-03T10:00:00+08:00");
    auto stages = reports::funnel_report(t.session, {.today = day("2026-11-26")});
    REQUIRE(stages.size() == 5);
    CHECK(stages[0].reached == 2);
    CHECK(stages[1].reached == 1);
    CHECK(stages[2].reached == 1);
    CHECK(stages[2].median_days_from_previous == 0.0);
    CHECK(stages[0].stopped == 1);
    CHECK(stages[2].stopped == 1);
    CHECK(stages[1].conversion == 50.0);
    CHECK_FALSE(stages[4].conversion.has_value());  // nobody reached intent
}

TEST_CASE("reports: an order before the first visit counts from that visit") {
    testing::TestStore t;
    auto rep = t.add_rep("zhang");
    t.store.write([&] {
        auto c = customers::add(t.session, {.name = "z"}, true);
        orders::NewOrder o{.customer_id = c.id, .day = day("2026-11-01")};
        o.amount = 10000;
        orders::add(t.session, rep, o);
        visits::NewVisit v{.customer = "z"};
        v.fields.outcome = "contact";
        v.fields.at = text::parse_iso_instant("2026-11-05T10:00:00+08:00", t.zone, "at");
        visits::add(t.session, rep, v);
    });
    auto stages = reports::funnel_report(t.session, {.today = day("2026-11-26")});
    CHECK(stages[4].reached == 1);
    CHECK(stages[4].median_days_from_first_visit == 0.0);
    CHECK(stages[4].median_days_from_previous == 0.0);
    auto since =
        reports::funnel_report(t.session, {.since = day("2026-11-03"), .today = day("2026-11-26")});
    CHECK(since[0].reached == 1);  // first visited on the 5th, whatever the order's day
}
