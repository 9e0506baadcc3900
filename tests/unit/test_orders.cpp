#include <doctest/doctest.h>

#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/orders.hpp"
#include "domain/ranking.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/place_order.hpp"
#include "domain/workflows/take_payment.hpp"
#include "errors.hpp"
#include "fixture.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}

struct Shop : testing::TestStore {
    Shop() {
        rep = add_rep("zhang");
        catalog = catalog::parse({"cat.toml", R"(
[categories]
paper = "纸张"
[[product]]
sku = "P1"
name = "A4纸"
category = "paper"
price = "100.00"
tiers = [ { min = 10, discount = 5 }, { min = 50, price = "80.00" } ]
)"});
    }

    std::int64_t customer(const std::string& name) {
        return store.write([&] { return customers::add(session, {.name = name}, true).id; });
    }

    orders::Order order(std::int64_t customer_id, money::Cents amount,
                        std::optional<money::Cents> cost = {}, const char* on = "2026-11-20") {
        return store.write([&] {
            return orders::add(
                session, rep,
                {.customer_id = customer_id, .day = day(on), .amount = amount, .cost = cost});
        });
    }

    reps::Rep rep;
    catalog::Catalog catalog;
};

}  // namespace

TEST_CASE("orders: lines are priced at their tier, exactly") {
    Shop t;
    auto priced = [&](const char* items) {
        return orders::price(t.catalog, orders::parse_items(items));
    };
    CHECK(priced("p1:9").at(0).total == 90000);
    CHECK(priced("P1:10").at(0).unit_price == 9500);
    CHECK(priced("P1:10").at(0).total == 95000);
    CHECK(priced("Ｐ１:50").at(0).total == 400000);
    // One product named twice is one line, at the tier of the whole quantity.
    auto merged = priced("P1:40, p1:10");
    REQUIRE(merged.size() == 1);
    CHECK(merged[0].quantity == 50);
    CHECK(merged[0].unit_price == 8000);
    std::vector<orders::Line> lines = {priced("P1:9").at(0), priced("P1:10").at(0)};
    lines.push_back(priced("P1:50").at(0));
    auto id = t.customer("蓝海数据");
    auto o = t.store.write([&] {
        return orders::add(t.session, t.rep,
                           {.customer_id = id,
                            .day = day("2026-11-26"),
                            .lines = lines,
                            .prepaid = 100000,
                            .due = day("2026-12-26")});
    });
    CHECK(o.amount == 585000);
    CHECK(o.paid == 100000);
    CHECK(o.outstanding == 485000);
    CHECK(o.lines.size() == 3);
    CHECK(customers::get(t.session, id)->status == "customer");
    CHECK_THROWS_AS(orders::parse_items("P1"), UsageError);
    CHECK_THROWS_AS(orders::parse_items("P1:0"), UsageError);
    CHECK_THROWS_AS(orders::parse_items("P1:x"), UsageError);
    CHECK_THROWS_AS(orders::price(t.catalog, {{"NOPE", 1}}), UsageError);
    CHECK(orders::parse_amount("1,280.50", "--amount") == 128050);
    CHECK(orders::parse_amount("¥１２８０", "--amount") == 128000);
    CHECK_THROWS_AS(orders::parse_amount("12.345", "--amount"), UsageError);
    CHECK_THROWS_AS(orders::parse_amount("-5", "--amount"), UsageError);
}

TEST_CASE("orders: payments, overpaying, and the collection follow-up") {
    Shop t;
    auto id = t.customer("星河咨询");
    auto o = t.store.write([&] {
        return workflows::place_order(t.session, t.rep,
                                      {.customer_id = id,
                                       .day = day("2026-11-20"),
                                       .amount = 100000,
                                       .prepaid = 30000,
                                       .due = day("2026-11-25")});
    });
    auto collection = [&] {
        std::vector<followups::Followup> open;
        followups::list(t.session,
                        {.state = "open", .due_by = day("2026-11-26"), .today = day("2026-11-26")},
                        [&](const followups::Followup& f) { open.push_back(f); });
        return open;
    };
    auto due = collection();
    REQUIRE(due.size() == 1);
    CHECK(due[0].reason == "collection");
    CHECK(due[0].days_overdue == 1);
    CHECK_THROWS_AS(t.store.write([&] {
        return workflows::take_payment(t.session, t.rep, o.id, 70001, day("2026-11-26"),
                                       std::nullopt);
    }),
                    UsageError);
    auto part = t.store.write([&] {
        return workflows::take_payment(t.session, t.rep, o.id, 20000, day("2026-11-26"),
                                       std::nullopt);
    });
    CHECK(part.outstanding == 50000);
    CHECK(collection().size() == 1);
    auto rest = t.store.write([&] {
        return workflows::take_payment(t.session, t.rep, o.id, 50000, day("2026-11-26"),
                                       std::string("转账"));
    });
    CHECK(rest.outstanding == 0);
    CHECK(collection().empty());
    CHECK_THROWS_AS(t.store.write([&] {
        return orders::add(
            t.session, t.rep,
            {.customer_id = id, .day = day("2026-11-20"), .amount = 100, .prepaid = 101});
    }),
                    UsageError);
}

