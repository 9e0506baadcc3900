#include "domain/meeting_report.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "domain/vocabulary.hpp"
#include "text/rows.hpp"

namespace fieldbook::meeting_report {
namespace {

using text::Cell;
using text::Column;

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

std::string weekday_of(text::Day day) {
    return kWeekdays[std::chrono::weekday{day}.c_encoding()];
}

std::string outcome_counts(const std::array<std::int64_t, 6>& counts) {
    std::string out;
    for (std::size_t i = 0; i < 6; ++i)
        out += fmt::format("{}{} {}", i ? " · " : "", vocab::outcomes[i], counts[i]);
    return out;
}

std::string place(const visits::Visit& v) {
    std::string out = v.building.value_or("");
    if (v.floor) out += (out.empty() ? "" : " ") + *v.floor + "F";
    if (v.room) out += (out.empty() ? "" : " ") + *v.room;
    return out;
}

std::string contact(const visits::Visit& v) {
    if (!v.contact) return "";
    return *v.contact + (v.contact_role ? " (" + *v.contact_role + ")" : "");
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

text::Row visit_row(const visits::Visit& v, const text::TimeZone& zone) {
    return {text::format_local_clock(text::parse_iso_instant(v.at_utc, zone, "stored time"), zone),
            v.customer,
            place(v),
            contact(v),
            learned(v),
            v.outcome,
            next_step(v),
            note_of(v)};
}

std::string render_rows(text::Format format, const std::vector<Column>& columns,
                        const std::vector<text::Row>& rows) {
    std::ostringstream out;
    auto writer = text::make_row_writer(format, out);
    writer->begin(columns);
    for (auto& r : rows) writer->row(r);
    writer->end();
    return out.str();
}

// Free text inside Markdown prose: its own punctuation must not turn into formatting.
std::string md_text(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\`*_[]<>#|").find(c) != std::string_view::npos) out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

const char* note_title(const std::string& kind, bool sharing) {
    if (kind == "self-review") return "Self-review";
    if (kind == "tool-feedback") return "Script and catalog feedback";
    return sharing ? "Shared experience" : "New idea";
}

std::string quota_text(std::int64_t quota) {
    return quota > 0 ? fmt::format("quota {}", quota) : std::string("no quota set");
}

std::string rep_heading(const RepSection& r) {
    std::string quota = r.quota ? fmt::format("quota {}", *r.quota) : std::string("no quota");
    return fmt::format("{} {} — {}, done {}", r.rep, r.name, quota, r.visits.size());
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
        if (rep.goal) md += fmt::format("Goal: {}\n\n", md_text(*rep.goal));
        if (!rep.visits.empty()) {
            std::vector<text::Row> rows;
            for (auto& v : rep.visits) rows.push_back(visit_row(v, r.zone));
            md += render_rows(text::Format::md, visit_columns(false), rows) + "\n";
        }
        for (auto& n : rep.notes)
            md += fmt::format("- **{}:** {}\n", note_title(n.kind, sharing), md_text(n.text));
        if (!rep.notes.empty()) md += "\n";
    }
    return md;
}

void json_array(std::string& out, const std::vector<std::string>& items) {
    out += "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
    out += "]";
}

std::string json_opt(const std::optional<std::string>& v) {
    return v ? text::json_string(*v) : "null";
}

std::string json_outcomes(const std::array<std::int64_t, 6>& counts) {
    std::string out = "{";
    for (std::size_t i = 0; i < 6; ++i)
        out += fmt::format("{}\"{}\":{}", i ? "," : "", vocab::outcomes[i], counts[i]);
    return out + "}";
}

}  // namespace

Report build(Session& s, text::Day day, std::int64_t stale_days) {
    Report r{.zone = s.zone};
    r.day = text::format_day(day);
    r.weekday = weekday_of(day);
    auto meeting = meetings::get(s, day);
    r.kind = meeting.kind;
    r.status = meeting.status;
    r.stale_days = stale_days;

    auto quotas = meetings::plans(s, day);
    auto notes = meetings::notes(s, day);
    std::vector<visits::Visit> day_visits;
    visits::list(s, {.since = day, .until = day},
                 [&](const visits::Visit& v) { day_visits.push_back(v); });
    std::reverse(day_visits.begin(), day_visits.end());  // the day in the order it happened

    auto section = [&](const std::string& handle) -> RepSection& {
        for (auto& rep : r.reps)
            if (rep.rep == handle) return rep;
        RepSection fresh;
        fresh.rep = handle;
        if (auto found = reps::find(s, handle)) fresh.name = found->name;
        r.reps.push_back(fresh);
        return r.reps.back();
    };
    for (auto& p : quotas) {
        auto& rep = section(p.rep);
        rep.quota = p.visits;
        rep.goal = p.goal;
        r.total_quota += p.visits;
    }
    for (auto& v : day_visits) {
        auto& rep = section(v.rep);
        rep.visits.push_back(v);
        auto rank = static_cast<std::size_t>(vocab::outcome_rank(v.outcome));
        ++rep.outcomes[rank];
        ++r.total_outcomes[rank];
        ++r.total_visits;
        if (v.outcome == "intent" || v.outcome == "order") r.intents_and_orders.push_back(v);
    }
    for (auto& n : notes) {
        if (n.kind == "manager")
            r.manager_notes.push_back(n);
        else
            section(n.rep).notes.push_back(n);
    }
    std::sort(r.reps.begin(), r.reps.end(),
              [](const RepSection& a, const RepSection& b) { return a.rep < b.rep; });

    auto first_visits = s.prepare(R"sql(
SELECT c.name FROM customer c
WHERE c.deleted_at IS NULL
  AND (SELECT MIN(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL) = ?
ORDER BY c.name_key)sql");
    first_visits->bind(1, r.day);
    while (first_visits->executeStep())
        r.new_customers.push_back(first_visits->getColumn(0).getString());

    text::Day next = meetings::next_working_day(day);
    r.next_day = text::format_day(next);
    followups::list(s, {.state = "open", .due_by = next, .today = next},
                    [&](const followups::Followup& f) {
                        // Overdue ones too, and through the weekend to the next working day.
                        r.due_next_day.push_back(f);
                    });
    r.stale = stale::find(s, day, stale_days, std::nullopt);
    r.next_plans = meetings::plans(s, next);
    return r;
}

std::string to_markdown(const Report& r) {
    std::string md = fmt::format("# End-of-day meeting {} ({})\n\n", r.day, r.weekday);
    if (r.kind == "sharing") md += "Experience-sharing session.\n\n";
    md += records_markdown(r);
    md += "## Team\n\n";
    md += fmt::format("Visits {} ({}) · {}\n\n", r.total_visits, quota_text(r.total_quota),
                      outcome_counts(r.total_outcomes));
    if (!r.new_customers.empty()) {
        md += "New customers: ";
        for (std::size_t i = 0; i < r.new_customers.size(); ++i)
            md += (i ? ", " : "") + md_text(r.new_customers[i]);
        md += "\n\n";
    }
    if (!r.intents_and_orders.empty()) {
        md += "Intents and orders:\n\n";
        for (auto& v : r.intents_and_orders)
            md += fmt::format("- {} — {} ({})\n", md_text(v.customer), v.outcome, v.rep);
        md += "\n";
    }
    md += fmt::format("## Follow-ups due by {} ({})\n\n", r.next_day,
                      weekday_of(text::parse_iso_day(r.next_day)));
    if (r.due_next_day.empty())
        md += "None.\n\n";
    else {
        std::vector<text::Row> rows;
        for (auto& f : r.due_next_day)
            rows.push_back({std::to_string(f.id), f.rep, f.customer, f.channel, f.contact, f.note});
        md += render_rows(text::Format::md,
                          {{"id", true}, {"rep"}, {"customer"}, {"channel"}, {"contact"}, {"note"}},
                          rows) +
              "\n";
    }
    md += fmt::format("## Stale prospects (no progress for {} days)\n\n", r.stale_days);
    if (r.stale.empty())
        md += "None.\n\n";
    else {
        std::vector<text::Row> rows;
        for (auto& p : r.stale)
            rows.push_back({p.customer, p.owner, p.best_outcome, p.since_day, p.channel});
        md +=
            render_rows(text::Format::md,
                        {{"customer"}, {"owner"}, {"best_outcome"}, {"since"}, {"suggest"}}, rows) +
            "\n";
    }
    md += fmt::format("## Plan for {}\n\n", r.next_day);
    if (r.next_plans.empty())
        md += "No quotas set yet.\n";
    else {
        std::vector<text::Row> rows;
        for (auto& p : r.next_plans)
            rows.push_back({p.rep, p.rep_name, std::to_string(p.visits), p.goal});
        md += render_rows(text::Format::md, {{"rep"}, {"name"}, {"visits", true}, {"goal"}}, rows);
    }
    return md;
}

std::string to_text(const Report& r) {
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
        if (rep.goal) out += fmt::format("  goal: {}\n", *rep.goal);
        if (!rep.visits.empty()) {
            std::vector<text::Row> rows;
            for (auto& v : rep.visits) rows.push_back(visit_row(v, r.zone));
            std::istringstream table(render_rows(text::Format::table, visit_columns(true), rows));
            for (std::string line; std::getline(table, line);) out += "  " + line + "\n";
        }
        for (auto& n : rep.notes)
            out += fmt::format("  {}: {}\n", note_title(n.kind, sharing), n.text);
    }
    out += fmt::format("\nTeam: visits {} ({}) · {}\n", r.total_visits, quota_text(r.total_quota),
                       outcome_counts(r.total_outcomes));
    if (!r.new_customers.empty()) {
        out += "New customers: ";
        for (std::size_t i = 0; i < r.new_customers.size(); ++i)
            out += (i ? ", " : "") + r.new_customers[i];
        out += "\n";
    }
    for (auto& v : r.intents_and_orders)
        out += fmt::format("{}: {} ({})\n", v.outcome == "order" ? "Order" : "Intent", v.customer,
                           v.rep);
    out += fmt::format("\nFollow-ups due by {} ({}): {}\n", r.next_day,
                       weekday_of(text::parse_iso_day(r.next_day)), r.due_next_day.size());
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
        std::vector<text::Row> rows;
        for (auto& p : r.next_plans)
            rows.push_back({p.rep, p.rep_name, std::to_string(p.visits), p.goal});
        std::istringstream table(render_rows(
            text::Format::table, {{"rep"}, {"name"}, {"visits", true}, {"goal", false, 50}}, rows));
        for (std::string line; std::getline(table, line);) out += "  " + line + "\n";
    }
    return out;
}

std::string to_json(const Report& r) {
    std::string out =
        fmt::format("{{\"day\":{},\"weekday\":{},\"kind\":{},\"status\":{},\"manager_notes\":",
                    text::json_string(r.day), text::json_string(r.weekday),
                    text::json_string(r.kind), text::json_string(r.status));
    std::vector<std::string> items;
    for (auto& n : r.manager_notes)
        items.push_back(fmt::format("{{\"about\":{},\"author\":{},\"text\":{}}}",
                                    text::json_string(n.rep), text::json_string(n.author),
                                    text::json_string(n.text)));
    json_array(out, items);
    out += ",\"reps\":";
    items.clear();
    for (auto& rep : r.reps) {
        std::vector<std::string> visit_items;
        for (auto& v : rep.visits)
            visit_items.push_back(fmt::format(
                "{{\"id\":{},\"time\":{},\"customer\":{},\"building\":{},\"floor\":{},"
                "\"room\":{},\"contact\":{},\"contact_role\":{},\"office_size\":{},"
                "\"headcount\":{},\"brands\":{},\"usage\":{},\"outcome\":{},\"next_due\":{},"
                "\"next_channel\":{},\"note\":{},\"went_well\":{},\"improve\":{},"
                "\"tool_feedback\":{},\"script\":{}}}",
                v.id, text::json_string(visit_row(v, r.zone)[0].value_or("")),
                text::json_string(v.customer), json_opt(v.building), json_opt(v.floor),
                json_opt(v.room), json_opt(v.contact), json_opt(v.contact_role),
                json_opt(v.office_size), v.headcount ? std::to_string(*v.headcount) : "null",
                json_opt(v.brands), json_opt(v.usage), text::json_string(v.outcome),
                json_opt(v.next_due), json_opt(v.next_channel), json_opt(v.note),
                json_opt(v.went_well), json_opt(v.improve), json_opt(v.tool_feedback),
                json_opt(v.script)));
        std::vector<std::string> by_kind[3];
        for (auto& n : rep.notes) {
            std::size_t k = n.kind == "self-review" ? 0 : n.kind == "tool-feedback" ? 1 : 2;
            by_kind[k].push_back(text::json_string(n.text));
        }
        std::string item = fmt::format(
            "{{\"rep\":{},\"name\":{},\"quota\":{},\"goal\":{},\"done\":{},\"outcomes\":{},"
            "\"visits\":",
            text::json_string(rep.rep), text::json_string(rep.name),
            rep.quota ? std::to_string(*rep.quota) : "null", json_opt(rep.goal), rep.visits.size(),
            json_outcomes(rep.outcomes));
        json_array(item, visit_items);
        item += ",\"self_review\":";
        json_array(item, by_kind[0]);
        item += ",\"tool_feedback\":";
        json_array(item, by_kind[1]);
        item += ",\"ideas\":";
        json_array(item, by_kind[2]);
        items.push_back(item + "}");
    }
    json_array(out, items);
    out += fmt::format(",\"totals\":{{\"visits\":{},\"quota\":{},\"outcomes\":{}}}", r.total_visits,
                       r.total_quota, json_outcomes(r.total_outcomes));
    items.clear();
    for (auto& name : r.new_customers) items.push_back(text::json_string(name));
    out += ",\"new_customers\":";
    json_array(out, items);
    items.clear();
    for (auto& v : r.intents_and_orders)
        items.push_back(fmt::format("{{\"visit_id\":{},\"customer\":{},\"rep\":{},\"outcome\":{}}}",
                                    v.id, text::json_string(v.customer), text::json_string(v.rep),
                                    text::json_string(v.outcome)));
    out += ",\"intents_and_orders\":";
    json_array(out, items);
    out +=
        fmt::format(",\"next_day\":{},\"followups_due_next_day\":", text::json_string(r.next_day));
    items.clear();
    for (auto& f : r.due_next_day)
        items.push_back(fmt::format(
            "{{\"id\":{},\"rep\":{},\"customer\":{},\"channel\":{},\"contact\":{},\"note\":{}}}",
            f.id, text::json_string(f.rep), text::json_string(f.customer),
            text::json_string(f.channel), json_opt(f.contact), json_opt(f.note)));
    json_array(out, items);
    out += fmt::format(",\"stale_days\":{},\"stale\":", r.stale_days);
    items.clear();
    for (auto& p : r.stale)
        items.push_back(fmt::format(
            "{{\"customer_id\":{},\"customer\":{},\"owner\":{},\"best_outcome\":{},\"since\":{},"
            "\"days\":{},\"suggest\":{}}}",
            p.customer_id, text::json_string(p.customer), json_opt(p.owner),
            text::json_string(p.best_outcome), text::json_string(p.since_day), p.days,
            text::json_string(p.channel)));
    json_array(out, items);
    out += ",\"plans_next_day\":";
    items.clear();
    for (auto& p : r.next_plans)
        items.push_back(fmt::format("{{\"rep\":{},\"name\":{},\"visits\":{},\"goal\":{}}}",
                                    text::json_string(p.rep), text::json_string(p.rep_name),
                                    p.visits, json_opt(p.goal)));
    json_array(out, items);
    return out + "}\n";
}

std::string to_html(const std::string& markdown, const std::string& title) {
    // Safe mode (the default): raw HTML in anyone's notes is not passed through.
    cmark_gfm_core_extensions_ensure_registered();
    std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
        cmark_parser_new(CMARK_OPT_DEFAULT), &cmark_parser_free);
    if (cmark_syntax_extension* table = cmark_find_syntax_extension("table"))
        cmark_parser_attach_syntax_extension(parser.get(), table);
    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
        cmark_parser_finish(parser.get()), &cmark_node_free);
    std::unique_ptr<char, decltype(&std::free)> body(
        cmark_render_html(document.get(), CMARK_OPT_DEFAULT,
                          cmark_parser_get_syntax_extensions(parser.get())),
        &std::free);
    return fmt::format(R"html(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 10pt; margin: 1.5em; max-width: 60em; }}
h1 {{ font-size: 15pt; }} h2 {{ font-size: 12pt; border-bottom: 1px solid #000; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5em 0; }}
th, td {{ text-align: left; padding: 2px 6px; border-bottom: 1px solid #ccc; vertical-align: top; }}
@media print {{ @page {{ size: A4; margin: 12mm; }} body {{ margin: 0; }}
  h2 {{ break-after: avoid; }} tr {{ break-inside: avoid; }} }}
</style>
</head>
<body>
{}</body>
</html>
)html",
                       text::html_escape(title), body.get());
}

}  // namespace fieldbook::meeting_report
