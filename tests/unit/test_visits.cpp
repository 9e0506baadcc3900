#include <doctest/doctest.h>

#include <set>

#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/complete_followup.hpp"
#include "domain/workflows/delete_visit.hpp"
#include "domain/workflows/log_visit.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/sqlite/connection.hpp"

using namespace fieldbook;

namespace {

struct Day1 : testing::TestStore {
    Day1() { rep = add_rep("zhangwei"); }

    workflows::LoggedVisit log(const std::string& customer, const std::string& outcome,
                               const std::string& note = {}, visits::NewVisit extra = {},
                               std::optional<text::Day> next = {}) {
        extra.customer = customer;
        extra.fields.outcome = outcome;
        if (!note.empty()) extra.fields.note = note;
        return store.write(
            [&] { return workflows::log_visit(session, rep, {.visit = extra, .next = next}); });
    }

    std::set<std::int64_t> search(const std::string& term) {
        std::set<std::int64_t> ids;
        visits::list(session, {.search = term}, [&](const visits::Visit& v) { ids.insert(v.id); });
        return ids;
    }

    std::int64_t customers_count() {
        return fieldbook::store::database(store)
            .execAndGet("SELECT COUNT(*) FROM customer")
            .getInt64();
    }

    reps::Rep rep;
};

}  // namespace

TEST_CASE("visits: an unknown customer is created on the spot with its place") {
    Day1 t;
    visits::NewVisit where{.building = "天府软件园B座", .floor = "12", .room = "1203"};
    where.fields.contact = "王芳";
    where.fields.contact_role = "gatekeeper";
    where.fields.card = true;
    auto added = t.log("蓝海数据科技有限公司", "contact", "留了目录", where);
    CHECK(added.customer_created);
    CHECK(added.visit.customer == "蓝海数据科技有限公司");
    CHECK(added.visit.building == std::optional<std::string>("天府软件园B座"));
    CHECK(added.visit.room == std::optional<std::string>("1203"));
    CHECK(added.visit.contact == std::optional<std::string>("王芳"));
    CHECK(added.visit.contact_role == std::optional<std::string>("gatekeeper"));
    CHECK(added.visit.card);
    CHECK(added.visit.kind == "initial");
    CHECK(added.visit.day == "2026-11-26");
    auto c = customers::get(t.session, added.visit.customer_id).value();
    CHECK(c.status == "contacted");
    CHECK(c.owner == std::optional<std::string>("zhangwei"));

    auto again = t.log("蓝海数据科技有限公司", "interest");
    CHECK_FALSE(again.customer_created);
    CHECK(again.visit.kind == "revisit");
    CHECK(customers::get(t.session, added.visit.customer_id)->status == "interested");
    // A later refusal does not undo progress.
    t.log("蓝海数据科技有限公司", "refused");
    CHECK(customers::get(t.session, added.visit.customer_id)->status == "interested");
}

TEST_CASE("visits: full-width and case variants find the same customer (NFKC + case-fold)") {
    Day1 t;
    auto first = t.log("Office伙伴", "contact");
    auto second = t.log("ＯＦＦＩＣＥ伙伴", "interest");
    auto third = t.log("  office伙伴 ", "intent");
    CHECK_FALSE(second.customer_created);
    CHECK_FALSE(third.customer_created);
    CHECK(second.visit.customer_id == first.visit.customer_id);
    CHECK(third.visit.customer_id == first.visit.customer_id);
    CHECK(t.customers_count() == 1);
}

TEST_CASE("visits: a likely duplicate customer is refused unless allowed") {
    Day1 t;
    t.log("蓝海科技有限公司", "contact", {},
          {.building = "天府软件园B座", .floor = "12", .room = "1203"});

    SUBCASE("a name that differs only in company form and spacing") {
        try {
            t.log("蓝海 科技", "contact");
            FAIL("created a near-duplicate");
        } catch (const UsageError& e) {
            CHECK(std::string(e.what()).find("蓝海科技有限公司") != std::string::npos);
            CHECK(e.hint().find("--new") != std::string::npos);
        }
        CHECK(t.customers_count() == 1);
        t.log("蓝海 科技", "contact", {}, {.allow_duplicate = true});
        CHECK(t.customers_count() == 2);
    }
    SUBCASE("a new name in a room that already holds a customer") {
        visits::NewVisit same_room{.building = "天府软件园Ｂ座", .floor = "12", .room = "1203"};
        try {
            t.log("星河咨询", "contact", {}, same_room);
            FAIL("created a second customer in one room");
        } catch (const UsageError& e) {
            CHECK(std::string(e.what()).find("room 1203") != std::string::npos);
        }
        CHECK(t.customers_count() == 1);
    }
    SUBCASE("one character off in a long name, but not in a short one") {
        t.log("成都蓝海数据科技有限公司", "contact", {}, {.allow_duplicate = true});
        CHECK_THROWS_AS(t.log("成都蓝海数椐科技", "contact"), UsageError);
        t.log("蓝天科技", "contact");  // four characters: a different company
        CHECK(t.customers_count() == 3);
    }
}

