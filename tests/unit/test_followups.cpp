#include <doctest/doctest.h>

#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/stale.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/complete_followup.hpp"
#include "domain/workflows/log_visit.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/sqlite/connection.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}
Instant at(const char* iso) {
    return text::parse_iso_instant(iso, testing::shanghai(), "at");
}

struct Team : testing::TestStore {
    explicit Team(const char* now = "2026-11-28T10:00:00+08:00") : testing::TestStore(now) {
        rep = add_rep("zhangwei");
        other = add_rep("lina");
    }

    workflows::LoggedVisit log(const reps::Rep& who, const std::string& customer,
                               const std::string& outcome, const char* when,
                               std::optional<text::Day> next = {}, visits::VisitFields extra = {}) {
        workflows::VisitLog v{
            .visit = {.customer = customer, .allow_duplicate = true, .fields = extra},
            .next = next};
        v.visit.fields.outcome = outcome;
        v.visit.fields.at = at(when);
        return store.write([&] { return workflows::log_visit(session, who, v); });
    }

    std::vector<followups::Followup> due(text::Day on, std::optional<std::int64_t> rep_id) {
        std::vector<followups::Followup> out;
        followups::list(session, {.rep_id = rep_id, .state = "open", .due_by = on, .today = on},
                        [&](const followups::Followup& f) { out.push_back(f); });
        return out;
    }

    std::int64_t visits_count() {
        return fieldbook::store::database(store)
            .execAndGet("SELECT COUNT(*) FROM visit WHERE deleted_at IS NULL")
            .getInt64();
    }

    reps::Rep rep, other;
};

}  // namespace

TEST_CASE("followups: due and overdue across a month boundary") {
    Team t;
    t.log(t.rep, "蓝海数据", "contact", "2026-11-28T10:00:00+08:00", day("2026-12-03"));
    t.log(t.rep, "星河咨询", "interest", "2026-11-27T10:00:00+08:00", day("2026-11-29"));
    t.log(t.other, "云栈网络", "contact", "2026-11-27T11:00:00+08:00", day("2026-11-30"));

    CHECK(t.due(day("2026-11-28"), t.rep.id).empty());
    auto on_30 = t.due(day("2026-11-30"), t.rep.id);
    REQUIRE(on_30.size() == 1);
    CHECK(on_30[0].customer == "星河咨询");
    CHECK(on_30[0].days_overdue == 1);
    CHECK(on_30[0].last_outcome == std::optional<std::string>("interest"));

    auto on_dec_5 = t.due(day("2026-12-05"), t.rep.id);
    REQUIRE(on_dec_5.size() == 2);
    CHECK(on_dec_5[0].customer == "星河咨询");  // most overdue first
    CHECK(on_dec_5[0].days_overdue == 6);
    CHECK(on_dec_5[1].customer == "蓝海数据");
    CHECK(on_dec_5[1].days_overdue == 2);
    CHECK(t.due(day("2026-12-05"), std::nullopt).size() == 3);  // a manager's --all
}

TEST_CASE("followups: the local day counts where it differs from the UTC day") {
    // 2026-11-30T17:30Z is already 01:30 on December 1st in Chengdu.
    Team t("2026-11-30T17:30:00Z");
    CHECK(text::format_day(t.session.today()) == "2026-12-01");
    auto v = t.log(t.rep, "蓝海数据", "contact", "2026-11-30T17:00:00Z", day("2026-12-01"));
    CHECK(v.visit.day == "2026-12-01");
    auto due = t.due(t.session.today(), t.rep.id);
    REQUIRE(due.size() == 1);
    CHECK(due[0].days_overdue == 0);
    // A follow-up cannot be due before the (local) day of the visit that set it.
    CHECK_THROWS_AS(t.log(t.rep, "星河咨询", "contact", "2026-11-30T17:00:00Z", day("2026-11-30")),
                    UsageError);
}

