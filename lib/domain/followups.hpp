#pragma once
// Next steps owed to a prospect: a call, an email or a revisit on a due day.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/session.hpp"

namespace fieldbook::followups {

struct FollowupInput {
    std::int64_t customer_id = 0;
    std::int64_t rep_id = 0;
    text::Day due;
    std::string channel = "phone";
    std::string reason = "progress";
    std::optional<std::int64_t> origin_visit_id;
    std::optional<std::string> note;
};

// Inside a write transaction; returns the new follow-up's id.
std::int64_t add(Session& s, const FollowupInput& input);

// Drops the open follow-ups a visit scheduled (the visit was deleted as a mistake).
void drop_from_visit(Session& s, std::int64_t visit_id);

}  // namespace fieldbook::followups
