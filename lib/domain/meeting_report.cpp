#include "domain/meeting_report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "domain/vocabulary.hpp"
#include "store/tx.hpp"

namespace fieldbook::meeting_report {
namespace {

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

std::string weekday_of(text::Day day) {
    return kWeekdays[std::chrono::weekday{day}.c_encoding()];
}

void add_to(Money& m, const Money& more) {
    m.orders += more.orders;
    m.ordered += more.ordered;
    m.payments += more.payments;
    m.collected += more.collected;
    m.past_due += more.past_due;
    m.past_due_balance += more.past_due_balance;
    m.collection_calls += more.collection_calls;
}

// The day's money by rep handle, as it stood that evening: an order cancelled on a later day
// still counts on the days before (its refund is that later day's). What each query reads:
// - orders taken: the day's orders (orders_by_day);
// - payments received: the day's payments (payment_by_day), which may be on older orders. A
//   payment that names no rep (taken before payments did) counts for its order's;
// - past-due balances: every order not cancelled that was due before the day, with what was
//   paid by the end of the day, so an archived day reads as it was that evening. This reads the
//   orders due before the day (orders_by_due_day) and their payments (payment_by_order);
// - collection calls: the open collection follow-ups due after the day up to the next working
//   day (followup_by_state_due).
std::map<std::string, Money> money_by_rep(store::Tx& tx, const std::string& day,
                                          const std::string& next_day) {
    std::map<std::string, Money> out;
    tx.each(R"sql(
SELECT r.handle AS rep, COUNT(*) AS n, SUM(o.amount_cents) AS cents
FROM orders o JOIN rep r ON r.id = o.rep_id
WHERE o.day = ? AND o.deleted_at IS NULL AND (o.cancelled_day IS NULL OR o.cancelled_day > ?)
GROUP BY r.handle)sql",
            {day, day}, [&](const store::Row& row) {
                auto& m = out[row.text("rep")];
                m.orders = row.integer("n");
                m.ordered = row.integer("cents");
            });
    tx.each(R"sql(
SELECT r.handle AS rep, COUNT(*) AS n, SUM(p.amount_cents) AS cents
FROM payment p JOIN orders o ON o.id = p.order_id
JOIN rep r ON r.id = COALESCE(p.rep_id, o.rep_id)
WHERE p.day = ? AND p.deleted_at IS NULL AND o.deleted_at IS NULL
  AND (o.cancelled_day IS NULL OR o.cancelled_day > ?)
GROUP BY r.handle)sql",
            {day, day}, [&](const store::Row& row) {
                auto& m = out[row.text("rep")];
                m.payments = row.integer("n");
                m.collected = row.integer("cents");
            });
    tx.each(R"sql(
SELECT r.handle AS rep, o.amount_cents -
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL AND p.day <= ?) AS balance
FROM orders o JOIN rep r ON r.id = o.rep_id
WHERE o.deleted_at IS NULL AND (o.cancelled_day IS NULL OR o.cancelled_day > ?)
  AND o.due_day IS NOT NULL AND o.due_day < ? AND o.day <= ?)sql",
            {day, day, day, day}, [&](const store::Row& row) {
                auto balance = row.integer("balance");
                if (balance <= 0) return;
                auto& m = out[row.text("rep")];
                ++m.past_due;
                m.past_due_balance += balance;
            });
    tx.each(R"sql(
SELECT r.handle AS rep, COUNT(*) AS n
FROM followup f JOIN rep r ON r.id = f.rep_id
WHERE f.state = 'open' AND f.reason = 'collection' AND f.deleted_at IS NULL
  AND f.due_day > ? AND f.due_day <= ?
GROUP BY r.handle)sql",
            {day, next_day}, [&](const store::Row& row) {
                out[row.text("rep")].collection_calls = row.integer("n");
            });
    return out;
}

}  // namespace

