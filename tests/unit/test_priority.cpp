#include <doctest/doctest.h>

#include "domain/customers.hpp"
#include "domain/orders.hpp"
#include "domain/prospect_priority.hpp"
#include "domain/rep_fit.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/log_visit.hpp"
#include "fixture.hpp"

using namespace fieldbook;

namespace {

struct Team : testing::TestStore {
    std::int64_t customer(customers::CustomerFields fields) {
        return store.write([&] { return customers::add(session, fields, true).id; });
    }

    void visit(const reps::Rep& rep, std::int64_t customer_id, const char* outcome, const char* at,
               std::optional<std::string> contact = {}, std::optional<std::string> role = {},
               std::optional<text::Day> next = {}) {
        visits::NewVisit v;
        v.customer = std::to_string(customer_id);
        v.customer_id = customer_id;
        v.fields.outcome = outcome;
        v.fields.contact = std::move(contact);
        v.fields.contact_role = std::move(role);
        v.fields.at = text::parse_iso_instant(at, zone, "at");
        store.write([&] { workflows::log_visit(session, rep, {.visit = v, .next = next}); });
    }

    void order(const reps::Rep& rep, std::int64_t customer_id, money::Cents amount) {
        store.write([&] {
            orders::add(session, rep,
                        {.customer_id = customer_id,
                         .day = text::parse_iso_day("2026-11-24"),
                         .amount = amount});
        });
    }
};

const priority::Prospect& find(const std::vector<priority::Prospect>& ranked, std::int64_t id) {
    for (auto& p : ranked)
        if (p.customer_id == id) return p;
    FAIL("prospect not ranked");
    throw;
}

priority::Hundredths points(const priority::Prospect& p, const std::string& term) {
    for (auto& t : p.terms)
        if (t.name == term) return t.points;
    FAIL("no such term");
    return 0;
}

}  // namespace

TEST_CASE("priority: staff from an office size in square metres") {
    CHECK(priority::staff_from_office_size("约300平方米") == 30);
    CHECK(priority::staff_from_office_size("300㎡") == 30);
    CHECK(priority::staff_from_office_size("１２０ m2") == 12);
    CHECK(priority::staff_from_office_size("1,200 sqm") == 120);
    CHECK(priority::staff_from_office_size("3平米") == 1);
    CHECK(priority::staff_from_office_size("120.5平米") == 12);
    CHECK(priority::staff_from_office_size("300-400平米") == 40);
    CHECK(priority::staff_from_office_size("3楼300平米") == 30);
    CHECK_FALSE(priority::staff_from_office_size("大开间").has_value());
    CHECK_FALSE(priority::staff_from_office_size("300人").has_value());
    CHECK_FALSE(priority::staff_from_office_size("300").has_value());
    CHECK_FALSE(priority::staff_from_office_size("平米").has_value());
    CHECK_FALSE(priority::staff_from_office_size("1.2.3平米").has_value());
}

TEST_CASE("priority: each term is value times weight and the terms add up to the score") {
    Team t;
    auto zhang = t.add_rep("zhang");
    auto referred =
        t.customer({.name = "甲公司", .headcount = 45, .source = "referral", .owner = "zhang"});
    auto walk_in = t.customer({.name = "乙公司", .office_size = "约600平方米"});
    t.visit(zhang, referred, "interest", "2026-11-18T10:00:00+08:00", "李明", "purchaser");
    // The follow-up is set by the latest visit: an earlier one's would be closed by the next
    // visit, which answers it.
    t.visit(zhang, referred, "contact", "2026-11-19T10:00:00+08:00", std::nullopt, std::nullopt,
            text::parse_iso_day("2026-11-30"));

    auto ranked = priority::rank(t.session, PriorityWeights{});
    REQUIRE(ranked.size() == 2);
    const auto& p = find(ranked, referred);
    CHECK(points(p, "size") == 450);      // 4.5 tens of staff × 1
    CHECK(points(p, "stage") == 1000);    // interest = 2 × 5
    CHECK(points(p, "inside") == 800);    // a purchaser is known
    CHECK(points(p, "idle") == 350);      // 7 days since 11-19 × 0.5
    CHECK(points(p, "referral") == 600);  // × 6
    CHECK(points(p, "load") == -50);      // zhang has one open follow-up × -0.5
    priority::Hundredths sum = 0;
    for (auto& term : p.terms) sum += term.points;
    CHECK(sum == p.score);
    CHECK(p.score == 3150);
    CHECK(priority::format_points(p.score) == "31.50");
    CHECK(p.rank == 1);

    const auto& q = find(ranked, walk_in);
    CHECK(q.staff == 60);
    CHECK(points(q, "size") == 600);
    CHECK(points(q, "stage") == 0);
    CHECK(points(q, "idle") == 0);  // added today, never visited
    CHECK(points(q, "load") == 0);  // no owner
    CHECK(q.score == 600);
}

TEST_CASE("priority: weights come from the config, and a negative weight counts against") {
    Team t;
    auto big = t.customer({.name = "大公司", .headcount = 500});
    PriorityWeights weights;
    weights.size = -2.5;
    auto ranked = priority::rank(t.session, weights);
    REQUIRE(ranked.size() == 1);
    CHECK(points(ranked[0], "size") == -5000);  // capped at 200 staff: 20 × -2.5
    CHECK(ranked[0].customer_id == big);
}

