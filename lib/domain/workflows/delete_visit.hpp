#pragma once
// Deleting a visit logged by mistake: the visit and the follow-ups it scheduled or closed, in the
// caller's one write transaction.
#include <cstdint>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

// Inside a write transaction, by `by` (the visit's rep, a manager or a leader): the visit is
// hidden (visits::remove), the open follow-ups it scheduled are dropped, and those it closed are
// owed again.
void delete_visit(Session& s, const reps::Rep& by, std::int64_t visit_id);

}  // namespace fieldbook::workflows
