#pragma once
// Placing an order: the order and the follow-up that collects its balance, in the caller's one
// write transaction.
#include "domain/orders.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

// Inside a write transaction: the order (orders::add) and, when a balance is left after the
// prepayment and the order has a due day, a collection follow-up by phone for the rep on that
// day, naming the order and its balance; and, unless input.after_sales_days is 0, an after-sales
// check by phone for the rep that many days after the order's day (did the goods arrive, how
// are they used).
orders::Order place_order(Session& s, const reps::Rep& rep, const orders::NewOrder& input);

}  // namespace fieldbook::workflows
