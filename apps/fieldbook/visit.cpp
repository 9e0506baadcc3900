// fieldbook visit: log, browse, correct and find visits.
#include <fmt/format.h>

#include "change_rows.hpp"
#include "commands.hpp"
#include "domain/customers.hpp"
#include "domain/visits.hpp"
#include "domain/vocabulary.hpp"
#include "domain/workflows/delete_visit.hpp"
#include "domain/workflows/log_visit.hpp"
#include "domain/workflows/move_visit.hpp"
#include "errors.hpp"
#include "lookalike.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "templates.hpp"
#include "text/dates.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {
namespace {

// Flags as typed; dates are parsed once the store (and so the team's time zone) is open.
struct VisitOptions {
    std::string id;
    std::optional<std::string> customer;
    std::optional<std::string> building, floor, room, industry;
    std::optional<std::string> at, next;
    std::optional<std::string> next_channel;
    bool force_new = false;
    bool keep_followup = false;
    visits::VisitFields fields;
    bool card = false;
    bool history = false;

    // list / search
    std::optional<std::string> rep, on, since, until, outcome, search;
    std::optional<std::int64_t> limit;
};

// The fields a visit records; `adding` words the defaults, editing leaves absent ones alone.
void add_detail_options(CLI::App* cmd, VisitOptions& o, bool adding) {
    auto& f = o.fields;
    cmd->add_option("--outcome", f.outcome, "refused, absent, contact, interest, intent or order");
    cmd->add_option("--kind", f.kind,
                    std::string("initial, revisit, phone, email, negotiation or after-sales") +
                        (adding ? " (default: initial for a first visit, else revisit)" : ""));
    cmd->add_option("--contact", f.contact, "Name of the person met, e.g. 王芳");
    cmd->add_option("--role", f.contact_role,
                    "Their role: gatekeeper, purchaser, decision-maker, inside or other");
    cmd->add_option("--title", f.contact_title, "Their job title, e.g. 行政主管");
    cmd->add_option("--phone", f.phone, "Their phone number");
    cmd->add_option("--email", f.email, "Their email address");
    cmd->add_flag("--card", o.card, "A business card was obtained");
    cmd->add_option("--headcount", f.headcount, "Staff seen or told")->transform(whole_number(0));
    cmd->add_option("--office-size", f.office_size, "Office size, e.g. 约300平方米");
    cmd->add_option("--brands", f.brands, "Supply brands in use, e.g. 得力, 晨光");
    cmd->add_option("--usage", f.usage, "Supplies and quantities, e.g. A4纸每月20箱");
    cmd->add_option("--note", f.note, "What was learned");
    cmd->add_option("--went-well", f.went_well, "What went well");
    cmd->add_option("--improve", f.improve, "What to do better");
    cmd->add_option("--tool-feedback", f.tool_feedback,
                    "Feedback on the opening script or catalog");
    cmd->add_option("--script", f.script,
                    "Name of the opening script used (see `fieldbook visit script`)");
    cmd->add_option("--at", o.at,
                    std::string("When: 'YYYY-MM-DD HH:MM', HH:MM, yesterday, ...") +
                        (adding ? " (default now)" : ""));
}

void add_filter_options(CLI::App* cmd, VisitOptions& o) {
    cmd->add_option("--rep", o.rep, "Only this rep's visits (handle)");
    cmd->add_option("--customer", o.customer, "Only this customer (id, name or unique part)");
    cmd->add_option("--building", o.building, "Only in this building");
    cmd->add_option("--on", o.on, "Only this day: today, yesterday, mon, 2026-11-26, ...");
    cmd->add_option("--since", o.since, "From this day on (inclusive)");
    cmd->add_option("--until", o.until, "Up to this day (inclusive)");
    cmd->add_option("--outcome", o.outcome, "Only this outcome");
    cmd->add_option("--limit", o.limit, "At most this many rows")->transform(whole_number(1));
}

std::vector<render::Column> list_columns() {
    return {{"id", true},
            {"day"},
            {"time"},
            {"rep"},
            {"customer", false, 24},
            {"building", false, 16},
            {"floor"},
            {"room"},
            {"contact"},
            {"contact_role"},
            {"kind"},
            {"outcome"},
            {"next_due"},
            {"note", false, 30}};
}

std::string local_clock(const std::string& at_utc, const text::TimeZone& zone) {
    return text::format_local_clock(text::parse_iso_instant(at_utc, zone, "stored time"), zone);
}

render::Row list_row(const visits::Visit& v, const text::TimeZone& zone) {
    return {cell(v.id),     v.day,      local_clock(v.at_utc, zone),
            v.rep,          v.customer, v.building,
            v.floor,        v.room,     v.contact,
            v.contact_role, v.kind,     v.outcome,
            v.next_due,     v.note};
}

std::vector<Field> record(const visits::Visit& v, const text::TimeZone& zone) {
    return {{{"id", true}, cell(v.id)},
            {{"uuid"}, v.uuid},
            {{"day"}, v.day},
            {{"time"}, local_clock(v.at_utc, zone)},
            {{"at_utc"}, v.at_utc},
            {{"rep"}, v.rep},
            {{"customer"}, v.customer},
            {{"customer_id", true}, cell(v.customer_id)},
            {{"building"}, v.building},
            {{"floor"}, v.floor},
            {{"room"}, v.room},
            {{"contact"}, v.contact},
            {{"contact_role"}, v.contact_role},
            {{"contact_phone"}, v.contact_phone},
            {{"contact_email"}, v.contact_email},
            {{"card"}, v.contact ? cell(v.card) : render::Cell{}},
            {{"kind"}, v.kind},
            {{"outcome"}, v.outcome},
            {{"headcount", true}, cell(v.headcount)},
            {{"office_size"}, v.office_size},
            {{"brands"}, v.brands},
            {{"usage"}, v.usage},
            {{"note"}, v.note},
            {{"went_well"}, v.went_well},
            {{"improve"}, v.improve},
            {{"tool_feedback"}, v.tool_feedback},
            {{"script"}, v.script},
            {{"next_due"}, v.next_due},
            {{"next_channel"}, v.next_channel},
            {{"created_at"}, v.created_at},
            {{"updated_at"}, v.updated_at}};
}

std::string summary(const visits::Visit& v, const text::TimeZone& zone) {
    std::string line = fmt::format("visit #{} logged: {} {} — {}", v.id, v.day,
                                   local_clock(v.at_utc, zone), v.customer);
    if (v.contact && !v.contact->empty())
        line += fmt::format(", met {}", *v.contact);
    else if (v.contact)  // unnamed: a reception desk's number or address
        line += fmt::format(", reached {}", v.contact_phone.value_or(v.contact_email.value_or("")));
    line += fmt::format(", {}", v.outcome);
    if (v.next_due)
        line += fmt::format("; next: {} by {}", *v.next_due, v.next_channel.value_or("phone"));
    return line;
}

// Asks for what a visit cannot do without, or says exactly what is missing.
void complete_essentials(Context& ctx, VisitOptions& o) {
    std::vector<std::string> missing;
    if (!o.customer || text::match_key(*o.customer).empty()) missing.push_back("CUSTOMER");
    if (!o.fields.outcome) missing.push_back("--outcome");
    if (missing.empty()) return;
    if (!ctx.can_prompt()) {
        std::string what;
        for (auto& m : missing) what += (what.empty() ? "" : ", ") + m;
        throw UsageError(fmt::format("visit add: missing {}", what),
                         "e.g. fieldbook visit add 蓝海数据科技 --outcome contact");
    }
    while (!o.customer || text::match_key(*o.customer).empty()) o.customer = ctx.prompt("Customer");
    if (!o.fields.outcome) {
        for (;;) {
            std::string answer =
                ctx.prompt("Outcome (refused/absent/contact/interest/intent/order)", "contact");
            try {
                o.fields.outcome = vocab::parse("outcome", answer, vocab::outcomes);
                break;
            } catch (const UsageError& e) {
                ctx.err << e.what() << '\n';  // ask again: a typo at a prompt is not fatal
            }
        }
    }
}

void run_add(Context& ctx, VisitOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    complete_essentials(ctx, o);
    if (o.card) o.fields.card = true;
    if (o.fields.script) o.fields.script = scripts::find(load_scripts(ctx), *o.fields.script).name;
    workflows::VisitLog input{.visit = {.customer = *o.customer,
                                        .building = o.building,
                                        .floor = o.floor,
                                        .room = o.room,
                                        .industry = o.industry,
                                        .fields = o.fields},
                              .next_channel = o.next_channel.value_or("phone"),
                              .keep_followups = o.keep_followup};
    if (o.next_channel && !o.next) throw UsageError("--next-channel needs --next DATE");
    if (o.at)
        input.visit.fields.at = text::parse_past_instant(*o.at, s.clock.now(), s.zone, "--at");
    if (o.next) input.next = text::parse_coming_day(*o.next, s.today(), "--next");
    auto choice =
        choose_customer(ctx, s, input.visit.customer, o.building, o.floor, o.room, o.force_new);
    input.visit.allow_duplicate = choice.create_new;
    if (choice.existing) input.visit.customer_id = choice.existing->id;
    auto added = s.store.write([&] { return workflows::log_visit(s, me, input); });
    if (added.customer_created)
        ctx.note(fmt::format("new customer #{} {}", added.visit.customer_id, added.visit.customer));
    ctx.note(summary(added.visit, s.zone));
    for (const auto& closed : added.closed_followups)
        ctx.note(fmt::format("closed follow-up #{} (due {})", closed.id, closed.due_day));
}

visits::Filter make_filter(Session& s, const VisitOptions& o) {
    visits::Filter filter{
        .rep = o.rep, .building = o.building, .outcome = o.outcome, .limit = o.limit};
    text::Day today = s.today();
    if (o.on) {
        if (o.since || o.until) throw UsageError("--on excludes --since and --until");
        filter.since = filter.until = text::parse_day(*o.on, today, text::Toward::past, "--on");
    }
    if (o.since || o.until) {
        auto [since, until] = text::parse_period(o.since, o.until, today);
        filter.since = since;
        filter.until = until;
    }
    if (o.customer) filter.customer_id = customers::resolve(s, *o.customer).id;
    return filter;
}

void print_list(Context& ctx, Session& s, const visits::Filter& filter) {
    auto writer = ctx.row_writer();
    writer->begin(list_columns());
    visits::list(s, filter, [&](const visits::Visit& v) { writer->row(list_row(v, s.zone)); });
    writer->end();
}

void run_list(Context& ctx, const VisitOptions& o) {
    Session& s = ctx.session();
    print_list(ctx, s, make_filter(s, o));
}

void run_search(Context& ctx, const VisitOptions& o) {
    Session& s = ctx.session();
    visits::Filter filter = make_filter(s, o);
    filter.search = o.search;
    print_list(ctx, s, filter);
}

void run_show(Context& ctx, const VisitOptions& o) {
    Session& s = ctx.session();
    auto visit = visits::require(s, o.id);
    // Machine formats hold one listing: with --history, the history alone.
    bool table = ctx.format() == render::Format::table;
    if (o.history && !table) return print_history(ctx, fmt::format("visit:{}", visit.id));
    print_record(ctx, record(visit, s.zone));
    if (o.history) {
        ctx.out << "\nhistory\n";
        print_history(ctx, fmt::format("visit:{}", visit.id));
    }
}

void run_edit(Context& ctx, VisitOptions& o) {
    Session& s = ctx.session();
    if (o.card) o.fields.card = true;
    if (o.fields.script) o.fields.script = scripts::find(load_scripts(ctx), *o.fields.script).name;
    if (o.at) o.fields.at = text::parse_past_instant(*o.at, s.clock.now(), s.zone, "--at");
    const auto& f = o.fields;
    bool any = f.contact || f.contact_role || f.contact_title || f.phone || f.email || f.card ||
               f.outcome || f.kind || f.headcount || f.office_size || f.brands || f.usage ||
               f.note || f.went_well || f.improve || f.tool_feedback || f.script || f.at;
    if (!any && !o.customer)
        throw UsageError("nothing to change: give at least one field, e.g. --note TEXT");
    reps::Rep me = ctx.actor();
    auto v = s.store.write([&] {
        auto target = visits::require(s, o.id);
        // Moved first, so that a contact given with it is the new customer's.
        if (o.customer)
            workflows::move_visit(s, me, target.id, customers::resolve(s, *o.customer).id);
        return visits::edit(s, me, target.id, o.fields);
    });
    if (o.customer)
        ctx.note(fmt::format("visit #{} moved to #{} {}", v.id, v.customer_id, v.customer));
    if (any) ctx.note(fmt::format("visit #{} updated", v.id));
}

void run_delete(Context& ctx, const VisitOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto v = s.store.write([&] {
        auto target = visits::require(s, o.id);
        workflows::delete_visit(s, me, target.id);
        return target;
    });
    ctx.note(fmt::format("visit #{} ({} {}) deleted: hidden from lists, kept in the store", v.id,
                         v.day, v.customer));
}

}  // namespace

