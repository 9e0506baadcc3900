// fieldbook report: the team's records as tables for people and exports for scripts.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "commands.hpp"
#include "domain/floors.hpp"
#include "domain/reports/coverage.hpp"
#include "domain/reports/customers.hpp"
#include "domain/reports/followups.hpp"
#include "domain/reports/funnel.hpp"
#include "domain/reports/needs.hpp"
#include "domain/reports/payments.hpp"
#include "domain/reports/receivables.hpp"
#include "domain/reports/reorders.hpp"
#include "domain/reports/reps.hpp"
#include "domain/reports/scripts.hpp"
#include "domain/reports/visits.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct ReportOptions {
    std::optional<std::string> since, until, rep;
    std::string by = "day";
};

// How far back a report reads when neither --since nor --until is given.
enum class Default { everything, last_30_days };

reports::Scope make_scope(Context& ctx, const ReportOptions& o, Default period) {
    Session& s = ctx.session();
    reports::Scope scope{.today = s.today()};
    auto [since, until] = text::parse_period(o.since, o.until, scope.today);
    scope.since = since;
    scope.until = until;
    if (!o.since && !o.until && period == Default::last_30_days) {
        scope.since = scope.today - std::chrono::days{29};
        scope.until = scope.today;
    }
    if (o.rep) {
        auto rep = reps::require(s, *o.rep, "--rep");
        scope.rep_id = rep.id;
        scope.rep = rep.handle;
    }
    return scope;
}

render::Cell yuan(money::Cents cents) {
    return money::format(cents);
}

std::vector<render::Column> outcome_columns() {
    std::vector<render::Column> out;
    for (auto outcome : vocab::outcomes) out.push_back({std::string(outcome), true});
    return out;
}

void append(render::Row& row, const std::array<std::int64_t, 6>& counts) {
    for (auto count : counts) row.push_back(cell(count));
}

void run_visits(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::visit_export(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"id", true},
                   {"uuid"},
                   {"day"},
                   {"time"},
                   {"rep"},
                   {"customer", false, 24},
                   {"customer_id", true},
                   {"building"},
                   {"floor"},
                   {"room"},
                   {"kind"},
                   {"outcome"},
                   {"contact"},
                   {"contact_role"},
                   {"phone"},
                   {"email"},
                   {"card"},
                   {"headcount", true},
                   {"office_size"},
                   {"brands"},
                   {"usage"},
                   {"note"},
                   {"went_well"},
                   {"improve"},
                   {"tool_feedback"},
                   {"script"},
                   {"next_due"},
                   {"next_channel"},
                   {"at_utc"}});
    for (const auto& v : rows)
        writer->row({cell(v.id),
                     v.uuid,
                     v.day,
                     text::format_local_clock(
                         text::parse_iso_instant(v.at_utc, s.zone, "stored time"), s.zone),
                     v.rep,
                     v.customer,
                     cell(v.customer_id),
                     v.building,
                     v.floor,
                     v.room,
                     v.kind,
                     v.outcome,
                     v.contact,
                     v.contact_role,
                     v.contact_phone,
                     v.contact_email,
                     cell(v.card),
                     cell(v.headcount),
                     v.office_size,
                     v.brands,
                     v.usage,
                     v.note,
                     v.went_well,
                     v.improve,
                     v.tool_feedback,
                     v.script,
                     v.next_due,
                     v.next_channel,
                     v.at_utc});
    writer->end();
    if (rows.empty()) ctx.note("no visits in that period");
}

void run_customers(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::customer_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"id", true},
                   {"name", false, 24},
                   {"building"},
                   {"floor"},
                   {"room"},
                   {"industry"},
                   {"headcount", true},
                   {"office_size"},
                   {"brands"},
                   {"usage"},
                   {"source"},
                   {"referred_by", false, 24},
                   {"owner"},
                   {"status"},
                   {"no_solicitation"},
                   {"visits", true},
                   {"first_visit"},
                   {"last_visit"},
                   {"orders", true},
                   {"revenue", true},
                   {"paid", true},
                   {"outstanding", true}});
    for (const auto& c : rows)
        writer->row({cell(c.id),
                     c.name,
                     c.building,
                     c.floor,
                     c.room,
                     c.industry,
                     cell(c.headcount),
                     c.office_size,
                     c.brands,
                     c.usage,
                     c.source,
                     c.referred_by,
                     c.owner,
                     c.status,
                     cell(c.no_solicitation),
                     cell(c.visits),
                     c.first_visit,
                     c.last_visit,
                     cell(c.orders),
                     yuan(c.revenue),
                     yuan(c.paid),
                     yuan(c.outstanding)});
    writer->end();
    if (rows.empty()) ctx.note("no customers in that period");
}

