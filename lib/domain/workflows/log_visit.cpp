#include "domain/workflows/log_visit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/followups.hpp"
#include "errors.hpp"

namespace fieldbook::workflows {

WrittenVisit write_visit(Session& s, const reps::Rep& rep, const VisitLog& input) {
    WrittenVisit written{.visit = visits::write(s, rep, input.visit)};
    const visits::Written& added = written.visit;
    if (!input.next) return written;
    text::Day visited = text::parse_iso_day(added.day);
    if (*input.next < visited)
        throw UsageError(fmt::format("next: {} is before the visit ({})",
                                     text::format_day(*input.next), text::format_day(visited)));
    written.followup_id = followups::add(s, {.customer_id = added.customer_id,
                                             .rep_id = rep.id,
                                             .due = *input.next,
                                             .channel = input.next_channel,
                                             .origin_visit_id = added.id});
    return written;
}

namespace {

// Done the way `followup done` does it (workflows::complete_followup): checked, then closed
// with the visit that made the contact and a result from its outcome.
std::vector<ClosedFollowup> close_answered(Session& s, const reps::Rep& rep,
                                           const WrittenVisit& written, const std::string& at_utc,
                                           const std::string& result) {
    // A visit logged late (--at) answers only what was planned before it happened.
    auto planned_before = [&](std::int64_t followup_id) {
        return s.tx()
            .one(R"sql(
SELECT 1 AS yes FROM followup f LEFT JOIN visit o ON o.id = f.origin_visit_id
WHERE f.id = ? AND COALESCE(o.at_utc, f.created_at) <= ?)sql",
                 {followup_id, at_utc})
            .has_value();
    };
    std::vector<followups::Followup> answered;
    followups::list(s,
                    {.rep_id = rep.id,
                     .customer_id = written.visit.customer_id,
                     .state = "open",
                     .today = text::parse_iso_day(written.visit.day)},
                    [&](const followups::Followup& f) {
                        if (f.reason == "progress" && f.id != written.followup_id)
                            answered.push_back(f);
                    });
    std::vector<ClosedFollowup> closed;
    for (const auto& f : answered) {
        if (!planned_before(f.id)) continue;
        followups::check_completion(s, rep, f, false);
        followups::close(s, f.id, result, written.visit.id);
        closed.push_back({f.id, f.due_day});
    }
    std::sort(closed.begin(), closed.end(),
              [](const ClosedFollowup& a, const ClosedFollowup& b) { return a.id < b.id; });
    return closed;
}

}  // namespace

LoggedVisit log_visit(Session& s, const reps::Rep& rep, const VisitLog& input) {
    WrittenVisit written = write_visit(s, rep, input);
    // Read once the follow-up is written, so that the visit names its next step.
    LoggedVisit logged{.visit = visits::get(s, written.visit.id).value(),
                       .customer_created = written.visit.customer_created,
                       .followup_id = written.followup_id};
    // The result says what the contact came to: "interest (revisit)". A door where nobody was
    // met answers nothing: the follow-up stays for the next try.
    if (!input.keep_followups && logged.visit.outcome != "absent")
        logged.closed_followups =
            close_answered(s, rep, written, logged.visit.at_utc,
                           fmt::format("{} ({})", logged.visit.outcome, logged.visit.kind));
    return logged;
}

}  // namespace fieldbook::workflows