TEST_CASE("visits: search finds 1-, 2- and 3+-character terms literally") {
    Day1 t;
    auto paper = t.log("晨光文具客户部", "contact", "要了A4纸的报价");
    auto toner = t.log("蓝海数据", "interest", "问硒鼓型号，老客户介绍的");
    auto plain =
        t.log("ACME Trading Ltd", "refused", "100% no, said \"NOT interested\" OR later_maybe");

    CHECK(t.search("纸") == std::set<std::int64_t>{paper.visit.id});
    CHECK(t.search("客户") == std::set<std::int64_t>{paper.visit.id, toner.visit.id});
    CHECK(t.search("硒鼓型号") == std::set<std::int64_t>{toner.visit.id});
    CHECK(t.search("ＡＣＭＥ") == std::set<std::int64_t>{plain.visit.id});
    CHECK(t.search("acme trading") == std::set<std::int64_t>{plain.visit.id});
    // Query syntax is not interpreted: these are plain characters.
    CHECK(t.search("100%") == std::set<std::int64_t>{plain.visit.id});
    CHECK(t.search("\"not") == std::set<std::int64_t>{plain.visit.id});
    CHECK(t.search("OR later_") == std::set<std::int64_t>{plain.visit.id});
    CHECK(t.search("%").size() == 1);
    CHECK(t.search("_").size() == 1);
    CHECK(t.search("*").empty());
    CHECK(t.search("NEAR(").empty());
    CHECK(t.search("硒鼓 OR 纸").empty());
    // Renaming the customer re-indexes its visits.
    t.store.write(
        [&] { customers::edit(t.session, toner.visit.customer_id, {.name = "蔚蓝数据服务"}); });
    CHECK(t.search("蔚蓝").size() == 1);
    CHECK(t.search("蓝海").empty());
}

TEST_CASE("visits: delete is a tombstone, hidden from lists and search but kept") {
    Day1 t;
    auto a = t.log("蓝海数据", "contact", "留了目录");
    auto b = t.log("星河咨询", "refused", "前台拒绝", {}, std::nullopt);
    auto with_next = t.log("云栈网络", "interest", "报价", {}, text::parse_iso_day("2026-11-30"));
    REQUIRE(with_next.followup_id);
    t.store.write([&] { workflows::delete_visit(t.session, t.rep, a.visit.id); });
    t.store.write([&] { workflows::delete_visit(t.session, t.rep, with_next.visit.id); });
    std::vector<std::int64_t> listed;
    visits::list(t.session, {}, [&](const visits::Visit& v) { listed.push_back(v.id); });
    CHECK(listed == std::vector<std::int64_t>{b.visit.id});
    CHECK(t.search("目录").empty());
    CHECK_FALSE(visits::get(t.session, a.visit.id));
    CHECK_THROWS_AS(visits::require(t.session, std::to_string(a.visit.id)), NotFound);
    CHECK(fieldbook::store::database(t.store)
              .execAndGet("SELECT COUNT(*) FROM visit WHERE deleted_at IS NOT NULL")
              .getInt() == 2);
    CHECK(
        fieldbook::store::database(t.store).execAndGet("SELECT state FROM followup").getString() ==
        "dropped");
}

