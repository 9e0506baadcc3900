#pragma once
// Each rep's days (or weeks): visits against the quota set in the meeting, how the doors went,
// new customers, orders and revenue.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

enum class Period { day, week };

struct RepPeriod {
    std::string start;                  // the day, or the Monday of the week
    std::string rep;                    // handle
    std::optional<std::int64_t> quota;  // none when no plan was set
    std::int64_t visits = 0;
    std::optional<double> quota_percent;  // visits as a percentage of the quota
    // By outcome, in the order refused, absent, contact, interest, intent, order.
    std::array<std::int64_t, 6> outcomes{};
    std::int64_t new_customers = 0;  // customers whose first visit ever was this rep's, here
    std::int64_t orders = 0;
    money::Cents revenue = 0;
};

// Rows with a quota, a visit or an order, by period, then rep handle.
std::vector<RepPeriod> rep_report(Session& s, const Scope& scope, Period by);

// The Monday that starts the ISO week of `day`.
text::Day week_start(text::Day day);

}  // namespace fieldbook::reports
