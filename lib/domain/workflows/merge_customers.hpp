#pragma once
// Merging a customer entered twice: everything the duplicate holds goes to the one kept, in the
// caller's one write transaction, so that one `undo` takes the whole merge back.
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/customers.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

struct Merged {
    std::int64_t from_id = 0;
    std::string from_name;
    customers::Customer into;  // as it is after the merge
    std::int64_t visits = 0;
    std::int64_t contacts = 0;  // moved, or folded into INTO's contact of the same name
    std::int64_t followups = 0;
    std::int64_t orders = 0;
    std::int64_t unmet_needs = 0;
    std::int64_t referrals = 0;  // customers FROM had referred, now INTO's referrals
    bool brief = false;          // FROM's negotiation brief moved, or filled INTO's gaps
};

// Inside a write transaction, by `by`: FROM's visits, contacts (one of the same name as INTO's
// is folded into it), follow-ups, orders, unmet needs and referrals go to INTO; its negotiation
// brief too when INTO has none, else it fills the brief's empty fields; INTO's empty facts
// (location, industry, headcount, brands, usage, notes, owner, who referred it) are filled from
// FROM's and its status is the further of the two. FROM is then tombstoned, naming INTO
// (merged_into), so that its old id and name find INTO (customers::resolve).
//
// FROM must name a live customer (the old name of one merged already is refused); INTO names a
// customer as resolve does, so a merged one's old name means the customer it went into. Merging
// a customer into itself is refused. Both customers must be `by`'s to change (their owner, a
// manager or a leader; one nobody owns, anyone); the records that move with them are judged as
// part of the customers, whoever logged them.
Merged merge_customers(Session& s, const reps::Rep& by, std::string_view from,
                       std::string_view into);

}  // namespace fieldbook::workflows
