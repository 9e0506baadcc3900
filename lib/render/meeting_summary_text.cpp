#include "render/meeting_summary.hpp"

#include <fmt/format.h>

#include <sstream>

#include "render/meeting_summary_parts.hpp"
#include "render/rows.hpp"

namespace fieldbook::render {
namespace {

using meeting_report::Report;
using namespace meeting_parts;

}  // namespace

std::string meeting_summary_text(const Report& r) {
    std::string out = fmt::format("End-of-day meeting {} ({}) — {}{}\n", r.day, r.weekday, r.status,
                                  r.kind == "sharing" ? ", experience sharing" : "");
    bool sharing = r.kind == "sharing";
    if (!r.manager_notes.empty()) {
        out += "\nManager's notes\n";
        for (auto& n : r.manager_notes)
            out += fmt::format("  - {}{}\n", n.text,
                               n.rep != n.author ? fmt::format(" (about {})", n.rep) : "");
    }
    for (auto& rep : r.reps) {
        out += fmt::format("\n{}\n  {}\n", rep_heading(rep), outcome_counts(rep.outcomes));
        if (rep.money.any()) out += fmt::format("  money: {}\n", money_line(rep.money));
        if (rep.goal) out += fmt::format("  goal: {}\n", *rep.goal);
        if (!rep.visits.empty()) {
            std::vector<Row> rows;
            for (auto& v : rep.visits) rows.push_back(visit_row(v, r.zone));
            std::istringstream table(render_rows(Format::table, visit_columns(true), rows));
            for (std::string line; std::getline(table, line);) out += "  " + line + "\n";
        }
        for (auto& n : rep.notes)
            out += fmt::format("  {}: {}\n", note_title(n.kind, sharing), n.text);
    }
    out += fmt::format("\nTeam: visits {} ({}) · {}\n", r.total_visits, quota_text(r.total_quota),
                       outcome_counts(r.total_outcomes));
    out += fmt::format("Money: {}\n", money_line(r.total_money));
    if (!r.new_customers.empty()) {
        out += "New customers: ";
        for (std::size_t i = 0; i < r.new_customers.size(); ++i)
            out += (i ? ", " : "") + r.new_customers[i];
        out += "\n";
    }
    for (auto& o : r.orders) out += fmt::format("Order: {}\n", order_line(o));
    for (auto& v : r.intents_and_orders)
        if (v.outcome == "intent") out += fmt::format("Intent: {} ({})\n", v.customer, v.rep);
    for (auto& v : r.orders_not_recorded) out += fmt::format("Flag: {}\n", not_recorded_line(v));
    out += fmt::format("\nFollow-ups due by {} ({}): {}\n", r.next_day, r.next_weekday,
                       r.due_next_day.size());
    for (auto& f : r.due_next_day)
        out += fmt::format("  #{} {} {} by {}{}\n", f.id, f.rep, f.customer, f.channel,
                           f.contact ? " — " + *f.contact : "");
    out += fmt::format("Stale prospects (no progress for {} days): {}\n", r.stale_days,
                       r.stale.size());
    for (auto& p : r.stale)
        out += fmt::format("  {} ({}, {} since {}) — {}\n", p.customer, p.owner.value_or("-"),
                           p.best_outcome, p.since_day, p.channel);
    out += fmt::format("\nPlan for {}:", r.next_day);
    if (r.next_plans.empty())
        out += " no quotas set yet\n";
    else {
        out += "\n";
        std::vector<Row> rows;
        for (auto& p : r.next_plans)
            rows.push_back({p.rep, p.rep_name, std::to_string(p.visits), p.goal});
        std::istringstream table(render_rows(
            Format::table, {{"rep"}, {"name"}, {"visits", true}, {"goal", false, 50}}, rows));
        for (std::string line; std::getline(table, line);) out += "  " + line + "\n";
    }
    return out;
}

}  // namespace fieldbook::render
