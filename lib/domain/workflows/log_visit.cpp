#include "domain/workflows/log_visit.hpp"

#include <fmt/format.h>

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

LoggedVisit log_visit(Session& s, const reps::Rep& rep, const VisitLog& input) {
    WrittenVisit written = write_visit(s, rep, input);
    // Read once the follow-up is written, so that the visit names its next step.
    return {.visit = visits::get(s, written.visit.id).value(),
            .customer_created = written.visit.customer_created,
            .followup_id = written.followup_id};
}

}  // namespace fieldbook::workflows