void run_followups(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::followup_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"id", true},
                   {"due"},
                   {"state"},
                   {"overdue_days", true},
                   {"reason"},
                   {"channel"},
                   {"rep"},
                   {"customer", false, 24},
                   {"order_id", true},
                   {"origin_visit_id", true},
                   {"closed_visit_id", true},
                   {"closed_day"},
                   {"result", false, 30},
                   {"note", false, 30}});
    for (const auto& f : rows)
        writer->row({cell(f.id), f.due, f.state, cell(f.overdue_days), f.reason, f.channel, f.rep,
                     f.customer, cell(f.order_id), cell(f.origin_visit_id), cell(f.closed_visit_id),
                     f.closed_day, f.result, f.note});
    writer->end();
    if (rows.empty()) ctx.note("no follow-ups due in that period");
}

void run_funnel(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto stages = s.store.read([&] { return reports::funnel_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"stage"},
                   {"customers", true},
                   {"stopped", true},
                   {"conversion", true},
                   {"of_visited", true},
                   {"median_days_from_first_visit", true},
                   {"median_days_from_previous", true}});
    for (const auto& st : stages)
        writer->row({st.stage, cell(st.reached), cell(st.stopped), one_decimal(st.conversion),
                     one_decimal(st.of_visited), one_decimal(st.median_days_from_first_visit),
                     one_decimal(st.median_days_from_previous)});
    writer->end();
    if (stages.front().reached == 0) ctx.note("no customers first visited in that period");
}

void run_reps(Context& ctx, const ReportOptions& o) {
    if (o.by != "day" && o.by != "week")
        throw UsageError(fmt::format("--by: '{}' is not day or week", o.by));
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::last_30_days);
    auto period = o.by == "week" ? reports::Period::week : reports::Period::day;
    auto rows = s.store.read([&] { return reports::rep_report(s, scope, period); });
    std::vector<render::Column> columns = {
        {o.by}, {"rep"}, {"quota", true}, {"visits", true}, {"quota_percent", true}};
    for (auto& c : outcome_columns()) columns.push_back(c);
    columns.push_back({"new_customers", true});
    columns.push_back({"orders", true});
    columns.push_back({"revenue", true});
    auto writer = ctx.row_writer();
    writer->begin(columns);
    for (const auto& r : rows) {
        render::Row row = {r.start, r.rep, cell(r.quota), cell(r.visits),
                           one_decimal(r.quota_percent)};
        append(row, r.outcomes);
        row.push_back(cell(r.new_customers));
        row.push_back(cell(r.orders));
        row.push_back(yuan(r.revenue));
        writer->row(row);
    }
    writer->end();
    if (rows.empty()) ctx.note("no quotas, visits or orders in that period");
}

// The sweep map drawn for people: one line per building, one cell per floor.
void draw_coverage_grid(Context& ctx, const std::vector<reports::FloorCoverage>& rows) {
    std::vector<std::string> floor_names;
    std::map<std::string, std::map<std::string, const reports::FloorCoverage*>> grid;
    for (const auto& f : rows) {
        if (std::find(floor_names.begin(), floor_names.end(), f.floor) == floor_names.end())
            floor_names.push_back(f.floor);
        grid[f.building][f.floor] = &f;
    }
    // The labels are floors::read's own, so reading them again gives back their floors.
    std::sort(floor_names.begin(), floor_names.end(),
              [](const std::string& a, const std::string& b) { return floors::before(a, b); });
    std::vector<render::Column> columns = {{"building"}};
    for (const auto& name : floor_names)  // 3F, B1F; a named floor (夹层) as it is
        columns.push_back({floors::read(name).kind == floors::Kind::name ? name : name + "F"});
    ctx.out << "\n";
    auto writer = ctx.row_writer();
    writer->begin(columns);
    for (const auto& [building, by_floor] : grid) {
        render::Row row = {building};
        for (const auto& name : floor_names) {
            auto found = by_floor.find(name);
            if (found == by_floor.end()) {
                row.emplace_back(std::string());
                continue;
            }
            const auto& f = *found->second;
            double covered = f.coverage.value_or(0);
            std::string mark = f.visited == 0  ? "·"
                               : covered < 50  ? "░"
                               : covered < 100 ? "▒"
                                               : "█";
            if (f.won > 0)
                mark += "★";
            else if (f.refused > 0 || f.no_solicitation > 0)
                mark += "×";
            row.emplace_back(std::move(mark));
        }
        writer->row(row);
    }
    writer->end();
    ctx.note(
        "· no room visited, ░ under half, ▒ half or more, █ every known room; "
        "★ a customer won, × a refusal or no-solicitation");
}

