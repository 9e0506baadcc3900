#pragma once
// Money still to collect: every order with a balance, aged by the days past its due day.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/money.hpp"
#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

// Aging buckets: not yet due, then 0–30, 31–60, 61–90 and over 90 days past due.
constexpr std::array<std::string_view, 5> kAgingBuckets = {"current", "0-30", "31-60", "61-90",
                                                           "90+"};

// The bucket (an index into kAgingBuckets) for a balance `days_past_due` days late; negative
// days are not yet due.
std::size_t aging_bucket(std::int64_t days_past_due);

struct Receivable {
    std::int64_t order_id = 0;
    std::string day;                 // the order's day
    std::optional<std::string> due;  // its due day, if one was agreed
    std::string customer;
    std::string rep;
    money::Cents amount = 0;
    money::Cents paid = 0;  // to the scope's today
    money::Cents outstanding = 0;
    // The latest payment on the order (by its day), if any: when the customer last paid.
    std::optional<std::string> last_paid_day;
    std::optional<money::Cents> last_paid;
    // Days since the due day, or since the order's day when none was agreed (such a balance is
    // owed from the day of the order); negative while not yet due.
    std::int64_t days = 0;
    std::size_t bucket = 0;
};

struct Receivables {
    std::vector<Receivable> orders;  // most days past due first, then by order id
    std::array<money::Cents, kAgingBuckets.size()> totals{};
    money::Cents total = 0;
};

// Orders placed in the period (by the scope's rep) with a balance left, aged on today; a
// cancelled order owes nothing and is left out.
Receivables receivables_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