void setup_visit(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("visit", "Log, browse, correct and find visits");
    group->require_subcommand(1);

    auto add = std::make_shared<VisitOptions>();
    auto* cmd = group->add_subcommand("add", "Log one visit (door, call or email)");
    cmd->add_option("customer", add->customer,
                    "Company visited (name or id); an unknown name is created on the spot");
    cmd->add_option("--building", add->building,
                    "Building (for a new customer, or one that has none yet; a known "
                    "customer's must be given as it is)");
    cmd->add_option("--floor", add->floor, "Floor (likewise)");
    cmd->add_option("--room", add->room, "Room (likewise)");
    cmd->add_option("--industry", add->industry, "Industry (likewise)");
    cmd->add_flag("--new", add->force_new,
                  "Create the customer even though it looks like an existing one");
    add_detail_options(cmd, *add, true);
    cmd->add_option("--next", add->next, "Follow up on this day: tomorrow, +3d, fri, 2026-12-01");
    cmd->add_option("--next-channel", add->next_channel,
                    "phone (default), email or visit (needs --next)");
    cmd->add_flag("--keep-followup", add->keep_followup,
                  "Leave your open progress follow-up with this customer open (by default the "
                  "visit closes it)");
    cmd->footer(
        "Missing customer or outcome are asked for on a terminal; with --no-input or without a\n"
        "terminal they must be given. --building, --floor, --room or --industry different from\n"
        "a known customer's is refused: `customer edit` moves a customer.\n"
        "The visit (or call, any --kind) answers your open progress follow-ups with the\n"
        "customer, due any day: they are closed as done by it, each said on stderr\n"
        "(--keep-followup keeps them open). Collection follow-ups stay open until paid.\n"
        "A contact may be just a number or an address (--phone or --email without --contact,\n"
        "e.g. a reception desk): it is kept as an unnamed contact with its --role.\n\n"
        "Example:\n  fieldbook visit add 蓝海数据科技有限公司 --building 天府软件园B座 --floor 12 "
        "--room 1203 \\\n    --contact 王芳 --role gatekeeper --card --outcome contact "
        "--note 留了目录 --next +3d");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto list = std::make_shared<VisitOptions>();
    cmd = group->add_subcommand("list", "List visits, newest first");
    add_filter_options(cmd, *list);
    cmd->footer("Example:\n  fieldbook visit list --on today --format csv > today.csv");
    cmd->callback([&ctx, list] { run_list(ctx, *list); });

    auto show = std::make_shared<VisitOptions>();
    cmd = group->add_subcommand("show", "Show every field of one visit");
    cmd->add_option("id", show->id, "Visit id (from visit list)")->required();
    cmd->add_flag("--history", show->history,
                  "Every logged change to the visit, newest first (as `fieldbook log` shows it)");
    cmd->callback([&ctx, show] { run_show(ctx, *show); });

    auto edit = std::make_shared<VisitOptions>();
    cmd = group->add_subcommand("edit", "Correct a visit (given fields only)");
    cmd->add_option("id", edit->id, "Visit id (from visit list)")->required();
    cmd->footer(
        "A visit is corrected by its rep, a manager or a leader.\n"
        "--customer moves a visit logged against the wrong company, with the follow-ups it\n"
        "scheduled; the contact met becomes the new company's contact of that name.\n\n"
        "Example:\n  fieldbook visit edit 12 --customer 蓝海数据科技有限公司");
    add_detail_options(cmd, *edit, false);
    cmd->add_option("--customer", edit->customer,
                    "Move the visit to this company (id, name or unique part)");
    cmd->callback([&ctx, edit] { run_edit(ctx, *edit); });

    auto del = std::make_shared<VisitOptions>();
    cmd = group->add_subcommand("delete", "Hide a visit logged by mistake (kept in the store)");
    cmd->add_option("id", del->id, "Visit id (from visit list)")->required();
    cmd->footer("A visit is deleted by its rep, a manager or a leader.");
    cmd->callback([&ctx, del] { run_delete(ctx, *del); });

    add_script_command(*group, ctx);
    add_catalog_command(*group, ctx);

    auto search = std::make_shared<VisitOptions>();
    cmd = group->add_subcommand(
        "search",
        "Find visits by any part of their text: notes, customer, contact, building, brands, ...");
    cmd->add_option("text", search->search, "Text to find, e.g. 客户 or 硒鼓 (taken literally)")
        ->required();
    add_filter_options(cmd, *search);
    cmd->callback([&ctx, search] { run_search(ctx, *search); });
}

}  // namespace fieldbook::app