void run_coverage(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::coverage_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"building"},
                   {"floor"},
                   {"rooms", true},
                   {"visited", true},
                   {"coverage", true},
                   {"visits", true},
                   {"refused", true},
                   {"no_solicitation", true},
                   {"won", true}});
    for (const auto& f : rows)
        writer->row({f.building, f.floor, cell(f.rooms), cell(f.visited), one_decimal(f.coverage),
                     cell(f.visits), cell(f.refused), cell(f.no_solicitation), cell(f.won)});
    writer->end();
    if (rows.empty()) {
        ctx.note("no customers with a building and floor");
        return;
    }
    if (ctx.format() == render::Format::table) draw_coverage_grid(ctx, rows);
}

void run_receivables(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto report = s.store.read([&] { return reports::receivables_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"id", true},
                   {"day"},
                   {"due"},
                   {"customer", false, 24},
                   {"rep"},
                   {"amount", true},
                   {"paid", true},
                   {"outstanding", true},
                   {"days", true},
                   {"bucket"},
                   {"last_paid_day"},
                   {"last_paid", true}});
    for (const auto& r : report.orders)
        writer->row({cell(r.order_id), r.day, r.due, r.customer, r.rep, yuan(r.amount),
                     yuan(r.paid), yuan(r.outstanding), cell(r.days),
                     std::string(reports::kAgingBuckets[r.bucket]), r.last_paid_day,
                     r.last_paid ? yuan(*r.last_paid) : std::nullopt});
    writer->end();
    if (report.orders.empty()) {
        ctx.note("nothing outstanding");
        return;
    }
    std::string totals;
    for (std::size_t i = 0; i < report.totals.size(); ++i)
        totals += fmt::format("{}{} {}", i ? ", " : "", reports::kAgingBuckets[i],
                              money::format(report.totals[i]));
    ctx.note(fmt::format("outstanding {} on {} orders: {}", money::format(report.total),
                         report.orders.size(), totals));
}

void run_scripts(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::script_report(s, scope); });
    std::vector<render::Column> columns = {{"script"}, {"visits", true}};
    for (auto& c : outcome_columns()) columns.push_back(c);
    for (const char* name : {"contact_rate", "intent_rate", "order_rate"})
        columns.push_back({name, true});
    auto writer = ctx.row_writer();
    writer->begin(columns);
    for (const auto& r : rows) {
        render::Row row = {r.script, cell(r.visits)};
        append(row, r.outcomes);
        row.push_back(one_decimal(r.contact_rate));
        row.push_back(one_decimal(r.intent_rate));
        row.push_back(one_decimal(r.order_rate));
        writer->row(row);
    }
    writer->end();
    if (rows.empty()) ctx.note("no visits in that period");
}

// The needs we cannot meet yet, for purchasing: one row per item across customers.
void run_needs(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto rows = s.store.read([&] { return reports::needs_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"item", false, 24},
                   {"customers", true},
                   {"customer_names", false, 40},
                   {"volume", true},
                   {"without_volume", true}});
    for (const auto& r : rows)
        writer->row(
            {r.item, cell(r.customers), r.customer_names, cell(r.volume), cell(r.without_volume)});
    writer->end();
    if (rows.empty())
        ctx.note("no unmet needs recorded (see `fieldbook customer prep --unmet-needs`)");
}

