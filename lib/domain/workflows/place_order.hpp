#pragma once
// Placing an order: the order and the follow-up that collects its balance, in the caller's one
// write transaction.
#include "domain/orders.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

// Inside a write transaction: the order (orders::add) and, when a balance is left after the
// prepayment and the order has a due day, a collection follow-up by phone for the rep on that
// day, naming the order and its balance.
orders::Order place_order(Session& s, const reps::Rep& rep, const orders::NewOrder& input);

}  // namespace fieldbook::workflows
