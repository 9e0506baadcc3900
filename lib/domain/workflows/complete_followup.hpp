#pragma once
// Completing a follow-up: the contact made is logged as a visit, the follow-up is closed by it
// and the next one is scheduled, in the caller's one write transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/followups.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::workflows {

struct Completion {
    std::string outcome;
    std::optional<std::string> result;
    std::optional<Instant> at;
    std::optional<text::Day> next;
    std::optional<std::string> next_channel;  // default: the same channel
};

struct Completed {
    std::int64_t visit_id = 0;
    std::optional<std::int64_t> next_followup_id;
};

// Inside a write transaction, by `actor` (the follow-up's rep, a manager or a leader): logs the
// contact as one visit of the follow-up's channel, closes the follow-up with its result, and
// schedules the next one when asked; the next stays with the follow-up's rep, keeps its reason
// and, for a collection, its order. A collection whose order still owes money cannot end without
// a next reminder (followups::check_completion).
Completed complete_followup(Session& s, const reps::Rep& actor, const followups::Followup& followup,
                            const Completion& input);

}  // namespace fieldbook::workflows