Report build(Session& s, text::Day day, std::int64_t stale_days) {
    Report r{.zone = s.zone};
    r.day = text::format_day(day);
    r.weekday = weekday_of(day);
    auto meeting = meetings::get(s, day);
    r.kind = meeting.kind;
    r.status = meeting.status;
    r.stale_days = stale_days;

    auto quotas = meetings::plans(s, day);
    auto notes = meetings::notes(s, day);
    std::vector<visits::Visit> day_visits;
    visits::list(s, {.since = day, .until = day},
                 [&](const visits::Visit& v) { day_visits.push_back(v); });
    std::reverse(day_visits.begin(), day_visits.end());  // the day in the order it happened

    auto section = [&](const std::string& handle) -> RepSection& {
        for (auto& rep : r.reps)
            if (rep.rep == handle) return rep;
        RepSection fresh;
        fresh.rep = handle;
        if (auto found = reps::find(s, handle)) {
            fresh.name = found->name;
            fresh.role = found->role;
        }
        r.reps.push_back(fresh);
        return r.reps.back();
    };
    for (auto& p : quotas) {
        auto& rep = section(p.rep);
        rep.quota = p.visits;
        rep.goal = p.goal;
        r.total_quota += p.visits;
    }
    for (auto& v : day_visits) {
        auto& rep = section(v.rep);
        rep.visits.push_back(v);
        auto rank = static_cast<std::size_t>(vocab::outcome_rank(v.outcome));
        ++rep.outcomes[rank];
        ++r.total_outcomes[rank];
        ++r.total_visits;
        if (v.kind == "after-sales") continue;  // an order after-sales is not a new sale
        if (v.outcome == "intent" || v.outcome == "order") r.intents_and_orders.push_back(v);
    }
    for (auto& n : notes) {
        if (n.kind == "manager")
            r.manager_notes.push_back(n);
        else
            section(n.rep).notes.push_back(n);
    }
    // Through the session's Tx, not a read of its own: the report is also built inside the
    // write that closes a day (the demo's).
    s.tx().each(R"sql(
SELECT c.name FROM customer c
WHERE c.deleted_at IS NULL
  AND (SELECT MIN(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL) = ?
ORDER BY c.name_key)sql",
                {r.day},
                [&](const store::Row& row) { r.new_customers.push_back(row.text("name")); });

    text::Day next = meetings::next_working_day(day);
    r.next_day = text::format_day(next);
    r.next_weekday = weekday_of(next);

    // The day's orders, cancelled ones included: a visit whose order was written down and
    // later cancelled did have its order recorded.
    std::set<std::tuple<std::int64_t, std::string>> recorded;  // (customer id, rep handle)
    s.tx().each(R"sql(
SELECT o.id, o.customer_id, c.name AS customer, r.handle AS rep, o.amount_cents,
       o.cancelled_day,
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL AND p.day <= ?) AS paid_cents
FROM orders o JOIN customer c ON c.id = o.customer_id JOIN rep r ON r.id = o.rep_id
WHERE o.day = ? AND o.deleted_at IS NULL ORDER BY o.id)sql",
                {r.day, r.day}, [&](const store::Row& row) {
                    recorded.emplace(row.integer("customer_id"), row.text("rep"));
                    // As the day stood: cancelled that day, it is not the day's order.
                    if (!row.is_null("cancelled_day") && row.text("cancelled_day") <= r.day) return;
                    r.orders.push_back({.id = row.integer("id"),
                                        .customer = row.text("customer"),
                                        .rep = row.text("rep"),
                                        .amount = row.integer("amount_cents"),
                                        .paid = row.integer("paid_cents")});
                });
    for (auto& v : day_visits)
        if (v.outcome == "order" && v.kind != "after-sales" &&
            !recorded.contains({v.customer_id, v.rep}))
            r.orders_not_recorded.push_back(v);
    for (const auto& [handle, m] : money_by_rep(s.tx(), r.day, r.next_day)) {
        section(handle).money = m;
        add_to(r.total_money, m);
    }
    std::sort(r.reps.begin(), r.reps.end(),
              [](const RepSection& a, const RepSection& b) { return a.rep < b.rep; });
    followups::list(s, {.state = "open", .due_by = next, .today = next},
                    [&](const followups::Followup& f) {
                        // Overdue ones too, and through the weekend to the next working day.
                        r.due_next_day.push_back(f);
                    });
    r.stale = stale::find(s, day, stale_days, std::nullopt);
    r.next_plans = meetings::plans(s, next);
    return r;
}

bool nothing_recorded(const Report& report) {
    if (report.total_visits > 0 || !report.manager_notes.empty()) return false;
    return std::all_of(report.reps.begin(), report.reps.end(),
                       [](const RepSection& rep) { return rep.notes.empty(); });
}

}  // namespace fieldbook::meeting_report