void run_payments(Context& ctx, const ReportOptions& o) {
    Session& s = ctx.session();
    auto scope = make_scope(ctx, o, Default::everything);
    auto report = s.store.read([&] { return reports::payment_report(s, scope); });
    auto writer = ctx.row_writer();
    writer->begin({{"day"},
                   {"order_id", true},
                   {"customer", false, 24},
                   {"rep"},
                   {"amount", true},
                   {"who"},
                   {"note", false, 30}});
    for (const auto& p : report.payments)
        writer->row({p.day, cell(p.order_id), p.customer, p.rep, yuan(p.amount), p.who, p.note});
    // People get the sum as the table's last line; machines sum the rows themselves.
    if (ctx.format() == render::Format::table && !report.payments.empty())
        writer->row({std::string("total"), std::nullopt,
                     fmt::format("{} payment(s)", report.payments.size()), std::nullopt,
                     yuan(report.total), std::nullopt, std::nullopt});
    writer->end();
    if (report.payments.empty()) ctx.note("no payments in that period");
}

using Runner = void (*)(Context&, const ReportOptions&);

struct Report {
    const char* name;
    const char* summary;
    Runner run;
    const char* footer;
    bool by = false;  // takes --by day|week
};

struct ReorderOptions {
    std::optional<std::string> rep;
    std::optional<std::int64_t> within;
};

void run_reorders(Context& ctx, const ReorderOptions& o) {
    Session& s = ctx.session();
    reports::ReorderFilter filter{.within_days = o.within, .today = s.today()};
    if (o.rep) filter.owner_id = reps::require(s, *o.rep, "--rep").id;
    auto rows = s.store.read([&] { return reports::reorder_report(s, filter); });
    auto writer = ctx.row_writer();
    writer->begin({{"customer_id", true},
                   {"customer", false, 24},
                   {"owner"},
                   {"sku"},
                   {"name", false, 24},
                   {"orders", true},
                   {"median_interval", true},
                   {"last_day"},
                   {"expected_day"},
                   {"days_until", true}});
    for (const auto& r : rows)
        writer->row({cell(r.customer_id), r.customer, r.owner, r.sku, r.name, cell(r.orders),
                     one_decimal(r.median_interval), r.last_day, r.expected_day,
                     cell(r.days_until)});
    writer->end();
    if (rows.empty()) ctx.note("no product ordered on two days or more");
}

// Not a period report: reorders look ahead from the order history, so it takes --within
// instead of --since and --until.
void setup_reorders(CLI::App& group, Context& ctx) {
    auto options = std::make_shared<ReorderOptions>();
    auto* cmd = group.add_subcommand(
        "reorders", "Reorders to expect: each customer's products, from the days they ordered");
    cmd->add_option("--rep", options->rep, "Only the customers this rep owns (handle)");
    cmd->add_option("--within", options->within,
                    "Only those expected within this many days (overdue included)")
        ->transform(whole_number(0));
    cmd->footer(
        "A row is one customer and product (SKU) ordered on at least two different days, in\n"
        "orders not cancelled. median_interval is the median of the days between consecutive\n"
        "orders of it; expected_day is the last order's day plus that median (a half day\n"
        "rounded up), days_until counts from today (negative: overdue, not reordered since).\n"
        "Soonest first. `followup due` shows those expected within three days as \"reorder\n"
        "expected\" lines.\n\n"
        "Example:\n  fieldbook report reorders --within 7 --rep zhangwei");
    cmd->callback([&ctx, options] { run_reorders(ctx, *options); });
}

}  // namespace

