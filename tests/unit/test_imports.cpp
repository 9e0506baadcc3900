#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>

#include "domain/customers.hpp"
#include "domain/imports.hpp"
#include "domain/visits.hpp"
#include "fixture.hpp"
#include "store/sqlite/connection.hpp"

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
        return fieldbook::store::database(store)
            .execAndGet(std::string("SELECT COUNT(*) FROM ") + table)
            .getInt64();
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

TEST_CASE("import: two visits of one day in a file are two visits, once") {
    Team t;
    const char* file =
        "客户,日期,结果,备注\n甲公司,2026-11-20,contact,上午见到前台\n"
        "甲公司,2026-11-20,interest,下午电话，采购有兴趣\n";
    auto first = t.visits(file);
    REQUIRE(first.problems.empty());
    CHECK(first.added == 2);
    CHECK(first.present == 0);
    CHECK(t.count("visit") == 2);
    auto again = t.visits(file);
    REQUIRE(again.problems.empty());
    CHECK(again.added == 0);
    CHECK(again.present == 2);
    CHECK(t.count("visit") == 2);
}

TEST_CASE("import: rows of one file are never the same visit, the store's are") {
    Team t;
    const char* file =
        "customer,date,outcome,kind\n甲公司,2026-11-20 10:15,contact,phone\n"
        "甲公司,2026-11-20 10:15,contact,phone\n";
    auto first = t.visits(file);
    REQUIRE(first.problems.empty());
    CHECK(first.added == 2);
    // Another outcome, kind or note in the same minute is another visit.
    auto other = t.visits(
        "customer,date,outcome,kind,note\n甲公司,2026-11-20 10:15,interest,phone,\n"
        "甲公司,2026-11-20 10:15,contact,revisit,\n甲公司,2026-11-20 10:15,contact,phone,x\n"
        "甲公司,2026-11-20 10:15,contact,phone,\n");
    REQUIRE(other.problems.empty());
    CHECK(other.added == 3);
    CHECK(other.present == 1);
}

TEST_CASE("import: at_utc is the instant, and a date and time beside it must agree") {
    Team t;
    auto r = t.visits(
        "customer,day,time,outcome,at_utc\n"
        "甲公司,2026-11-20,09:30,contact,2026-11-20T01:30:37Z\n"
        "乙公司,,,contact,2026-11-21T02:00:00+08:00\n"
        "丁公司,2026/11/21,,contact,2026-11-20T18:00:00Z\n");
    REQUIRE(r.problems.empty());
    CHECK(r.added == 3);
    std::vector<std::string> at;
    visits::list(t.session, {}, [&](const visits::Visit& v) { at.push_back(v.at_utc); });
    std::sort(at.begin(), at.end());
    CHECK(at == std::vector<std::string>{"2026-11-20T01:30:37Z", "2026-11-20T18:00:00Z",
                                         "2026-11-20T18:00:00Z"});

    // 2026-11-20T18:00Z is already the 21st in the team's zone (Asia/Shanghai).
    auto contradicting = t.visits(
        "customer,day,time,outcome,at_utc\n"
        "戊公司,2026-11-20,,contact,2026-11-20T18:00:00Z\n"
        "戊公司,2026-11-20,23:59,contact,2026-11-20T01:30:37Z\n"
        "戊公司,2026-11-20 09:31,,contact,2026-11-20T01:30:37Z\n");
    REQUIRE(contradicting.problems.size() == 3);
    CHECK(contradicting.problems[0].line == 2);
    CHECK(contradicting.problems[0].message ==
          "date: '2026-11-20' contradicts at_utc 2026-11-20T18:00:00Z, which is 2026-11-21 02:00 "
          "here");
    CHECK(contradicting.problems[1].message ==
          "time: '23:59' contradicts at_utc 2026-11-20T01:30:37Z, which is 2026-11-20 09:30 here");
    CHECK(contradicting.problems[2].message ==
          "date: '2026-11-20 09:31' contradicts at_utc 2026-11-20T01:30:37Z, which is "
          "2026-11-20 09:30 here");
    CHECK(t.count("visit") == 3);

    auto bad = t.visits(
        "customer,outcome,at_utc\n丙公司,contact,2026-11-20 09:30\n"
        "丙公司,contact,0000-01-01T00:00:00Z\n丙公司,contact,2026-12-20T00:00:00Z\n");
    REQUIRE(bad.problems.size() == 3);
    CHECK(bad.problems[0].message ==
          "at_utc: cannot read '2026-11-20 09:30' as an instant (ISO 8601 with a zone: "
          "2026-11-26T01:30:00Z)");
    CHECK(bad.problems[1].message == "at_utc: 0000-01-01 is outside 2000-01-01 to 2099-12-31");
    CHECK(bad.problems[2].line == 4);
}

