#include <nlohmann/json.hpp>

#include "domain/vocabulary.hpp"
#include "render/meeting_summary.hpp"
#include "render/meeting_summary_parts.hpp"

namespace fieldbook::render {
namespace {

using meeting_report::Report;
// Keys in the order they are set: the order the report has always been written in.
using Json = nlohmann::ordered_json;

Json optional(const std::optional<std::string>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json optional(const std::optional<std::int64_t>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json outcomes(const std::array<std::int64_t, 6>& counts) {
    Json out = Json::object();
    for (std::size_t i = 0; i < counts.size(); ++i)
        out[std::string(vocab::outcomes[i])] = counts[i];
    return out;
}

Json money(const meeting_report::Money& m) {
    return {{"orders", m.orders},
            {"ordered_cents", m.ordered},
            {"payments", m.payments},
            {"collected_cents", m.collected},
            {"past_due", m.past_due},
            {"past_due_cents", m.past_due_balance},
            {"collection_calls", m.collection_calls}};
}

Json visit(const visits::Visit& v, const text::TimeZone& zone) {
    return {{"id", v.id},
            {"time", meeting_parts::visit_row(v, zone)[0].value_or("")},
            {"customer", v.customer},
            {"building", optional(v.building)},
            {"floor", optional(v.floor)},
            {"room", optional(v.room)},
            {"contact", optional(v.contact)},
            {"contact_role", optional(v.contact_role)},
            {"office_size", optional(v.office_size)},
            {"headcount", optional(v.headcount)},
            {"brands", optional(v.brands)},
            {"usage", optional(v.usage)},
            {"outcome", v.outcome},
            {"next_due", optional(v.next_due)},
            {"next_channel", optional(v.next_channel)},
            {"note", optional(v.note)},
            {"went_well", optional(v.went_well)},
            {"improve", optional(v.improve)},
            {"tool_feedback", optional(v.tool_feedback)},
            {"script", optional(v.script)}};
}

Json rep_section(const meeting_report::RepSection& rep, const text::TimeZone& zone) {
    Json visits = Json::array();
    for (const auto& v : rep.visits) visits.push_back(visit(v, zone));
    Json by_kind[3] = {Json::array(), Json::array(), Json::array()};
    for (const auto& n : rep.notes) {
        std::size_t k = n.kind == "self-review" ? 0 : n.kind == "tool-feedback" ? 1 : 2;
        by_kind[k].push_back(n.text);
    }
    return {{"rep", rep.rep},
            {"name", rep.name},
            {"quota", optional(rep.quota)},
            {"goal", optional(rep.goal)},
            {"done", rep.visits.size()},
            {"outcomes", outcomes(rep.outcomes)},
            {"visits", std::move(visits)},
            {"self_review", std::move(by_kind[0])},
            {"tool_feedback", std::move(by_kind[1])},
            {"ideas", std::move(by_kind[2])},
            {"money", money(rep.money)}};
}

}  // namespace

std::string meeting_summary_json(const Report& r) {
    Json doc = Json::object();
    doc["day"] = r.day;
    doc["weekday"] = r.weekday;
    doc["kind"] = r.kind;
    doc["status"] = r.status;
    doc["manager_notes"] = Json::array();
    for (const auto& n : r.manager_notes)
        doc["manager_notes"].push_back({{"about", n.rep}, {"author", n.author}, {"text", n.text}});
    doc["reps"] = Json::array();
    for (const auto& rep : r.reps) doc["reps"].push_back(rep_section(rep, r.zone));
    doc["totals"] = {{"visits", r.total_visits},
                     {"quota", r.total_quota},
                     {"outcomes", outcomes(r.total_outcomes)},
                     {"money", money(r.total_money)}};
    doc["orders"] = Json::array();
    for (const auto& o : r.orders)
        doc["orders"].push_back({{"id", o.id},
                                 {"customer", o.customer},
                                 {"rep", o.rep},
                                 {"amount_cents", o.amount},
                                 {"paid_cents", o.paid}});
    doc["orders_not_recorded"] = Json::array();
    for (const auto& v : r.orders_not_recorded)
        doc["orders_not_recorded"].push_back(
            {{"visit_id", v.id}, {"customer", v.customer}, {"rep", v.rep}});
    doc["new_customers"] = r.new_customers;
    doc["intents_and_orders"] = Json::array();
    for (const auto& v : r.intents_and_orders)
        doc["intents_and_orders"].push_back(
            {{"visit_id", v.id}, {"customer", v.customer}, {"rep", v.rep}, {"outcome", v.outcome}});
    doc["next_day"] = r.next_day;
    doc["followups_due_next_day"] = Json::array();
    for (const auto& f : r.due_next_day)
        doc["followups_due_next_day"].push_back({{"id", f.id},
                                                 {"rep", f.rep},
                                                 {"customer", f.customer},
                                                 {"channel", f.channel},
                                                 {"contact", optional(f.contact)},
                                                 {"note", optional(f.note)}});
    doc["stale_days"] = r.stale_days;
    doc["stale"] = Json::array();
    for (const auto& p : r.stale)
        doc["stale"].push_back({{"customer_id", p.customer_id},
                                {"customer", p.customer},
                                {"owner", optional(p.owner)},
                                {"best_outcome", p.best_outcome},
                                {"since", p.since_day},
                                {"days", p.days},
                                {"suggest", p.channel}});
    doc["plans_next_day"] = Json::array();
    for (const auto& p : r.next_plans)
        doc["plans_next_day"].push_back({{"rep", p.rep},
                                         {"name", p.rep_name},
                                         {"visits", p.visits},
                                         {"goal", optional(p.goal)}});
    // Compact, UTF-8 as it is; a byte that is not UTF-8 becomes U+FFFD instead of an exception.
    return doc.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace fieldbook::render
