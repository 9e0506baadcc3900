#include "domain/workflows/complete_followup.hpp"

#include <fmt/format.h>

#include "domain/visits.hpp"
#include "errors.hpp"

namespace fieldbook::workflows {
namespace {

std::string visit_kind_for(std::string_view channel) {
    if (channel == "phone") return "phone";
    if (channel == "email") return "email";
    return "revisit";
}

}  // namespace

Completed complete_followup(Session& s, const reps::Rep& actor, const followups::Followup& followup,
                            const Completion& input) {
    auto owed = followups::check_completion(s, actor, followup, input.next.has_value());
    visits::NewVisit visit{.customer_id = followup.customer_id};
    visit.fields.outcome = input.outcome;
    visit.fields.kind = visit_kind_for(followup.channel);
    visit.fields.contact = followup.contact;
    visit.fields.note = input.result;
    visit.fields.at = input.at;
    auto added = visits::write(s, actor, visit);
    std::optional<std::int64_t> next_id;
    if (input.next) {
        if (*input.next < text::local_day(input.at.value_or(s.clock.now()), s.zone))
            throw UsageError(fmt::format("next: {} is before the contact was made",
                                         text::format_day(*input.next)));
        // The follow-up stays with its rep, whoever made this call.
        next_id = followups::add(
            s, {.customer_id = followup.customer_id,
                .rep_id = reps::require(s, followup.rep, "rep").id,
                .due = *input.next,
                .channel = input.next_channel.value_or(followup.channel),
                .reason = followup.reason,
                .origin_visit_id = added.id,
                .note = owed ? std::optional(followups::collection_note(*owed)) : std::nullopt,
                .order_id = owed ? std::optional(owed->order_id) : std::nullopt});
    }
    followups::close(s, followup.id, input.result, added.id);
    return {added.id, next_id};
}

}  // namespace fieldbook::workflows
