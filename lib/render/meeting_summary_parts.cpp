#include "render/meeting_summary_parts.hpp"

#include <fmt/format.h>

#include <sstream>

#include "domain/vocabulary.hpp"
#include "text/dates.hpp"

namespace fieldbook::render::meeting_parts {
namespace {

std::string place(const visits::Visit& v) {
    std::string out = v.building.value_or("");
    if (v.floor) out += (out.empty() ? "" : " ") + *v.floor + "F";
    if (v.room) out += (out.empty() ? "" : " ") + *v.room;
    return out;
}

std::string contact(const visits::Visit& v) {
    if (!v.contact) return "";
    // An unnamed contact (a reception desk's number) is shown by its number or address.
    std::string who =
        !v.contact->empty() ? *v.contact : v.contact_phone.value_or(v.contact_email.value_or(""));
    return who + (v.contact_role ? " (" + *v.contact_role + ")" : "");
}

// What the door taught: office size, headcount, supply brands and usage.
std::string learned(const visits::Visit& v) {
    std::vector<std::string> parts;
    if (v.office_size) parts.push_back(*v.office_size);
    if (v.headcount) parts.push_back(fmt::format("{}人", *v.headcount));
    if (v.brands) parts.push_back(*v.brands);
    if (v.usage) parts.push_back(*v.usage);
    std::string out;
    for (auto& p : parts) out += (out.empty() ? "" : " · ") + p;
    return out;
}

std::string next_step(const visits::Visit& v) {
    if (!v.next_due) return "";
    return *v.next_due + " " + v.next_channel.value_or("");
}

std::string note_of(const visits::Visit& v) {
    std::string out = v.note.value_or("");
    if (v.went_well) out += (out.empty() ? "" : " ") + std::string("[+] ") + *v.went_well;
    if (v.improve) out += (out.empty() ? "" : " ") + std::string("[改进] ") + *v.improve;
    if (v.tool_feedback)
        out += (out.empty() ? "" : " ") + std::string("[工具] ") + *v.tool_feedback;
    return out;
}

}  // namespace

std::vector<Column> visit_columns(bool for_terminal) {
    int wide = for_terminal ? 24 : 1000;
    return {{"time"},
            {"customer", false, wide},
            {"place", false, wide},
            {"contact"},
            {"learned", false, for_terminal ? 44 : 1000},
            {"outcome"},
            {"next"},
            {"note", false, for_terminal ? 40 : 1000}};
}

Row visit_row(const visits::Visit& v, const text::TimeZone& zone) {
    return {text::format_local_clock(text::parse_iso_instant(v.at_utc, zone, "stored time"), zone),
            v.customer,
            place(v),
            contact(v),
            learned(v),
            v.outcome,
            next_step(v),
            note_of(v)};
}

std::string outcome_counts(const std::array<std::int64_t, 6>& counts) {
    std::string out;
    for (std::size_t i = 0; i < 6; ++i)
        out += fmt::format("{}{} {}", i ? " · " : "", vocab::outcomes[i], counts[i]);
    return out;
}

std::string render_rows(Format format, const std::vector<Column>& columns,
                        const std::vector<Row>& rows) {
    std::ostringstream out;
    auto writer = make_row_writer(format, out);
    writer->begin(columns);
    for (auto& r : rows) writer->row(r);
    writer->end();
    return out.str();
}

const char* note_title(const std::string& kind, bool sharing) {
    if (kind == "self-review") return "Self-review";
    if (kind == "tool-feedback") return "Script and catalog feedback";
    return sharing ? "Shared experience" : "New idea";
}

std::string quota_text(std::int64_t quota) {
    return quota > 0 ? fmt::format("quota {}", quota) : std::string("no quota set");
}

std::string rep_heading(const meeting_report::RepSection& r) {
    // A manager or a leader who went out is not short of a quota nobody set them; one set for
    // them (`meeting plan --rep` naming them) is shown as anyone's.
    std::string quota = r.quota                             ? fmt::format("quota {}, ", *r.quota)
                        : r.role == "rep" || r.role.empty() ? std::string("no quota, ")
                                                            : std::string();
    return fmt::format("{} {} — {}done {}", r.rep, r.name, quota, r.visits.size());
}

std::string money_line(const meeting_report::Money& m) {
    return fmt::format(
        "orders {} ({}) · collected {} ({}) · past due {} ({}) · collection calls {}", m.orders,
        money::format(m.ordered), m.payments, money::format(m.collected), m.past_due,
        money::format(m.past_due_balance), m.collection_calls);
}

std::string order_line(const meeting_report::DayOrder& o) {
    std::string paid = o.paid >= o.amount ? std::string("paid")
                       : o.paid > 0       ? fmt::format("paid {}", money::format(o.paid))
                                          : std::string("unpaid");
    return fmt::format("#{} {} ({}) {}, {}", o.id, o.customer, o.rep, money::format(o.amount),
                       paid);
}

std::string not_recorded_line(const visits::Visit& v) {
    return fmt::format("{} ({}, visit #{}): order outcome, no order recorded", v.customer, v.rep,
                       v.id);
}

}  // namespace fieldbook::render::meeting_parts
