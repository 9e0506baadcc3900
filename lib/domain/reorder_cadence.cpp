#include "domain/reorder_cadence.hpp"

#include <algorithm>
#include <cmath>

namespace fieldbook::reorders {

std::optional<Cadence> cadence(std::vector<text::Day> days) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    if (days.size() < 2) return std::nullopt;
    std::vector<std::int64_t> intervals;
    for (std::size_t i = 1; i < days.size(); ++i)
        intervals.push_back((days[i] - days[i - 1]).count());
    std::sort(intervals.begin(), intervals.end());
    std::size_t middle = intervals.size() / 2;
    double median = intervals.size() % 2 == 1
                        ? static_cast<double>(intervals[middle])
                        : static_cast<double>(intervals[middle - 1] + intervals[middle]) / 2.0;
    Cadence c;
    c.order_days = static_cast<std::int64_t>(days.size());
    c.median_interval = median;
    c.last = days.back();
    // Medians are whole or halves: a half day is rounded up, so a reorder is not expected early.
    c.expected = c.last + std::chrono::days{static_cast<std::int64_t>(std::floor(median + 0.5))};
    return c;
}

}  // namespace fieldbook::reorders
