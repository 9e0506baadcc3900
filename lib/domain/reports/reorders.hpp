#pragma once
// Reorders to expect: for each customer and product ordered on two days or more, the median
// interval between its orders and the day the next one is due (reorder_cadence.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/session.hpp"
#include "text/dates.hpp"

namespace fieldbook::reports {

struct Reorder {
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> owner;  // the customer's owner (handle)
    std::string sku;
    std::string name;         // as on its latest order
    std::int64_t orders = 0;  // orders with the product (not cancelled)
    double median_interval = 0;
    std::string last_day;
    std::string expected_day;
    std::int64_t days_until = 0;  // from the day asked about; negative when overdue
};

struct ReorderFilter {
    std::optional<std::int64_t> owner_id;  // only the customers this rep owns; none: all
    // Only those expected on or before this many days after `today` (overdue ones included).
    std::optional<std::int64_t> within_days;
    text::Day today;
};

// Soonest expected first, then by customer and SKU. Reads only the chosen customers' orders
// and their lines (by the orders_by_customer and order_line_by_order indexes); cancelled orders
// do not count.
std::vector<Reorder> reorder_report(Session& s, const ReorderFilter& filter);

}  // namespace fieldbook::reports
