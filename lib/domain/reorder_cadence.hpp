#pragma once
// When a customer will want a product again, read from the days it ordered it before: the
// median of the intervals between consecutive orders, counted from the last one.
#include <cstdint>
#include <optional>
#include <vector>

#include "text/dates.hpp"

namespace fieldbook::reorders {

struct Cadence {
    std::int64_t order_days = 0;  // distinct days it was ordered on
    // The median of the days between consecutive order days (the mean of the middle two for
    // an even count): the median, not the mean, so that one long gap (a holiday, a stockpile)
    // does not move the expectation much.
    double median_interval = 0;
    text::Day last;      // the latest order day
    text::Day expected;  // last + the median, rounded half up to a whole day
};

// The cadence of these order days (any order, repeats allowed: several orders on one day are
// one day); none unless there are at least two distinct days.
std::optional<Cadence> cadence(std::vector<text::Day> days);

}  // namespace fieldbook::reorders
