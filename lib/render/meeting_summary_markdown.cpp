#include "render/meeting_summary.hpp"

#include <fmt/format.h>

#include "render/meeting_summary_parts.hpp"
#include "render/rows.hpp"

namespace fieldbook::render {
namespace {

using meeting_report::Report;
using namespace meeting_parts;

// Free text inside Markdown prose: its own punctuation must not turn into formatting.
std::string md_text(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

// The day's own records (rep sections and the manager's notes) as Markdown.
std::string records_markdown(const Report& r) {
    std::string md;
    if (!r.manager_notes.empty()) {
        md += "## Manager's notes\n\n";
        for (auto& n : r.manager_notes)
            md += fmt::format("- {}{}\n", md_text(n.text),
                              n.rep != n.author ? fmt::format(" (about {})", n.rep) : "");
        md += "\n";
    }
    bool sharing = r.kind == "sharing";
    for (auto& rep : r.reps) {
        md += fmt::format("## {}\n\n", md_text(rep_heading(rep)));
        md += outcome_counts(rep.outcomes) + "\n\n";
        if (rep.money.any()) md += fmt::format("Money: {}\n\n", money_line(rep.money));
        if (rep.goal) md += fmt::format("Goal: {}\n\n", md_text(*rep.goal));
        if (!rep.visits.empty()) {
            std::vector<Row> rows;
            for (auto& v : rep.visits) rows.push_back(visit_row(v, r.zone));
            md += render_rows(Format::md, visit_columns(false), rows) + "\n";
        }
        for (auto& n : rep.notes)
            md += fmt::format("- **{}:** {}\n", note_title(n.kind, sharing), md_text(n.text));
        if (!rep.notes.empty()) md += "\n";
    }
    return md;
}

}  // namespace

std::string meeting_summary_markdown(const Report& r) {
    std::string md = fmt::format("# End-of-day meeting {} ({})\n\n", r.day, r.weekday);
    if (r.kind == "sharing") md += "Experience-sharing session.\n\n";
    md += records_markdown(r);
    md += "## Team\n\n";
    md += fmt::format("Visits {} ({}) · {}\n\n", r.total_visits, quota_text(r.total_quota),
                      outcome_counts(r.total_outcomes));
    md += fmt::format("Money: {}\n\n", money_line(r.total_money));
    if (!r.new_customers.empty()) {
        md += "New customers: ";
        for (std::size_t i = 0; i < r.new_customers.size(); ++i)
            md += (i ? ", " : "") + md_text(r.new_customers[i]);
        md += "\n\n";
    }
    // Orders are the order records of the day; a visit's outcome "order" is what the rep said.
    bool any_intent = false;
    for (auto& v : r.intents_and_orders) any_intent = any_intent || v.outcome == "intent";
    if (any_intent || !r.orders.empty()) {
        md += "Intents and orders:\n\n";
        for (auto& v : r.intents_and_orders)
            if (v.outcome == "intent")
                md += fmt::format("- {} — intent ({})\n", md_text(v.customer), v.rep);
        for (auto& o : r.orders) md += fmt::format("- order {}\n", md_text(order_line(o)));
        md += "\n";
    }
    if (!r.orders_not_recorded.empty()) {
        md += "Flagged:\n\n";
        for (auto& v : r.orders_not_recorded)
            md += fmt::format("- {}\n", md_text(not_recorded_line(v)));
        md += "\n";
    }
    md += fmt::format("## Follow-ups due by {} ({})\n\n", r.next_day, r.next_weekday);
    if (r.due_next_day.empty())
        md += "None.\n\n";
    else {
        std::vector<Row> rows;
        for (auto& f : r.due_next_day)
            rows.push_back({std::to_string(f.id), f.rep, f.customer, f.channel, f.contact, f.note});
        md += render_rows(Format::md,
                          {{"id", true}, {"rep"}, {"customer"}, {"channel"}, {"contact"}, {"note"}},
                          rows) +
              "\n";
    }
    md += fmt::format("## Stale prospects (no progress for {} days)\n\n", r.stale_days);
    if (r.stale.empty())
        md += "None.\n\n";
    else {
        std::vector<Row> rows;
        for (auto& p : r.stale)
            rows.push_back({p.customer, p.owner, p.best_outcome, p.since_day, p.channel});
        md +=
            render_rows(Format::md,
                        {{"customer"}, {"owner"}, {"best_outcome"}, {"since"}, {"suggest"}}, rows) +
            "\n";
    }
    md += fmt::format("## Plan for {}\n\n", r.next_day);
    if (r.next_plans.empty())
        md += "No quotas set yet.\n";
    else {
        std::vector<Row> rows;
        for (auto& p : r.next_plans)
            rows.push_back({p.rep, p.rep_name, std::to_string(p.visits), p.goal});
        md += render_rows(Format::md, {{"rep"}, {"name"}, {"visits", true}, {"goal"}}, rows);
    }
    return md;
}

}  // namespace fieldbook::render