TEST_CASE("visits: edit changes only the given fields and re-indexes") {
    Day1 t;
    auto v = t.log("蓝海数据", "contact", "留了目录", {.fields = {.brands = "得力"}});
    auto edited = t.store.write([&] {
        return visits::edit(t.session, t.rep, v.visit.id,
                            {.outcome = "intent", .note = "要报价单"});
    });
    CHECK(edited.outcome == "intent");
    CHECK(edited.note == std::optional<std::string>("要报价单"));
    CHECK(edited.brands == std::optional<std::string>("得力"));
    CHECK(customers::get(t.session, v.visit.customer_id)->status == "negotiating");
    CHECK(t.search("报价单").size() == 1);
    CHECK(t.search("目录").empty());
}

TEST_CASE("visits: filters by day range, rep, outcome, newest first") {
    Day1 t;
    auto lina = t.add_rep("lina");
    auto at = [&](const char* when) { return text::parse_iso_instant(when, t.zone, "at"); };
    t.log("甲公司", "contact", {}, {.fields = {.at = at("2026-11-24T10:00:00+08:00")}});
    t.log("乙公司", "refused", {}, {.fields = {.at = at("2026-11-25T09:00:00+08:00")}});
    // 00:30 local on the 26th is still the 25th in UTC: the local day counts.
    t.log("丙公司", "interest", {}, {.fields = {.at = at("2026-11-26T00:30:00+08:00")}});
    t.store.write([&] {
        visits::NewVisit v{.customer = "丁公司"};
        v.fields.outcome = "order";
        return visits::add(t.session, lina, v);
    });
    auto ids = [&](visits::Filter f) {
        std::vector<std::string> names;
        visits::list(t.session, f, [&](const visits::Visit& v) { names.push_back(v.customer); });
        return names;
    };
    text::Day d25 = text::parse_iso_day("2026-11-25"), d26 = text::parse_iso_day("2026-11-26");
    CHECK(ids({.since = d26, .until = d26}) == std::vector<std::string>{"丁公司", "丙公司"});
    CHECK(ids({.since = d25, .until = d25}) == std::vector<std::string>{"乙公司"});
    CHECK(ids({.rep = "lina"}) == std::vector<std::string>{"丁公司"});
    CHECK(ids({.outcome = "refused"}) == std::vector<std::string>{"乙公司"});
    CHECK(ids({}) == std::vector<std::string>{"丁公司", "丙公司", "乙公司", "甲公司"});
    CHECK(ids({.limit = 1}) == std::vector<std::string>{"丁公司"});
    CHECK_THROWS_AS(ids({.rep = "nobody"}), UsageError);
}

TEST_CASE("visits: invalid input names its field and writes nothing") {
    Day1 t;
    auto expect = [&](visits::NewVisit v, const char* field) {
        try {
            t.store.write([&] { return visits::add(t.session, t.rep, v); });
            FAIL("accepted");
        } catch (const UsageError& e) {
            CHECK(std::string(e.what()).rfind(field, 0) == 0);
        }
        CHECK(t.customers_count() == 0);
    };
    expect({.customer = "甲", .fields = {.outcome = "maybe"}}, "outcome");
    expect({.customer = "甲", .fields = {.outcome = "contact", .note = "bad \xC3\x28 byte"}},
           "note");
    expect({.customer = "甲", .fields = {.outcome = "contact", .headcount = -3}}, "headcount");
    expect({.customer = "甲",
            .fields = {.contact = "王芳", .contact_role = "boss", .outcome = "contact"}},
           "role");
    // A role or a card needs a name or a number to belong to (an email alone is an unnamed
    // contact).
    expect({.customer = "甲", .fields = {.contact_role = "gatekeeper", .outcome = "contact"}},
           "contact");
    expect({.customer = "甲", .fields = {}}, "outcome");
}

TEST_CASE("visits: control characters are refused, and a deleted visit gives back its follow-up") {
    Day1 t;
    CHECK_THROWS_AS(t.log("甲公司", "contact", "hi\x1b[31mred"), UsageError);
    CHECK_NOTHROW(t.log("甲公司", "contact", "第一行\r\n第二行\t完"));
    auto first = t.log("乙公司", "interest", "", {}, text::parse_iso_day("2026-11-27"));
    REQUIRE(first.followup_id);
    auto f = followups::get(t.session, *first.followup_id, t.session.today()).value();
    auto done = t.store.write(
        [&] { return workflows::complete_followup(t.session, t.rep, f, {.outcome = "intent"}); });
    t.store.write([&] { workflows::delete_visit(t.session, t.rep, done.visit_id); });
    CHECK(followups::get(t.session, f.id, t.session.today())->state == "open");
}
