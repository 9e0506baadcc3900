#pragma once
// Moving a visit logged against the wrong customer: the visit and the follow-ups it scheduled, in
// the caller's one write transaction.
#include <cstdint>

#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "domain/visits.hpp"

namespace fieldbook::workflows {

// Inside a write transaction, by `by` (the visit's rep, a manager or a leader): the visit goes to
// the customer (visits::move), and so do the follow-ups it scheduled, which are owed to the
// company actually visited.
visits::Visit move_visit(Session& s, const reps::Rep& by, std::int64_t visit_id,
                         std::int64_t customer_id);

}  // namespace fieldbook::workflows
