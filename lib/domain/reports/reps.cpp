#include "domain/reports/reps.hpp"

#include <functional>
#include <map>
#include <set>
#include <utility>

#include "domain/vocabulary.hpp"
#include "store/tx.hpp"

namespace fieldbook::reports {
namespace {

std::size_t outcome_index(const std::string& outcome) {
    for (std::size_t i = 0; i < vocab::outcomes.size(); ++i)
        if (vocab::outcomes[i] == outcome) return i;
    return 0;
}

}  // namespace

text::Day week_start(text::Day day) {
    unsigned from_monday = std::chrono::weekday{day}.iso_encoding() - 1;
    return day - std::chrono::days{from_monday};
}

std::vector<RepPeriod> rep_report(Session& s, const Scope& scope, Period by) {
    using Key = std::pair<std::string, std::string>;  // period start, rep handle
    std::map<Key, RepPeriod> rows;
    auto at = [&](const std::string& day, const std::string& rep) -> RepPeriod& {
        std::string start =
            by == Period::day ? day : text::format_day(week_start(text::parse_iso_day(day)));
        RepPeriod& row = rows[{start, rep}];
        row.start = start;
        row.rep = rep;
        return row;
    };
    store::Tx& tx = s.tx();
    auto run = [&](const std::string& select, const std::string& day_column,
                   const std::string& rep_column,
                   const std::function<void(const store::Row&)>& each) {
        Conditions where;
        where.period(day_column, scope);
        where.rep(rep_column, scope);
        tx.each(select + where.sql(), where.values(), each);
    };

    run("SELECT p.day, r.handle, p.visits FROM plan p JOIN rep r ON r.id = p.rep_id "
        "WHERE p.deleted_at IS NULL",
        "p.day", "p.rep_id", [&](const store::Row& q) {
            RepPeriod& row = at(q.text("day"), q.text("handle"));
            row.quota = row.quota.value_or(0) + q.integer("visits");
        });
    run("SELECT v.day, r.handle, v.outcome FROM visit v JOIN rep r ON r.id = v.rep_id "
        "WHERE v.deleted_at IS NULL",
        "v.day", "v.rep_id", [&](const store::Row& q) {
            RepPeriod& row = at(q.text("day"), q.text("handle"));
            ++row.visits;
            ++row.outcomes[outcome_index(q.text("outcome"))];
        });
    run("SELECT o.day, r.handle, o.amount_cents FROM orders o JOIN rep r ON r.id = o.rep_id "
        "WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL",
        "o.day", "o.rep_id", [&](const store::Row& q) {
            RepPeriod& row = at(q.text("day"), q.text("handle"));
            ++row.orders;
            row.revenue += q.integer("amount_cents");
        });
    // A customer is new to the rep who first visited it, on that day: the first of its
    // visits, whoever made the later ones and whatever the period.
    {
        std::optional<std::int64_t> previous;
        std::string since = scope.since ? text::format_day(*scope.since) : "";
        std::string until = scope.until ? text::format_day(*scope.until) : "";
        tx.each(
            "SELECT v.customer_id, v.day, r.id AS rep_id, r.handle FROM visit v "
            "JOIN rep r ON r.id = v.rep_id WHERE v.deleted_at IS NULL "
            "ORDER BY v.customer_id, v.at_utc, v.id",
            {}, [&](const store::Row& q) {
                std::int64_t customer = q.integer("customer_id");
                if (previous == customer) return;
                previous = customer;
                std::string day = q.text("day");
                if ((!since.empty() && day < since) || (!until.empty() && day > until)) return;
                if (scope.rep_id && *scope.rep_id != q.integer("rep_id")) return;
                ++at(day, q.text("handle")).new_customers;
            });
    }
    std::vector<RepPeriod> out;
    out.reserve(rows.size());
    for (auto& [key, row] : rows) {
        if (row.quota) row.quota_percent = percent(row.visits, *row.quota);
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace fieldbook::reports