void setup_report(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("report", "Reports on the team's records, and the exports");
    group->require_subcommand(1);
    group->footer(
        "Every report reads the whole team's records, as `visit list` and `order list` do;\n"
        "--rep narrows it to one rep. Each prints in any --format (table, csv, tsv, json,\n"
        "md, html) with the same snake_case columns. --since and --until take the usual day\n"
        "forms; --since after --until is refused.");
    static const Report kReports[] = {
        {"visits", "Every visit with every stored field, oldest first (the export)", run_visits,
         "A row is one visit. Default period: everything. --rep: that rep's visits.\n\n"
         "Example:\n  fieldbook report visits --since 2026-11-01 --format csv > visits.csv"},
        {"customers", "Every customer: its fields, status, owner, visits, orders, balance",
         run_customers,
         "A row is one customer. Default period: everything; with a period, visits and orders\n"
         "count only within it and customers with neither are left out. --rep: customers\n"
         "that rep owns."},
        {"followups", "Follow-ups due in the period, open or closed, with their result",
         run_followups,
         "A row is one follow-up, by due day. Default period: everything. overdue_days counts\n"
         "open ones against today. --rep: the follow-ups that rep owes."},
        {"funnel", "Customers by the furthest stage reached: contact, interest, intent, order",
         run_funnel,
         "A row is one stage. The customers counted are those first visited in the period\n"
         "(default: everything); a customer's stage is its best visit outcome, or order once\n"
         "it has an order, up to the period's end. conversion is the percentage of the stage\n"
         "before; the medians are in days, from the first visit and from the stage before.\n"
         "--rep: only that rep's visits and orders count."},
        {"reps", "Each rep's day (or week): visits against quota, outcomes, new customers, orders",
         run_reps,
         "A row is one rep on one day (or, with --by week, one ISO week, named by its Monday)\n"
         "with a quota, a visit or an order. Default period: the last 30 days, today\n"
         "included. quota is what `meeting plan` set; new_customers are those whose very first\n"
         "visit was this rep's, that day.",
         true},
        {"coverage", "The sweep map: rooms visited, refused, no-solicitation and won per floor",
         run_coverage,
         "A row is one floor of one building; 3, 03, 3F, 3楼 and 3层 are one floor, shown as 3,\n"
         "and basements (B1, -1) come first. rooms counts the rooms of the customers known\n"
         "there; visited those with a visit in the period (default: everything). In table\n"
         "format a grid of buildings by floors follows, shaded by coverage; other formats\n"
         "print the rows only. --rep: that rep's visits and orders."},
        {"receivables", "Open balances by order, aged 0-30, 31-60, 61-90 and 90+ days past due",
         run_receivables,
         "A row is one order with a balance left. days counts from its due day, or from the\n"
         "order's day when no due day was agreed; negative days are not yet due (bucket\n"
         "current). 90+ means 91 days or more. Default period (of the order's day):\n"
         "everything. The totals per bucket follow on stderr. last_paid_day and last_paid\n"
         "are the latest payment on the order, if any. A cancelled order owes nothing and\n"
         "is not listed. --rep: that rep's orders."},
        {"payments", "Money received: every payment, oldest first, with who took it", run_payments,
         "A row is one payment: its day, the order, the customer, the order's rep, the amount,\n"
         "who took it and its note. Default period (of the payment's day): everything. In the\n"
         "table format a last line gives the total. A cancelled order's payments were given\n"
         "back and are left out. --rep: payments on that rep's orders.\n\n"
         "Example:\n  fieldbook report payments --since 2026-12-01 --until 2026-12-31"},
        {"needs", "Needs we cannot meet yet, by item: customers asking, estimated volume",
         run_needs,
         "A row is one item, however its name was spaced or cased (as first typed), from the\n"
         "unmet needs of `customer prep`. customers counts those asking, customer_names names\n"
         "them; volume sums the volumes given, without_volume counts the needs given none.\n"
         "Most asked for first. Default period (of the day a need was recorded): everything.\n"
         "--rep: customers that rep owns.\n\n"
         "Example:\n  fieldbook report needs --format csv > needs.csv"},
        {"scripts", "Outcomes by the opening script used: visits, each outcome, rates", run_scripts,
         "A row is one opening script (empty: visits that recorded none). contact_rate is the\n"
         "percentage of visits that ended at contact or better, intent_rate at intent or\n"
         "order, order_rate in an order. Default period: everything."},
    };
    for (const auto& report : kReports) {
        auto options = std::make_shared<ReportOptions>();
        auto* cmd = group->add_subcommand(report.name, report.summary);
        cmd->add_option("--since", options->since, "From this day");
        cmd->add_option("--until", options->until, "Up to this day");
        cmd->add_option("--rep", options->rep, "Only this rep's records (handle)");
        if (report.by) cmd->add_option("--by", options->by, "day (default) or week");
        cmd->footer(report.footer);
        Runner run = report.run;
        cmd->callback([&ctx, options, run] { run(ctx, *options); });
    }
    setup_reorders(*group, ctx);
}

}  // namespace fieldbook::app
