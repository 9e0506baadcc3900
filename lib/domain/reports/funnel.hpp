#pragma once
// The sales funnel: how far the customers first visited in the period got (contact → interest →
// intent → order), how many made each step, and how long the steps took.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct FunnelStage {
    std::string stage;                 // visited, contact, interest, intent, order
    std::int64_t reached = 0;          // customers that got this far or further
    std::int64_t stopped = 0;          // customers whose furthest stage is this one
    std::optional<double> conversion;  // percent of the stage before that reached this one
    std::optional<double> of_visited;  // percent of all visited customers
    // Medians over the customers that reached the stage; none for `visited` or nobody.
    std::optional<double> median_days_from_first_visit;
    std::optional<double> median_days_from_previous;
};

// A customer's stage is the best outcome of its visits, or `order` once it has an order; the
// day it reached a stage is the first day of a visit (or order) at that stage or beyond. The
// customers counted are those whose first visit falls in the period; what they reached counts
// up to the period's end (or today). With a rep, only that rep's visits and orders count.
std::vector<FunnelStage> funnel_report(Session& s, const Scope& scope);

// The middle value, or the mean of the two middle values; none for no values.
std::optional<double> median(std::vector<std::int64_t> values);

}  // namespace fieldbook::reports