TEST_CASE("priority: a prospect that only ever refused is a step below one never seen") {
    Team t;
    auto zhang = t.add_rep("zhang");
    auto refused = t.customer({.name = "拒绝公司"});
    auto absent = t.customer({.name = "不在公司"});
    t.visit(zhang, refused, "refused", "2026-11-26T09:00:00+08:00");
    t.visit(zhang, absent, "absent", "2026-11-26T09:00:00+08:00");
    auto ranked = priority::rank(t.session, PriorityWeights{});
    REQUIRE(ranked.size() == 2);
    CHECK(points(find(ranked, refused), "stage") == -500);
    CHECK(find(ranked, refused).stage == "refused");
    CHECK(points(find(ranked, absent), "stage") == 0);
    CHECK(find(ranked, absent).stage == "none");
    CHECK(ranked[0].customer_id == absent);
}

TEST_CASE("priority: only open prospects, ties by longest untouched then name") {
    Team t;
    auto zhang = t.add_rep("zhang");
    auto b = t.customer({.name = "B公司"});
    auto a = t.customer({.name = "A公司"});
    auto old = t.customer({.name = "C公司"});
    t.visit(zhang, old, "absent", "2026-11-16T10:00:00+08:00");
    t.customer({.name = "不要推销", .no_solicitation = true});
    t.customer({.name = "已流失", .status = "lost"});
    auto bought = t.customer({.name = "老客户"});
    t.order(zhang, bought, 10000);

    PriorityWeights only_names{};
    only_names.idle = 0;
    auto ranked = priority::rank(t.session, only_names);
    REQUIRE(ranked.size() == 3);
    CHECK(ranked[0].customer_id == old);  // same score, ten days untouched
    CHECK(ranked[1].customer_id == a);
    CHECK(ranked[2].customer_id == b);
}

TEST_CASE("rep fit: records per rep and industry, and suggestions by record then load") {
    Team t;
    auto wang = t.add_rep("wang");
    auto zhao = t.add_rep("zhao");
    t.add_rep("boss", "manager");
    t.add_rep("lead", "leader");
    auto at = "2026-11-20T10:00:00+08:00";
    std::vector<std::int64_t> schools;
    for (int i = 0; i < 4; ++i)
        schools.push_back(t.customer({.name = "学校" + std::to_string(i), .industry = "教育"}));
    // wang: three schools visited, one won; zhao: three visited, two won.
    t.visit(wang, schools[0], "intent", at);
    t.visit(wang, schools[1], "refused", at);
    t.visit(wang, schools[2], "contact", at);
    t.order(wang, schools[0], 50000);
    t.visit(zhao, schools[1], "intent", at);
    t.visit(zhao, schools[2], "order", at);
    t.visit(zhao, schools[3], "absent", at);
    t.order(zhao, schools[1], 20000);
    t.order(zhao, schools[2], 30000);
    // A bank visited by wang only twice: below the sample size.
    auto bank = t.customer({.name = "银行一", .industry = "金融"});
    t.visit(wang, bank, "contact", at, {}, {}, text::parse_iso_day("2026-11-28"));

    auto all = repfit::records(t.session, std::nullopt, {});
    REQUIRE(all.size() == 3);  // the manager and the leader visited nobody
    CHECK(all[0].industry == "教育");
    CHECK(all[0].rep == "zhao");
    CHECK(all[0].customers == 3);
    CHECK(all[0].visits == 3);
    CHECK(all[0].contacts == 2);
    CHECK(all[0].intents == 2);
    CHECK(all[0].orders == 2);
    CHECK(all[0].won == 2);
    CHECK(all[0].revenue == 50000);
    CHECK(all[1].rep == "wang");
    CHECK(all[1].won == 1);
    CHECK(all[1].conversion.value() == doctest::Approx(100.0 / 3));
    CHECK(all[2].industry == "金融");

    auto only_banks = repfit::records(t.session, std::string("金融"), {});
    REQUIRE(only_banks.size() == 1);
    CHECK(only_banks[0].rep == "wang");

    // Another spelling of the same industry adds to the same record.
    auto wide = t.customer({.name = "学校宽", .industry = "ＥＤＵ"});
    auto narrow = t.customer({.name = "学校窄", .industry = "edu"});
    t.visit(zhao, wide, "order", at);
    t.visit(zhao, narrow, "refused", at);
    t.order(zhao, wide, 10000);
    auto edu = repfit::records(t.session, std::string("Edu"), {});
    REQUIRE(edu.size() == 1);
    CHECK(edu[0].industry == "edu");  // of the two spellings, the one that sorts first
    CHECK(edu[0].customers == 2);
    CHECK(edu[0].won == 1);
    CHECK(edu[0].conversion.value() == doctest::Approx(50.0));
    CHECK(edu[0].revenue == 10000);
    all = repfit::records(t.session, std::nullopt, {});
    REQUIRE(all.size() == 4);

    auto late = repfit::records(t.session, std::nullopt,
                                {.since = text::parse_iso_day("2026-11-25"), .until = {}});
    CHECK(late.empty());

    auto new_school = t.customer({.name = "新学校", .industry = "教育"});
    auto new_bank = t.customer({.name = "新银行", .industry = "金融"});
    auto unknown = t.customer({.name = "无行业"});
    auto suggestions = repfit::suggest(t.session, all, 3);
    auto suggested = [&](std::int64_t id) {
        for (auto& s : suggestions)
            if (s.customer_id == id) return s.rep.value_or("");
        return std::string("(none)");
    };
    CHECK(suggested(new_school) == "zhao");  // 2 of 3 beats 1 of 3
    // One bank visited is below the sample of three, so the lightest load decides: wang has
    // an open follow-up, and zhao has just been given the school: level, so handle order.
    CHECK(suggested(new_bank) == "wang");
    CHECK(suggested(unknown) == "zhao");  // wang now carries two
    CHECK(suggestions.size() == 3);       // visited customers have their visitor as owner
    for (auto& sug : suggestions) CHECK(sug.rep != "lead");  // leaders run the team
}
