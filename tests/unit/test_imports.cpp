#include <doctest/doctest.h>

#include "domain/customers.hpp"
#include "domain/imports.hpp"
#include "domain/visits.hpp"
#include "fixture.hpp"

using namespace fieldbook;

namespace {

struct Team : testing::TestStore {
    explicit Team(const char* now = "2026-11-26T10:00:00+08:00") : TestStore(now) {
        rep = add_rep("zhangwei");
    }

    imports::Result visits(std::string_view csv, bool dry_run = false) {
        return imports::run(session, imports::Kind::visits, csv,
                            {.dry_run = dry_run, .default_rep = rep});
    }
    imports::Result customers(std::string_view csv, bool dry_run = false) {
        return imports::run(session, imports::Kind::customers, csv, {.dry_run = dry_run});
    }
    std::int64_t count(const char* table) {
        return store.db().execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt64();
    }

    reps::Rep rep;
};

}  // namespace

TEST_CASE("import: a visit row goes the way of visit add") {
    Team t;
    auto r = t.visits(
        "customer,date,outcome,next,note\n蓝海科技,2026-11-25 09:30,意向,2026-12-01,"
        "要报价\n");
    REQUIRE(r.problems.empty());
    CHECK(r.added == 1);
    CHECK(r.customers_created == 1);
    auto c = customers::find_by_name(t.session, "蓝海科技").value();
    CHECK(c.status == "negotiating");
    CHECK(c.owner == "zhangwei");
    CHECK(t.count("followup") == 1);
    std::vector<visits::Visit> found;
    visits::list(t.session, {.search = "报价"},
                 [&](const visits::Visit& v) { found.push_back(v); });
    REQUIRE(found.size() == 1);
    CHECK(found[0].at_utc == "2026-11-25T01:30:00Z");
    CHECK(found[0].kind == "initial");
}

TEST_CASE("import: one problem keeps every row out, and a dry run keeps all out") {
    Team t;
    auto bad = t.customers("name,headcount\n甲,1\n乙,2\n\"丙\n公司\",x\n丁,4\n");
    REQUIRE(bad.problems.size() == 1);
    CHECK(bad.problems[0].line == 4);
    CHECK(bad.problems[0].message == "headcount: 'x' is not a whole number");
    CHECK(t.count("customer") == 0);

    auto dry = t.customers("name\n甲\n乙\n", true);
    CHECK(dry.problems.empty());
    CHECK(dry.added == 2);
    CHECK(t.count("customer") == 0);

    auto real = t.customers("name\n甲\n乙\n");
    CHECK(real.added == 2);
    CHECK(t.count("customer") == 2);
    auto again = t.customers("name\n甲\n乙\n");
    CHECK(again.added == 0);
    CHECK(again.present == 2);
}

TEST_CASE("import: a visit is the same visit to the minute") {
    Team t("2026-11-26T10:00:37+08:00");
    t.store.write([&] {
        visits::NewVisit v;
        v.customer = "红星商贸";
        v.fields.outcome = "contact";
        return visits::add(t.session, t.rep, v);
    });
    auto r = t.visits(
        "customer,day,time,outcome\n红星商贸,2026-11-26,10:00,contact\n"
        "红星商贸,2026-11-26,10:01,contact\n");
    REQUIRE(r.problems.empty());
    CHECK(r.present == 1);
    CHECK(r.added == 1);
}