TEST_CASE("followups: done logs exactly one visit of the channel and schedules the next") {
    Team t;
    t.log(t.rep, "蓝海数据", "contact", "2026-11-25T10:00:00+08:00", day("2026-11-27"),
          {.contact = "王芳", .contact_role = "inside", .phone = "13800001234"});
    auto f = t.due(day("2026-11-28"), t.rep.id).at(0);
    CHECK(f.contact == std::optional<std::string>("王芳"));
    CHECK(f.contact_phone == std::optional<std::string>("13800001234"));
    auto before = t.visits_count();
    auto done = t.store.write([&] {
        return workflows::complete_followup(
            t.session, t.rep, f,
            {.outcome = "interest", .result = "要A4纸报价", .next = day("2026-12-05")});
    });
    CHECK(t.visits_count() == before + 1);
    auto visit = visits::get(t.session, done.visit_id).value();
    CHECK(visit.kind == "phone");
    CHECK(visit.outcome == "interest");
    CHECK(visit.note == std::optional<std::string>("要A4纸报价"));
    CHECK(visit.customer == "蓝海数据");
    auto closed = followups::get(t.session, f.id, day("2026-11-28")).value();
    CHECK(closed.state == "done");
    CHECK(closed.closed_visit_id == done.visit_id);
    REQUIRE(done.next_followup_id);
    auto next = followups::get(t.session, *done.next_followup_id, day("2026-11-28")).value();
    CHECK(next.due_day == "2026-12-05");
    CHECK(next.channel == "phone");
    CHECK(customers::find_by_name(t.session, "蓝海数据")->status == "interested");
    // Done twice is refused, and writes nothing.
    CHECK_THROWS_AS(t.store.write([&] {
        return workflows::complete_followup(t.session, t.rep, closed, {.outcome = "contact"});
    }),
                    UsageError);
    CHECK(t.visits_count() == before + 1);
}

TEST_CASE("followups: stale prospects, cheapest channel, and what is not stale") {
    Team t;  // today 2026-11-28
    t.log(t.rep, "老客户甲", "contact", "2026-11-18T10:00:00+08:00", {},
          {.contact = "王芳", .contact_role = "gatekeeper", .phone = "13800001234"});
    t.log(t.rep, "老客户乙", "interest", "2026-11-19T10:00:00+08:00", {},
          {.contact = "李强", .contact_role = "inside", .email = "li@example.com"});
    t.log(t.rep, "老客户丙", "absent", "2026-11-20T10:00:00+08:00");
    // Improved recently: contact long ago, interest three days ago.
    t.log(t.rep, "进展中", "contact", "2026-11-10T10:00:00+08:00");
    t.log(t.rep, "进展中", "interest", "2026-11-25T10:00:00+08:00");
    // Has an open follow-up.
    t.log(t.rep, "已安排", "contact", "2026-11-10T10:00:00+08:00", day("2026-12-01"));
    // Refused at every door; and one behind a no-solicitation sign.
    t.log(t.rep, "拒绝了", "refused", "2026-11-10T10:00:00+08:00");
    auto sign = t.log(t.rep, "谢绝推销", "contact", "2026-11-10T10:00:00+08:00");
    t.store.write(
        [&] { customers::edit(t.session, sign.visit.customer_id, {.no_solicitation = true}); });
    // Another rep's.
    t.log(t.other, "别人的", "contact", "2026-11-10T10:00:00+08:00");

    auto found = stale::find(t.session, t.session.today(), 7, t.rep.id);
    REQUIRE(found.size() == 3);
    CHECK(found[0].customer == "老客户甲");
    CHECK(found[0].days == 10);
    CHECK(found[0].channel == "phone");
    CHECK(found[0].reach == std::optional<std::string>("13800001234"));
    CHECK(found[1].customer == "老客户乙");
    CHECK(found[1].channel == "email");
    CHECK(found[2].customer == "老客户丙");
    CHECK(found[2].channel == "visit");
    CHECK(stale::find(t.session, t.session.today(), 9, t.rep.id).size() == 2);
    CHECK(stale::find(t.session, t.session.today(), 7, std::nullopt).size() == 4);
}