TEST_CASE("import: dates outside 2000 to 2099 are refused, as every date typed") {
    Team t;
    auto r = t.visits(
        "customer,date,outcome,next\n甲公司,0000-01-01,contact,\n"
        "乙公司,1999-12-31 10:00,contact,\n丙公司,2026-11-20,contact,0001-01-01\n"
        "丁公司,2000-01-01,contact,2100-01-01\n戊公司,2000-01-01,contact,2099-12-31\n");
    REQUIRE(r.problems.size() == 4);
    CHECK(r.problems[0].line == 2);
    CHECK(r.problems[0].message == "date: 0000-01-01 is outside 2000-01-01 to 2099-12-31");
    CHECK(r.problems[1].message == "date: 1999-12-31 is outside 2000-01-01 to 2099-12-31");
    CHECK(r.problems[2].message == "next: 0001-01-01 is outside 2000-01-01 to 2099-12-31");
    CHECK(r.problems[3].message == "next: 2100-01-01 is outside 2000-01-01 to 2099-12-31");
    CHECK(t.count("visit") == 0);
}

TEST_CASE("import: a file whose lines end in CR only is named as such") {
    Team t;
    auto r = t.customers("name,industry\r甲,贸易\r乙,\"a\rb\"\r");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].line == 1);
    CHECK(r.problems[0].message ==
          "the file's lines end in CR only (old Mac format); save it with LF or CRLF line "
          "endings");
    CHECK(t.count("customer") == 0);
    // A CR alone inside a quoted field of a CRLF or LF file is no such thing; it is refused
    // as in any text typed (it would move a terminal's cursor back over the line).
    auto cr = t.customers("name,notes\r\n甲,\"a\rb\"\r\n乙,\"a\r\nb\"\r\n");
    REQUIRE(cr.problems.size() == 1);
    CHECK(cr.problems[0].line == 2);
    CHECK(cr.problems[0].message ==
          "notes: character 2 is U+000D, a carriage return not followed by a line feed");
    auto crlf = t.customers("name,notes\r\n乙,\"a\r\nb\"\r\n");
    REQUIRE(crlf.problems.empty());
    CHECK(customers::find_by_name(t.session, "乙")->notes == "a\nb");
}

TEST_CASE("import: a name that is not UTF-8 is one problem, not also a missing name") {
    Team t;
    auto r = t.customers("name,industry\n\xff\xfe,贸易\n");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].message == "name: not valid UTF-8");
    auto v = t.visits("customer,date,outcome\n\xff,2026-11-20,\xfe\n");
    REQUIRE(v.problems.size() == 2);
    CHECK(v.problems[0].message == "customer: not valid UTF-8");
    CHECK(v.problems[1].message == "outcome: not valid UTF-8");
}

