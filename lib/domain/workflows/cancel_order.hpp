#pragma once
// Cancelling an order: the order and the follow-ups it no longer needs, in the caller's one
// write transaction.
#include <cstdint>
#include <string>

#include "domain/orders.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

struct Cancelled {
    orders::Order order;
    std::int64_t followups_dropped = 0;
};

// Inside a write transaction, by `by` (the order's rep, a manager or a leader): the order is
// cancelled on `day` (orders::cancel, which refuses while money is paid on it unless `refund`),
// and its open follow-ups (collecting a balance no longer owed, an after-sales check of goods
// not delivered) are dropped, naming the cancellation.
Cancelled cancel_order(Session& s, const reps::Rep& by, std::int64_t order_id,
                       const std::string& reason, text::Day day, bool refund);

}  // namespace fieldbook::workflows
