#include "domain/workflows/log_visit.hpp"

#include <fmt/format.h>

#include "domain/followups.hpp"
#include "errors.hpp"

namespace fieldbook::workflows {

LoggedVisit log_visit(Session& s, const reps::Rep& rep, const VisitLog& input) {
    auto added = visits::add(s, rep, input.visit);
    LoggedVisit logged{.visit = added.visit, .customer_created = added.customer_created};
    if (!input.next) return logged;
    text::Day visited = text::parse_iso_day(added.visit.day);
    if (*input.next < visited)
        throw UsageError(fmt::format("next: {} is before the visit ({})",
                                     text::format_day(*input.next), text::format_day(visited)));
    logged.followup_id = followups::add(s, {.customer_id = added.visit.customer_id,
                                            .rep_id = rep.id,
                                            .due = *input.next,
                                            .channel = input.next_channel,
                                            .origin_visit_id = added.visit.id});
    logged.visit = visits::get(s, added.visit.id).value();
    return logged;
}

}  // namespace fieldbook::workflows
