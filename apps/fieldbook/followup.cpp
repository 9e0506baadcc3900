// fieldbook followup: what to do next for each prospect, and what is slipping.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/reports/reorders.hpp"
#include "domain/stale.hpp"
#include "domain/vocabulary.hpp"
#include "domain/workflows/complete_followup.hpp"
#include "errors.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct FollowupOptions {
    std::string id;
    std::string customer;
    std::optional<std::string> due, on, channel, note, rep, state;
    std::optional<std::string> result, outcome, at, next, next_channel, why, reason;
    std::optional<std::int64_t> days;
    bool all = false;
    bool create = false;
};

constexpr std::string_view kReasons[] = {"progress", "collection", "negotiation", "after-sales"};

// How far ahead `followup due` looks for reorders to expect.
constexpr std::int64_t kReorderDays = 3;

bool may_see_everyone(const reps::Rep& rep) {
    return rep.role == "manager" || rep.role == "leader";
}

// Whose follow-ups: one's own; everyone's (--all) or another rep's (--rep) for a manager.
std::optional<std::int64_t> scope(Context& ctx, const FollowupOptions& o) {
    reps::Rep me = ctx.actor();
    if (o.all && o.rep) throw UsageError("--all and --rep exclude each other");
    if ((o.all || (o.rep && reps::require(ctx.session(), *o.rep, "--rep").id != me.id)) &&
        !may_see_everyone(me))
        throw UsageError(
            fmt::format("{}: only a manager or leader sees other reps' follow-ups "
                        "({} is a {})",
                        o.all ? "--all" : "--rep", me.handle, me.role));
    if (o.all) return std::nullopt;
    if (o.rep) return reps::require(ctx.session(), *o.rep, "--rep").id;
    return me.id;
}

std::vector<render::Column> due_columns() {
    return {{"id", true},
            {"due"},
            {"overdue_days", true},
            {"rep"},
            {"customer", false, 24},
            {"channel"},
            {"reason"},
            {"contact"},
            {"contact_role"},
            {"reach"},
            {"last_outcome"},
            {"last_visit"},
            {"note", false, 30}};
}

render::Row due_row(const followups::Followup& f) {
    // The number or address the channel needs; a revisit takes whatever is known.
    render::Cell reach = f.channel == "email" ? f.contact_email : f.contact_phone;
    if (f.channel == "visit" && !reach) reach = f.contact_email;
    return {cell(f.id), f.due_day, cell(f.days_overdue), f.rep, f.customer,     f.channel,
            f.reason,   f.contact, f.contact_role,       reach, f.last_outcome, f.last_visit_day,
            f.note};
}

void run_add(Context& ctx, const FollowupOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    reps::Rep owner = o.rep ? reps::require(s, *o.rep, "--rep") : me;
    if (!o.due) throw UsageError("--due: missing (e.g. tomorrow, +3d, fri, 2026-12-01)");
    text::Day due = text::parse_coming_day(*o.due, s.today(), "--due");
    auto id = s.store.write([&] {
        auto customer = customers::resolve(s, o.customer);
        return followups::add(s, me,
                              {.customer_id = customer.id,
                               .rep_id = owner.id,
                               .due = due,
                               .channel = o.channel.value_or("phone"),
                               .reason = o.reason ? vocab::parse("--reason", *o.reason, kReasons)
                                                  : std::string("progress"),
                               .note = o.note});
    });
    ctx.note(fmt::format("follow-up #{} for {} due {}", id, owner.handle, text::format_day(due)));
}

void run_due(Context& ctx, const FollowupOptions& o) {
    Session& s = ctx.session();
    text::Day today = s.today();
    text::Day day = o.on ? text::parse_day(*o.on, today, text::Toward::future, "--on") : today;
    auto owner = scope(ctx, o);
    auto writer = ctx.row_writer();
    writer->begin(due_columns());
    followups::list(s, {.rep_id = owner, .state = "open", .due_by = day, .today = day},
                    [&](const followups::Followup& f) { writer->row(due_row(f)); });
    // Reorders the order history says are coming (or overdue, not reordered since) for the
    // customers one owns: derived on the fly, not stored follow-ups, so they have no id.
    auto coming = s.store.read([&] {
        return reports::reorder_report(
            s, {.owner_id = owner, .within_days = kReorderDays, .today = day});
    });
    for (const auto& r : coming) {
        std::int64_t late = -r.days_until;
        writer->row({std::nullopt, r.expected_day, cell(late > 0 ? late : 0), r.owner, r.customer,
                     std::string("phone"), std::string("reorder expected"), std::nullopt,
                     std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                     fmt::format("derived, not a stored follow-up: {} {} every {:.1f} days, last "
                                 "ordered {}",
                                 r.sku, r.name, r.median_interval, r.last_day)});
    }
    writer->end();
    if (!coming.empty())
        ctx.note(
            fmt::format("{} reorder(s) expected by {}: derived from the order history "
                        "(report reorders), not follow-ups to close",
                        coming.size(), text::format_day(day + std::chrono::days{kReorderDays})));
}

