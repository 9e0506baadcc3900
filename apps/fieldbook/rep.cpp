// fieldbook rep: the team.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/reps.hpp"
#include "domain/team.hpp"
#include "errors.hpp"
#include "output.hpp"
#include "store/team_server.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct RepOptions {
    std::string handle;
    std::optional<std::string> name, role, phone, email;
    bool all = false;
    bool activate = false;
    bool deactivate = false;
};

std::vector<render::Column> rep_columns() {
    return {{"id", true}, {"handle"}, {"name"}, {"role"}, {"active"}, {"phone"}, {"email"}};
}

render::Row rep_row(const reps::Rep& r) {
    return {cell(r.id), r.handle, r.name, r.role, cell(r.active), r.phone, r.email};
}

void run_add(Context& ctx, const RepOptions& o) {
    if (!o.name) throw UsageError("--name: missing (the rep's full name)");
    Session& s = ctx.session();
    // A rep on a server is someone who logs in: their login role comes with them.
    if (store::is_team_server(s.store))
        throw UsageError("rep add: on a team server a rep needs a login as well",
                         "ask the database's owner to run: fieldbook server add-rep " + o.handle +
                             " --name NAME");
    auto me = ctx.actor_if_team();
    auto rep = s.store.write([&] {
        return reps::add(s, me,
                         {.handle = o.handle,
                          .name = *o.name,
                          .role = o.role.value_or("rep"),
                          .phone = o.phone,
                          .email = o.email});
    });
    ctx.note(fmt::format("added rep {} ({}, {})", rep.handle, rep.name, rep.role));
}

void run_list(Context& ctx, const RepOptions& o) {
    Session& s = ctx.session();
    auto writer = ctx.row_writer();
    writer->begin(rep_columns());
    for (auto& r : reps::list(s, o.all)) writer->row(rep_row(r));
    writer->end();
}

void run_edit(Context& ctx, const RepOptions& o) {
    if (o.activate && o.deactivate) throw UsageError("--active and --inactive exclude each other");
    reps::RepChanges changes{.name = o.name, .role = o.role, .phone = o.phone, .email = o.email};
    if (o.activate) changes.active = true;
    if (o.deactivate) changes.active = false;
    if (!changes.name && !changes.role && !changes.phone && !changes.email && !changes.active)
        throw UsageError(
            "nothing to change: give --name, --role, --phone, --email, --active or --inactive");
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto rep = s.store.write([&] { return reps::edit(s, me, o.handle, changes); });
    ctx.note(fmt::format("updated rep {}", rep.handle));
}

render::Cell local(const std::optional<std::string>& utc, const text::TimeZone& zone) {
    if (!utc) return std::nullopt;
    return text::format_local_time(text::parse_iso_instant(*utc, zone, "stored time"), zone);
}

struct TeamOptions {
    std::string handle;
    std::string text;
    std::string id;
    std::optional<std::string> kind, due, rep;
    bool open = false;
};

void run_task_add(Context& ctx, const TeamOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    reps::Rep rep = reps::require(s, o.handle, "handle");
    std::optional<text::Day> due;
    if (o.due) due = text::parse_coming_day(*o.due, s.today(), "--due");
    auto id = s.store.write([&] { return team::add_task(s, me, rep, o.text, due); });
    ctx.note(fmt::format("task #{} for {}", id, rep.handle));
}

void run_task_done(Context& ctx, const TeamOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    auto task = s.store.write([&] { return team::complete_task(s, me, o.id); });
    ctx.note(fmt::format("task #{} of {} done", task.id, task.rep));
}

void run_task_list(Context& ctx, const TeamOptions& o) {
    Session& s = ctx.session();
    std::optional<std::int64_t> rep_id;
    if (o.rep) rep_id = reps::require(s, *o.rep, "--rep").id;
    auto writer = ctx.row_writer();
    writer->begin(
        {{"id", true}, {"rep"}, {"task", false, 50}, {"due"}, {"done_at"}, {"assigned_by"}});
    team::list_tasks(s, rep_id, o.open, [&](const team::Task& t) {
        writer->row(
            {cell(t.id), t.rep, t.text, t.due_day, local(t.done_at, s.zone), t.assigned_by});
    });
    writer->end();
}

void run_note(Context& ctx, const TeamOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    reps::Rep rep = reps::require(s, o.handle, "handle");
    if (!o.kind) throw UsageError("--kind: missing (commend, coach or warn)");
    auto noted = s.store.write([&] { return team::add_note(s, me, rep, *o.kind, o.text); });
    ctx.note(fmt::format("note #{} on {}", noted.id, rep.handle));
    if (noted.warnings >= team::kWarningsBeforeEscalation)
        ctx.err << fmt::format(
            "reminder: this is warning {} for {}; the plan takes the matter to leadership from "
            "the third warning on\n",
            noted.warnings, rep.handle);
}

