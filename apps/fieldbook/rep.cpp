// fieldbook rep: the team.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"
#include "output.hpp"

namespace fieldbook::app {
namespace {

struct RepOptions {
    std::string handle;
    std::optional<std::string> name, role, phone, email;
    bool all = false;
    bool activate = false;
    bool deactivate = false;
};

std::vector<text::Column> rep_columns() {
    return {{"id", true}, {"handle"}, {"name"}, {"role"}, {"active"}, {"phone"}, {"email"}};
}

text::Row rep_row(const reps::Rep& r) {
    return {cell(r.id), r.handle, r.name, r.role, cell(r.active), r.phone, r.email};
}

void run_add(Context& ctx, const RepOptions& o) {
    if (!o.name) throw UsageError("--name: missing (the rep's full name)");
    Session& s = ctx.session();
    auto rep = s.store.write([&] {
        return reps::add(s, {.handle = o.handle,
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
    auto rep = s.store.write([&] { return reps::edit(s, o.handle, changes); });
    ctx.note(fmt::format("updated rep {}", rep.handle));
}

}  // namespace

void setup_rep(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("rep", "The team: reps, managers and leaders");
    group->require_subcommand(1);

    auto add = std::make_shared<RepOptions>();
    auto* cmd = group->add_subcommand("add", "Register a rep");
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
    cmd->callback([&ctx, edit] { run_edit(ctx, *edit); });
}

}  // namespace fieldbook::app
