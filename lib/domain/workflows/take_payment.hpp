#pragma once
// Taking a payment: the payment and what it does to the order's collection follow-ups, in the
// caller's one write transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/money.hpp"
#include "domain/orders.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

// Inside a write transaction, by `by` (the order's rep, a manager or a leader): the payment
// (orders::pay, which refuses more than is outstanding); the last one closes the order's open
// follow-ups as paid on `day`, an earlier one has its collection reminders name the balance left.
orders::Order take_payment(Session& s, const reps::Rep& by, std::int64_t order_id,
                           money::Cents amount, text::Day day,
                           const std::optional<std::string>& note);

}  // namespace fieldbook::workflows