void run_list(Context& ctx, const FollowupOptions& o) {
    Session& s = ctx.session();
    std::optional<std::string> state = "open";
    if (o.state) {
        static constexpr std::string_view kStates[] = {"open", "done", "dropped", "all"};
        std::string chosen = vocab::parse("--state", *o.state, kStates);
        state = chosen == "all" ? std::nullopt : std::optional(chosen);
    }
    std::optional<std::int64_t> customer_id;
    if (!o.customer.empty()) customer_id = customers::resolve(s, o.customer).id;
    auto columns = due_columns();
    columns.insert(columns.begin() + 3, {"state"});
    columns.push_back({"result", false, 30});
    auto writer = ctx.row_writer();
    writer->begin(columns);
    followups::list(
        s,
        {.rep_id = scope(ctx, o), .customer_id = customer_id, .state = state, .today = s.today()},
        [&](const followups::Followup& f) {
            auto row = due_row(f);
            row.insert(row.begin() + 3, f.state);
            row.push_back(f.result);
            writer->row(row);
        });
    writer->end();
}

void run_done(Context& ctx, FollowupOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    if (!o.outcome) {
        if (!ctx.can_prompt())
            throw UsageError(
                "--outcome: missing (refused, absent, contact, interest, intent or order)");
        o.outcome = ctx.prompt("Outcome (refused/absent/contact/interest/intent/order)", "contact");
    }
    if (o.next_channel && !o.next) throw UsageError("--next-channel needs --next DATE");
    workflows::Completion input{.outcome = vocab::parse("outcome", *o.outcome, vocab::outcomes),
                                .result = o.result,
                                .next_channel = o.next_channel};
    if (o.at) input.at = text::parse_past_instant(*o.at, s.clock.now(), s.zone, "--at");
    if (o.next) input.next = text::parse_coming_day(*o.next, s.today(), "--next");
    auto done = s.store.write([&] {
        auto f = followups::require(s, o.id, s.today());
        return workflows::complete_followup(s, me, f, input);
    });
    std::string message =
        fmt::format("follow-up #{} done: logged as visit #{}", o.id, done.visit_id);
    if (done.next_followup_id)
        message += fmt::format("; next follow-up #{} due {}", *done.next_followup_id,
                               text::format_day(*input.next));
    ctx.note(message);
}

void run_drop(Context& ctx, const FollowupOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    s.store.write([&] {
        auto f = followups::require(s, o.id, s.today());
        followups::drop(s, me, f, o.why);
    });
    ctx.note(fmt::format("follow-up #{} dropped", o.id));
}

void run_stale(Context& ctx, const FollowupOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    std::int64_t days = o.days.value_or(ctx.config().stale_days);
    text::Day today = s.today();
    auto owner = scope(ctx, o);
    if (o.due && !o.create) throw UsageError("--due goes with --create");
    if (!o.create) {
        auto writer = ctx.row_writer();
        writer->begin({{"customer_id", true},
                       {"customer", false, 24},
                       {"owner"},
                       {"status"},
                       {"best_outcome"},
                       {"since"},
                       {"days", true},
                       {"last_visit"},
                       {"suggest"},
                       {"contact"},
                       {"reach"}});
        for (auto& p : stale::find(s, today, days, owner))
            writer->row({cell(p.customer_id), p.customer, p.owner, p.status, p.best_outcome,
                         p.since_day, cell(p.days), p.last_visit_day, p.channel, p.contact,
                         p.reach});
        writer->end();
        return;
    }
    text::Day due = o.due ? text::parse_coming_day(*o.due, s.today(), "--due") : today;
    auto created = s.store.write([&] {
        std::vector<std::pair<std::int64_t, std::string>> made;
        for (auto& p : stale::find(s, today, days, owner)) {
            auto id = followups::add(
                s, me,
                {.customer_id = p.customer_id,
                 .rep_id = p.owner_id.value_or(me.id),
                 .due = due,
                 .channel = p.channel,
                 .note = fmt::format("no progress since {} ({})", p.since_day, p.best_outcome)});
            made.emplace_back(id, p.customer);
        }
        return made;
    });
    auto writer = ctx.row_writer();
    writer->begin({{"id", true}, {"customer"}, {"due"}});
    for (auto& [id, customer] : created) writer->row({cell(id), customer, text::format_day(due)});
    writer->end();
    ctx.note(fmt::format("{} follow-up(s) created, due {}", created.size(), text::format_day(due)));
}