TEST_CASE("ranking: ABC classes on a hand-computed fixture, ties by name") {
    Shop t;
    // Revenues 500, 300, 100, 60, 40 (yuan): shares 50, 30, 10, 6, 4.
    t.order(t.customer("甲"), 50000);
    auto yi = t.customer("乙");
    t.order(yi, 20000);
    t.order(yi, 10000);  // two orders, 300 in all
    t.order(t.customer("丙"), 10000);
    t.order(t.customer("戊"), 4000);
    t.order(t.customer("丁"), 6000);
    auto p = ranking::customers(t.session, "revenue", std::nullopt, std::nullopt, {});
    REQUIRE(p.customers.size() == 5);
    CHECK(p.total == 100000);
    std::string names, classes;
    for (auto& r : p.customers) {
        names += r.customer;
        classes += r.abc;
    }
    CHECK(names == "甲乙丙丁戊");
    // 甲 starts at 0%, 乙 at 50% (A, and reaches 80%), 丙 at 80% (B), 丁 at 90% (B), 戊 at 96% (C).
    CHECK(classes == "AABBC");
    CHECK(p.customers[1].orders == 2);
    CHECK(p.customers[1].cumulative == doctest::Approx(80.0));
    CHECK(p.head == 2);
    CHECK(p.head_percent == doctest::Approx(40.0));

    // Profit ranks differently; ties go by name.
    Shop u;
    u.order(u.customer("b公司"), 10000, 5000);
    u.order(u.customer("a公司"), 8000, 3000);
    auto profit = ranking::customers(u.session, "profit", std::nullopt, std::nullopt, {});
    REQUIRE(profit.customers.size() == 2);
    CHECK(profit.customers[0].customer == "a公司");  // both 50.00: by name
    CHECK(profit.customers[0].value == 5000);

    Shop single;
    single.order(single.customer("独家"), 100);
    auto one = ranking::customers(single.session, "revenue", std::nullopt, std::nullopt, {});
    REQUIRE(one.customers.size() == 1);
    CHECK(one.customers[0].abc == 'A');
    CHECK(one.customers[0].share == doctest::Approx(100.0));
    CHECK_THROWS_AS(ranking::customers(single.session, "volume", {}, {}, {}), UsageError);
    CHECK(
        ranking::customers(single.session, "revenue", day("2026-11-21"), {}, {}).customers.empty());
}

TEST_CASE("orders: an order keeps a customer a customer when visits are corrected") {
    Shop t;
    auto id = t.customer("蓝海数据");
    t.order(id, 50000);
    auto v = t.store.write([&] {
        visits::NewVisit n{.customer = "蓝海数据"};
        n.fields.outcome = "order";
        return visits::add(t.session, t.rep, n);
    });
    t.store.write([&] { visits::remove(t.session, t.rep, v.visit.id); });
    CHECK(customers::get(t.session, id)->status == "customer");
    CHECK_THROWS_AS(orders::parse_items("P1:1000001"), UsageError);
}

TEST_CASE("orders: an amount is digits, one point and two decimals at most, commas every three") {
    for (const char* good :
         {"0.5", "100", "100.5", "100.50", "1,000", "12,345,678.90", "１００", "¥1,280", "rmb12"}) {
        CAPTURE(good);
        CHECK_NOTHROW(orders::parse_amount(good, "--amount"));
    }
    CHECK(orders::parse_amount("12,345,678.90", "--amount") == 1234567890);
    CHECK(orders::parse_amount("0.5", "--amount") == 50);
    for (const char* bad :
         {",100", ",",   "1,00,0", "10,00",          "1000,000", "1,,000", "1,000,",
          ".5",   "1.",  "1.2.3",  "1.234",          "-1",       "+1",     "1e9",
          "NaN",  "inf", "",       "99999999999999", "1 000",    "0x10",   "１,０００.００.０"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH_AS(orders::parse_amount(bad, "--amount"),
                             doctest::Contains("--amount: '"), UsageError);
    }
}
