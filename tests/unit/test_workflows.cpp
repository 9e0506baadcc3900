// The workflows of domain/workflows/: what each writes across records, and that they run inside
// the caller's one transaction, so that a later step failing takes back the earlier ones.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/orders.hpp"
#include "domain/visits.hpp"
#include "domain/workflows/complete_followup.hpp"
#include "domain/workflows/delete_visit.hpp"
#include "domain/workflows/log_visit.hpp"
#include "domain/workflows/place_order.hpp"
#include "domain/workflows/take_payment.hpp"
#include "errors.hpp"
#include "fixture.hpp"
#include "store/sqlite/connection.hpp"

using namespace fieldbook;

namespace {

text::Day day(const char* iso) {
    return text::parse_iso_day(iso);
}

struct Desk : testing::TestStore {  // today 2026-11-26
    Desk() {
        rep = add_rep("zhang");
        manager = add_rep("wang", "manager");
    }

    std::int64_t count(const std::string& sql) {
        return fieldbook::store::database(store).execAndGet(sql).getInt64();
    }
    std::int64_t visits() { return count("SELECT COUNT(*) FROM visit WHERE deleted_at IS NULL"); }
    std::int64_t followups() { return count("SELECT COUNT(*) FROM followup"); }

    // Makes the next write of `what` (e.g. "INSERT ON followup") fail inside SQLite, as a full
    // disk or a lost lock would: the step that writes it fails after the steps before it wrote.
    void fail_next(const std::string& what) {
        fieldbook::store::database(store).exec(
            "CREATE TEMP TRIGGER refuse BEFORE " + what +
            " BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
    }
    void stop_failing() { fieldbook::store::database(store).exec("DROP TRIGGER temp.refuse"); }

    workflows::LoggedVisit log(const std::string& customer, std::optional<text::Day> next,
                               const std::string& channel = "phone") {
        workflows::VisitLog input{.visit = {.customer = customer, .allow_duplicate = true},
                                  .next = next,
                                  .next_channel = channel};
        input.visit.fields.outcome = "interest";
        return store.write([&] { return workflows::log_visit(session, rep, input); });
    }

    orders::Order place(std::int64_t customer_id, money::Cents amount, money::Cents prepaid,
                        std::optional<text::Day> due) {
        return store.write([&] {
            return workflows::place_order(session, rep,
                                          {.customer_id = customer_id,
                                           .day = day("2026-11-20"),
                                           .amount = amount,
                                           .prepaid = prepaid,
                                           .due = due});
        });
    }

    followups::Followup followup(std::int64_t id) {
        return followups::get(session, id, session.today()).value();
    }

    reps::Rep rep, manager;
};

}  // namespace

TEST_CASE("workflow log_visit: the visit and the follow-up it schedules") {
    Desk t;
    auto logged = t.log("蓝海数据", day("2026-11-30"), "email");
    CHECK(logged.customer_created);
    CHECK(t.visits() == 1);
    REQUIRE(logged.followup_id);
    auto f = t.followup(*logged.followup_id);
    CHECK(f.customer_id == logged.visit.customer_id);
    CHECK(f.rep == "zhang");
    CHECK(f.due_day == "2026-11-30");
    CHECK(f.channel == "email");
    CHECK(f.reason == "progress");
    CHECK(f.state == "open");
    CHECK(t.count("SELECT origin_visit_id FROM followup") == logged.visit.id);
    // The visit returned is read after its follow-up, so it names its next step.
    CHECK(logged.visit.next_due == std::optional<std::string>("2026-11-30"));
    CHECK(logged.visit.next_channel == std::optional<std::string>("email"));

    auto alone = t.log("星河咨询", std::nullopt);
    CHECK_FALSE(alone.followup_id);
    CHECK_FALSE(alone.visit.next_due);
    CHECK(t.followups() == 1);
}

TEST_CASE("workflow log_visit: a failed follow-up takes back the visit and its new customer") {
    Desk t;
    auto customers = t.count("SELECT COUNT(*) FROM customer");
    // The follow-up is the second step: a channel it refuses fails it after the visit is written.
    CHECK_THROWS_AS(t.log("蓝海数据", day("2026-11-30"), "fax"), UsageError);
    CHECK(t.visits() == 0);
    CHECK(t.count("SELECT COUNT(*) FROM customer") == customers);
    CHECK(t.count("SELECT COUNT(*) FROM visit_search") == 0);
    // A next day before the visit is refused too, as late, with the same effect.
    CHECK_THROWS_AS(t.log("蓝海数据", day("2026-11-25")), UsageError);
    // So is a store failing under the follow-up's insert.
    t.fail_next("INSERT ON followup");
    CHECK_THROWS(t.log("蓝海数据", day("2026-11-30")));
    t.stop_failing();
    CHECK(t.visits() == 0);
    CHECK(t.followups() == 0);
    CHECK(t.count("SELECT COUNT(*) FROM customer") == customers);
}

TEST_CASE("workflow complete_followup: the contact as a visit, the follow-up closed, the next") {
    Desk t;
    auto first = t.log("蓝海数据", day("2026-11-26"));
    auto f = t.followup(*first.followup_id);
    // A manager makes the call; the next follow-up stays with its rep.
    auto done = t.store.write([&] {
        return workflows::complete_followup(
            t.session, t.manager, f,
            {.outcome = "intent", .result = "约了下周谈", .next = day("2026-12-01")});
    });
    CHECK(t.visits() == 2);
    auto visit = visits::get(t.session, done.visit_id).value();
    CHECK(visit.kind == "phone");
    CHECK(visit.rep == "wang");
    CHECK(visit.note == std::optional<std::string>("约了下周谈"));
    auto closed = t.followup(f.id);
    CHECK(closed.state == "done");
    CHECK(closed.result == std::optional<std::string>("约了下周谈"));
    CHECK(closed.closed_visit_id == done.visit_id);
    REQUIRE(done.next_followup_id);
    auto next = t.followup(*done.next_followup_id);
    CHECK(next.rep == "zhang");
    CHECK(next.due_day == "2026-12-01");
    CHECK(next.reason == "progress");
    CHECK(next.state == "open");
}

TEST_CASE("workflow complete_followup: a failed later step takes back the visit") {
    Desk t;
    auto first = t.log("蓝海数据", day("2026-11-26"));
    auto f = t.followup(*first.followup_id);
    auto followups = t.followups();
    // The next day is checked after the visit is written: refused, the visit goes too.
    CHECK_THROWS_AS(t.store.write([&] {
        return workflows::complete_followup(t.session, t.rep, f,
                                            {.outcome = "contact", .next = day("2026-11-20")});
    }),
                    UsageError);
    // Closing the follow-up is the last step; failing there takes back the visit and the next.
    t.fail_next("UPDATE ON followup");
    CHECK_THROWS(t.store.write([&] {
        return workflows::complete_followup(t.session, t.rep, f,
                                            {.outcome = "contact", .next = day("2026-12-01")});
    }));
    t.stop_failing();
    CHECK(t.visits() == 1);
    CHECK(t.followups() == followups);
    CHECK(t.followup(f.id).state == "open");
}

TEST_CASE("workflow place_order: the order and the follow-up collecting its balance") {
    Desk t;
    auto id =
        t.store.write([&] { return customers::add(t.session, {.name = "星河咨询"}, true).id; });
    auto order = t.place(id, 100000, 30000, day("2026-12-10"));
    CHECK(order.outstanding == 70000);
    CHECK(customers::get(t.session, id)->status == "customer");
    std::vector<followups::Followup> open;
    followups::list(t.session, {.state = "open", .today = t.session.today()},
                    [&](const followups::Followup& f) { open.push_back(f); });
    REQUIRE(open.size() == 1);
    CHECK(open[0].reason == "collection");
    CHECK(open[0].channel == "phone");
    CHECK(open[0].rep == "zhang");
    CHECK(open[0].due_day == "2026-12-10");
    CHECK(open[0].note ==
          std::optional<std::string>(fmt::format("收款：订单 #{} 余额 700.00", order.id)));
    CHECK(t.count("SELECT order_id FROM followup") == order.id);
    // Nothing to collect: paid in advance, or no due day to collect on.
    t.place(id, 50000, 50000, day("2026-12-10"));
    t.place(id, 50000, 0, std::nullopt);
    CHECK(t.followups() == 1);
    CHECK(t.count("SELECT COUNT(*) FROM orders") == 3);
}

TEST_CASE("workflow place_order: a failed collection follow-up takes back the order") {
    Desk t;
    auto id =
        t.store.write([&] { return customers::add(t.session, {.name = "星河咨询"}, true).id; });
    t.fail_next("INSERT ON followup");
    CHECK_THROWS(t.place(id, 100000, 30000, day("2026-12-10")));
    t.stop_failing();
    CHECK(t.count("SELECT COUNT(*) FROM orders") == 0);
    CHECK(t.count("SELECT COUNT(*) FROM order_line") == 0);
    CHECK(t.count("SELECT COUNT(*) FROM payment") == 0);
    CHECK(customers::get(t.session, id)->status == "prospect");
}

TEST_CASE("workflow take_payment: a part renotes the reminder, the last closes it") {
    Desk t;
    auto id =
        t.store.write([&] { return customers::add(t.session, {.name = "星河咨询"}, true).id; });
    auto order = t.place(id, 100000, 0, day("2026-12-10"));
    auto pay = [&](money::Cents amount) {
        return t.store.write([&] {
            return workflows::take_payment(t.session, t.rep, order.id, amount, day("2026-11-26"),
                                           std::nullopt);
        });
    };
    auto note = [&] {
        return fieldbook::store::database(t.store)
            .execAndGet("SELECT note FROM followup")
            .getString();
    };
    CHECK(pay(40000).outstanding == 60000);
    CHECK(t.count("SELECT COUNT(*) FROM followup WHERE state = 'open'") == 1);
    CHECK(note() == fmt::format("收款：订单 #{} 余额 600.00", order.id));
    CHECK(pay(60000).outstanding == 0);
    CHECK(t.count("SELECT COUNT(*) FROM followup WHERE state = 'open'") == 0);
    CHECK(
        fieldbook::store::database(t.store).execAndGet("SELECT result FROM followup").getString() ==
        "已于 2026-11-26 收清");
}

TEST_CASE("workflow take_payment: a failed follow-up update takes back the payment") {
    Desk t;
    auto id =
        t.store.write([&] { return customers::add(t.session, {.name = "星河咨询"}, true).id; });
    auto order = t.place(id, 100000, 0, day("2026-12-10"));
    t.fail_next("UPDATE ON followup");
    CHECK_THROWS(t.store.write([&] {
        return workflows::take_payment(t.session, t.rep, order.id, 100000, day("2026-11-26"),
                                       std::nullopt);
    }));
    t.stop_failing();
    CHECK(t.count("SELECT COUNT(*) FROM payment") == 0);
    CHECK(t.count("SELECT COUNT(*) FROM followup WHERE state = 'open'") == 1);
}

TEST_CASE("workflow delete_visit: drops what the visit scheduled, reopens what it closed") {
    Desk t;
    auto first = t.log("蓝海数据", day("2026-11-26"));
    auto f = t.followup(*first.followup_id);
    auto done = t.store.write([&] {
        return workflows::complete_followup(t.session, t.rep, f,
                                            {.outcome = "contact", .next = day("2026-12-01")});
    });
    t.store.write([&] { workflows::delete_visit(t.session, t.rep, done.visit_id); });
    CHECK_FALSE(visits::get(t.session, done.visit_id));
    CHECK(t.followup(*done.next_followup_id).state == "dropped");
    auto reopened = t.followup(f.id);
    CHECK(reopened.state == "open");
    CHECK_FALSE(reopened.result);
    CHECK_FALSE(reopened.closed_visit_id);
}

TEST_CASE("workflow delete_visit: a failed follow-up update keeps the visit") {
    Desk t;
    auto logged = t.log("蓝海数据", day("2026-11-30"));
    t.fail_next("UPDATE ON followup");
    CHECK_THROWS(
        t.store.write([&] { workflows::delete_visit(t.session, t.rep, logged.visit.id); }));
    t.stop_failing();
    CHECK(visits::get(t.session, logged.visit.id));
    CHECK(t.followup(*logged.followup_id).state == "open");
}

namespace {

struct Op {
    std::string table, kind;
    nlohmann::json old_values, new_values;
};

// The operations logged after operation `after`, of one table, in order.
std::vector<Op> ops(testing::TestStore& t, std::int64_t after, const std::string& table) {
    std::vector<Op> out;
    t.store.read([&](store::Tx& tx) {
        tx.each(
            "SELECT record_table, kind, old_values, new_values FROM op_log "
            "WHERE id > ? AND record_table = ? ORDER BY id",
            {after, table}, [&](const store::Row& r) {
                out.push_back({r.text("record_table"), r.text("kind"),
                               nlohmann::json::parse(r.text("old_values")),
                               nlohmann::json::parse(r.text("new_values"))});
            });
    });
    return out;
}

std::int64_t last_op(Desk& t) {
    return t.count("SELECT COALESCE(MAX(id), 0) FROM op_log");
}

}  // namespace

TEST_CASE("workflows: every record they change is logged, with its new values") {
    Desk t;
    t.session.author = {.command_uuid = "0193a1b2-0000-7000-8000-0000000000aa",
                        .actor = "zhang",
                        .argv = {"fieldbook", "visit", "add"}};
    const std::string now = "2026-11-26T02:00:00Z";

    // visit add: the visit, and the customer's status it moves.
    const auto first = last_op(t);
    auto mark = first;
    auto logged = t.log("蓝海数据", std::nullopt);
    auto v = logged.visit;
    auto visit_ops = ops(t, mark, "visit");
    REQUIRE(visit_ops.size() == 1);
    CHECK(visit_ops[0].kind == "insert");
    CHECK(visit_ops[0].old_values == nlohmann::json::object());
    CHECK(visit_ops[0].new_values["rep_id"] == t.rep.id);
    CHECK(visit_ops[0].new_values["customer_id"] == v.customer_id);
    CHECK(visit_ops[0].new_values["kind"] == "initial");
    CHECK(visit_ops[0].new_values["outcome"] == "interest");
    CHECK(visit_ops[0].new_values["at_utc"] == now);
    CHECK(visit_ops[0].new_values["day"] == "2026-11-26");
    CHECK(visit_ops[0].new_values["note"].is_null());
    auto customer_ops = ops(t, mark, "customer");
    REQUIRE_FALSE(customer_ops.empty());
    CHECK(customer_ops.back().kind == "update");
    CHECK(customer_ops.back().new_values["status"] == "interested");

    // visit edit: only the fields that change, old and new.
    mark = last_op(t);
    t.store.write([&] {
        visits::VisitFields changes;
        changes.outcome = "contact";
        changes.note = "约了下周";
        changes.headcount = 40;  // the customer's too
        visits::edit(t.session, t.rep, v.id, changes);
    });
    visit_ops = ops(t, mark, "visit");
    REQUIRE(visit_ops.size() == 1);
    CHECK(visit_ops[0].kind == "update");
    CHECK(visit_ops[0].old_values ==
          nlohmann::json{{"outcome", "interest"}, {"headcount", nullptr}, {"note", nullptr}});
    CHECK(visit_ops[0].new_values ==
          nlohmann::json{{"outcome", "contact"}, {"headcount", 40}, {"note", "约了下周"}});
    customer_ops = ops(t, mark, "customer");
    REQUIRE(customer_ops.size() == 2);  // what was seen, then the status the outcome gave back
    CHECK(customer_ops[0].new_values == nlohmann::json{{"headcount", 40}});
    CHECK(customer_ops[1].old_values == nlohmann::json{{"status", "interested"}});
    CHECK(customer_ops[1].new_values == nlohmann::json{{"status", "contacted"}});

    // followup done: the contact as a visit, and the follow-up closed by it.
    auto scheduled = t.log("蓝海数据", day("2026-11-26"));
    REQUIRE(scheduled.followup_id);
    mark = last_op(t);
    auto done = t.store.write([&] {
        return workflows::complete_followup(t.session, t.rep, t.followup(*scheduled.followup_id),
                                            {.outcome = "intent", .result = "约了下周谈"});
    });
    visit_ops = ops(t, mark, "visit");
    REQUIRE(visit_ops.size() == 1);
    CHECK(visit_ops[0].kind == "insert");
    CHECK(visit_ops[0].new_values["kind"] == "phone");
    CHECK(visit_ops[0].new_values["note"] == "约了下周谈");
    auto followup_ops = ops(t, mark, "followup");
    REQUIRE(followup_ops.size() == 1);
    CHECK(followup_ops[0].kind == "update");
    CHECK(followup_ops[0].old_values ==
          nlohmann::json{{"state", "open"}, {"result", nullptr}, {"closed_visit_id", nullptr}});
    CHECK(followup_ops[0].new_values == nlohmann::json{{"state", "done"},
                                                       {"result", "约了下周谈"},
                                                       {"closed_visit_id", done.visit_id}});

    // order: the order, its prepayment, the collection follow-up, the customer a customer.
    mark = last_op(t);
    auto order = t.place(v.customer_id, 100000, 30000, day("2026-12-10"));
    auto order_ops = ops(t, mark, "orders");
    REQUIRE(order_ops.size() == 1);
    CHECK(order_ops[0].kind == "insert");
    CHECK(order_ops[0].new_values == nlohmann::json{{"customer_id", v.customer_id},
                                                    {"rep_id", t.rep.id},
                                                    {"day", "2026-11-20"},
                                                    {"amount_cents", 100000},
                                                    {"due_day", "2026-12-10"}});
    auto payment_ops = ops(t, mark, "payment");
    REQUIRE(payment_ops.size() == 1);
    CHECK(payment_ops[0].new_values == nlohmann::json{{"order_id", order.id},
                                                      {"day", "2026-11-20"},
                                                      {"amount_cents", 30000},
                                                      {"note", "预付"},
                                                      {"rep_id", t.rep.id}});
    followup_ops = ops(t, mark, "followup");
    REQUIRE(followup_ops.size() == 1);
    CHECK(followup_ops[0].kind == "insert");
    CHECK(followup_ops[0].new_values["reason"] == "collection");
    CHECK(followup_ops[0].new_values["order_id"] == order.id);
    customer_ops = ops(t, mark, "customer");
    REQUIRE(customer_ops.size() == 1);
    CHECK(customer_ops[0].new_values == nlohmann::json{{"status", "customer"}});

    // payment: the payment, and the collection it ends.
    mark = last_op(t);
    t.store.write([&] {
        return workflows::take_payment(t.session, t.rep, order.id, 70000, day("2026-11-26"),
                                       std::nullopt);
    });
    payment_ops = ops(t, mark, "payment");
    REQUIRE(payment_ops.size() == 1);
    CHECK(payment_ops[0].kind == "insert");
    CHECK(payment_ops[0].new_values == nlohmann::json{{"order_id", order.id},
                                                      {"day", "2026-11-26"},
                                                      {"amount_cents", 70000},
                                                      {"rep_id", t.rep.id}});
    followup_ops = ops(t, mark, "followup");
    REQUIRE(followup_ops.size() == 1);
    CHECK(followup_ops[0].new_values ==
          nlohmann::json{{"state", "done"}, {"result", "已于 2026-11-26 收清"}});

    // visit delete: a tombstone, and the follow-up it scheduled dropped.
    auto another = t.log("星河咨询", day("2026-11-30"));
    mark = last_op(t);
    t.store.write([&] { workflows::delete_visit(t.session, t.rep, another.visit.id); });
    visit_ops = ops(t, mark, "visit");
    REQUIRE(visit_ops.size() == 1);
    CHECK(visit_ops[0].kind == "tombstone");
    CHECK(visit_ops[0].old_values == nlohmann::json{{"deleted_at", nullptr}});
    CHECK(visit_ops[0].new_values == nlohmann::json{{"deleted_at", now}});
    followup_ops = ops(t, mark, "followup");
    REQUIRE(followup_ops.size() == 1);
    CHECK(followup_ops[0].new_values == nlohmann::json{{"state", "dropped"}});

    // All of it under the command that made it.
    CHECK(t.count("SELECT COUNT(*) FROM op_log o JOIN command c ON c.id = o.command_id "
                  "WHERE o.id > " +
                  std::to_string(first) +
                  " AND (c.actor <> 'zhang' OR "
                  "c.command_uuid <> '0193a1b2-0000-7000-8000-0000000000aa')") == 0);
    CHECK(last_op(t) > first);
}