TEST_CASE("import: look-alikes are refused, or created when allowed") {
    Team t;
    t.store.write([&] {
        return customers::add(t.session, {.name = std::string("锦程贸易有限公司")}, false);
    });
    const char* file = "name\n锦程贸易\n锦程贸易有限公司\n";
    auto refused = t.customers(file);
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].line == 2);
    auto allowed =
        imports::run(t.session, imports::Kind::customers, file, {.allow_lookalikes = true});
    REQUIRE(allowed.problems.empty());
    CHECK(allowed.added == 1);
    CHECK(allowed.present == 1);

    const char* visit = "customer,date,outcome\n锦程贸易（成都）,2026-11-20,contact\n";
    REQUIRE(t.visits(visit).problems.size() == 1);
    auto visits = imports::run(t.session, imports::Kind::visits, visit,
                               {.allow_lookalikes = true, .default_rep = t.rep});
    REQUIRE(visits.problems.empty());
    CHECK(visits.customers_created == 1);
    CHECK(t.count("customer") == 3);
}

TEST_CASE("import: a look-alike is the first likely duplicate customer add would name") {
    Team t;
    const std::vector<std::string> known = {"成都蓝海数据科技有限公司", "锦程贸易有限公司",
                                            "红星商贸", "华西物业管理", "星河教育培训中心"};
    t.store.write([&] {
        for (const auto& name : known)
            customers::add(
                t.session,
                {.name = name,
                 .building = std::string("环球中心"),
                 .room = name == "红星商贸" ? std::optional<std::string>("301") : std::nullopt},
                false);
        return 0;
    });
    // Spacing and company form, one character off, part of a name, a name as part, the same
    // room, and names that look like nothing.
    const std::vector<std::string> rows = {
        "锦程 贸易",      "成都蓝天数据科技有限公司", "蓝海", "红星商贸分店",     "白云文具",
        "星河教育培训中", "华西物业管理（二期）",     "青松", "成都蓝海数据科技", "绿地"};
    std::string file = "name,building,room\n";
    for (const auto& name : rows) file += name + (name == "白云文具" ? ",环球中心,301\n" : ",,\n");
    auto r = t.customers(file);
    std::vector<std::string> expected;
    for (const auto& name : rows) {
        auto dups = customers::likely_duplicates(
            t.session, name,
            name == "白云文具" ? std::optional<std::string>("环球中心") : std::nullopt,
            std::nullopt, name == "白云文具" ? std::optional<std::string>("301") : std::nullopt);
        if (dups.empty()) continue;
        const auto& d = dups.front();
        expected.push_back(fmt::format("name: '{}' looks like existing customer #{} {} ({})", name,
                                       d.existing.id, d.existing.name, d.reason));
    }
    std::vector<std::string> got;
    for (const auto& p : r.problems) got.push_back(p.message);
    CHECK(expected.size() == 8);
    CHECK(got == expected);
}

TEST_CASE("import: every problem counts, the first 100 are kept") {
    Team t;
    std::string csv = "customer,date,outcome\n";
    for (int i = 0; i < 250; ++i) csv += fmt::format("公司{},2026-11-20,maybe\n", i);
    auto r = t.visits(csv);
    CHECK(r.problem_count == 250);
    REQUIRE(r.problems.size() == imports::kProblemsKept);
    CHECK(r.problems.front().line == 2);
    CHECK(r.problems.back().line == 101);
    CHECK(t.count("visit") == 0);
}

TEST_CASE("import: a referrer named before it is created is found once every row is in") {
    Team t;
    auto r = t.customers("name,referred_by\n阿里云代理商,新华书店\n新华书店,\n孤儿公司,无此公司\n");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].line == 4);
    CHECK(r.problems[0].message == "referred_by: no customer named '无此公司'");
    CHECK(t.count("customer") == 0);
    auto ok = t.customers("name,referred_by\n阿里云代理商,新华书店\n新华书店,\n");
    REQUIRE(ok.problems.empty());
    auto referred = customers::find_by_name(t.session, "阿里云代理商").value();
    CHECK(referred.referred_by == "新华书店");
    CHECK(referred.source == "referral");
}