void run_notes(Context& ctx, const TeamOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    std::optional<std::int64_t> rep_id;
    if (!o.handle.empty())
        rep_id = reps::require(s, o.handle, "handle").id;
    else if (me.role == "rep")
        rep_id = me.id;
    // Notes on conduct are for the managers and leaders, and for the rep they are about.
    if (me.role == "rep" && rep_id != me.id)
        throw UsageError(
            fmt::format("rep notes: a rep reads only their own ({} is a rep)", me.handle));
    auto writer = ctx.row_writer();
    writer->begin(
        {{"id", true}, {"rep"}, {"kind"}, {"text", false, 60}, {"author"}, {"created_at"}});
    team::list_notes(s, rep_id, [&](const team::Note& n) {
        writer->row({cell(n.id), n.rep, n.kind, n.text, n.author, local(n.created_at, s.zone)});
    });
    writer->end();
}

}  // namespace

void setup_rep(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("rep", "The team: reps, managers and leaders");
    group->require_subcommand(1);

    auto add = std::make_shared<RepOptions>();
    auto* cmd = group->add_subcommand(
        "add", "Register a rep (a manager or leader; in a new team, its first rep)");
    cmd->add_option("handle", add->handle, "Short login-like name, e.g. lina")->required();
    cmd->add_option("--name", add->name, "Full name, e.g. 李娜");
    cmd->add_option("--role", add->role, "rep (default), manager or leader");
    cmd->add_option("--phone", add->phone, "Phone number");
    cmd->add_option("--email", add->email, "Email address");
    cmd->footer("Example:\n  fieldbook rep add lina --name 李娜 --phone 13800001234");
    cmd->callback([&ctx, add] { run_add(ctx, *add); });

    auto list = std::make_shared<RepOptions>();
    cmd = group->add_subcommand("list", "List the team");
    cmd->add_flag("--all", list->all, "Include inactive reps");
    cmd->callback([&ctx, list] { run_list(ctx, *list); });

    auto edit = std::make_shared<RepOptions>();
    cmd = group->add_subcommand("edit", "Change a rep's name, role, phone, email or activity");
    cmd->add_option("handle", edit->handle, "The rep's handle")->required();
    cmd->add_option("--name", edit->name, "New full name");
    cmd->add_option("--role", edit->role, "rep, manager or leader");
    cmd->add_option("--phone", edit->phone, "Phone number");
    cmd->add_option("--email", edit->email, "Email address");
    cmd->add_flag("--active", edit->activate, "Mark active again");
    cmd->add_flag("--inactive", edit->deactivate, "Mark as having left the team (kept in history)");
    cmd->footer(
        "A rep changes their own name, phone and email; a manager or leader changes anyone's,\n"
        "and alone changes roles and who is active.");
    cmd->callback([&ctx, edit] { run_edit(ctx, *edit); });

    auto* task = group->add_subcommand("task", "Learning assignments for reps");
    task->require_subcommand(1);
    auto task_add = std::make_shared<TeamOptions>();
    cmd = task->add_subcommand("add", "Assign a task (manager or leader)");
    cmd->add_option("handle", task_add->handle, "The rep")->required();
    cmd->add_option("text", task_add->text, "What to learn or do, e.g. 熟悉硒鼓型号对照表")
        ->required();
    cmd->add_option("--due", task_add->due, "By when");
    cmd->callback([&ctx, task_add] { run_task_add(ctx, *task_add); });
    auto task_done = std::make_shared<TeamOptions>();
    cmd = task->add_subcommand("done", "Mark a task done (its rep, a manager or a leader)");
    cmd->add_option("id", task_done->id, "Task id")->required();
    cmd->callback([&ctx, task_done] { run_task_done(ctx, *task_done); });
    auto task_list = std::make_shared<TeamOptions>();
    cmd = task->add_subcommand("list", "List tasks, open first");
    cmd->add_option("--rep", task_list->rep, "Only this rep's");
    cmd->add_flag("--open", task_list->open, "Only those not done");
    cmd->callback([&ctx, task_list] { run_task_list(ctx, *task_list); });

    auto note = std::make_shared<TeamOptions>();
    cmd = group->add_subcommand("note", "Record a commendation, coaching or a warning (manager)");
    cmd->add_option("handle", note->handle, "The rep")->required();
    cmd->add_option("text", note->text, "What happened")->required();
    cmd->add_option("--kind", note->kind, "commend, coach or warn");
    cmd->footer("From the third warning on, a reminder says the matter goes to leadership.");
    cmd->callback([&ctx, note] { run_note(ctx, *note); });

    auto notes = std::make_shared<TeamOptions>();
    cmd = group->add_subcommand("notes", "List the notes on a rep");
    cmd->add_option("handle", notes->handle,
                    "The rep (default: all for a manager or leader, yourself for a rep)");
    cmd->callback([&ctx, notes] { run_notes(ctx, *notes); });
}

}  // namespace fieldbook::app