void add_scope_options(CLI::App* cmd, FollowupOptions& o) {
    cmd->add_flag("--all", o.all, "Everyone's, not only yours (manager or leader)");
    cmd->add_option("--rep", o.rep, "This rep's (manager or leader, unless it is you)");
}

}  // namespace

void setup_followup(CLI::App& app, Context& ctx) {
    auto* group =
        app.add_subcommand("followup", "Follow-ups: calls, emails and revisits owed to prospects");
    group->require_subcommand(1);

    auto add = std::make_shared<FollowupOptions>();
    auto* cmd = group->add_subcommand("add", "Plan a follow-up");
    cmd->add_option("customer", add->customer, "Customer id, name or unique part")->required();
    cmd->add_option("--due", add->due, "When: tomorrow, +3d, fri, 2026-12-01")->required();
    cmd->add_option("--channel", add->channel, "phone (default), email or visit");
    cmd->add_option("--reason", add->reason,
                    "progress (default), collection, negotiation or after-sales");
    cmd->add_option("--note", add->note, "What it is about");
    cmd->add_option("--rep", add->rep, "Whose it is (default you; others: manager or leader)");
    cmd->footer("Example:\n  fieldbook followup add 蓝海 --due +3d --channel phone --note 报价");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto due = std::make_shared<FollowupOptions>();
    cmd =
        group->add_subcommand("due", "Open follow-ups due on or before a day, most overdue first");
    cmd->add_option("--on", due->on, "The day (default today)");
    add_scope_options(cmd, *due);
    cmd->footer(
        "After the follow-ups, \"reorder expected\" lines (no id) show the products the\n"
        "customers you own are expected to reorder within three days of the day, or are\n"
        "overdue and not reordered: derived from their order history (see `fieldbook report\n"
        "reorders`), not stored follow-ups; nothing closes them but the next order.");
    cmd->callback([&ctx, due] { run_due(ctx, *due); });

    auto done = std::make_shared<FollowupOptions>();
    cmd = group->add_subcommand("done", "Log the call, email or visit and close the follow-up");
    cmd->add_option("id", done->id, "Follow-up id (from followup due)")->required();
    cmd->add_option("--outcome", done->outcome,
                    "refused, absent, contact, interest, intent or order");
    cmd->add_option("--result", done->result, "What came of it (the visit's note)");
    cmd->add_option("--at", done->at, "When it happened (default now)");
    cmd->add_option("--next", done->next, "Schedule the next follow-up on this day");
    cmd->add_option("--next-channel", done->next_channel,
                    "Channel of the next one (default the same; needs --next)");
    cmd->footer(
        "The contact is logged as one visit of kind phone, email or revisit (by the\n"
        "follow-up's channel) with the follow-up's contact; the next follow-up stays with\n"
        "the same rep. A follow-up is closed by its rep, a manager or a leader.\n\n"
        "Example:\n  fieldbook followup done 12 --outcome interest --result 要报价 --next +7d");
    cmd->callback([&ctx, done] { run_done(ctx, *done); });

    auto drop = std::make_shared<FollowupOptions>();
    cmd = group->add_subcommand("drop", "Cancel a follow-up that is no longer wanted");
    cmd->add_option("id", drop->id, "Follow-up id")->required();
    cmd->add_option("--reason", drop->why, "Why");
    cmd->footer("A follow-up is dropped by its rep, a manager or a leader.");
    cmd->callback([&ctx, drop] { run_drop(ctx, *drop); });

    auto stale = std::make_shared<FollowupOptions>();
    cmd =
        group->add_subcommand("stale", "Prospects with no progress for N days and nothing planned");
    cmd->add_option("--days", stale->days, "Days without progress (default: config stale_days, 7)")
        ->transform(whole_number(1));
    cmd->add_flag("--create", stale->create,
                  "Create a follow-up for each, by the cheapest channel, in one go");
    cmd->add_option("--due", stale->due, "With --create: when they are due (default today)");
    add_scope_options(cmd, *stale);
    cmd->footer(
        "The suggested channel is the cheapest that can reach someone: phone if a number "
        "is known,\nelse email, else a revisit.");
    cmd->callback([&ctx, stale] { run_stale(ctx, *stale); });

    auto list = std::make_shared<FollowupOptions>();
    cmd = group->add_subcommand("list", "Follow-ups by due day, whatever their date");
    cmd->add_option("--state", list->state, "open (default), done, dropped or all");
    cmd->add_option("--customer", list->customer, "Only this customer");
    add_scope_options(cmd, *list);
    cmd->callback([&ctx, list] { run_list(ctx, *list); });
}

}  // namespace fieldbook::app
