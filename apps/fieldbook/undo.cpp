// fieldbook undo: revert a command, as a new command (so undoing the undo redoes it).
#include <fmt/format.h>

#include "change_rows.hpp"
#include "commands.hpp"
#include "domain/undo.hpp"
#include "errors.hpp"
#include "output.hpp"

namespace fieldbook::app {
namespace {

struct UndoOptions {
    std::optional<std::int64_t> command;
    bool dry_run = false;
};

// What the undo writes, as `log` would show it once written.
command_log::Command preview(const undo::Plan& plan, const std::string& actor,
                             const std::string& now_utc) {
    command_log::Command c{.id = 0, .actor = actor, .argv = {"fieldbook", "undo"}};
    c.at_utc = now_utc;
    for (const auto& step : plan.steps) {
        command_log::Operation op = step.op;
        if (step.action == "tombstone") {
            op.kind = "tombstone";
            op.old_values = {{"deleted_at", store::Value{}}};
            op.new_values = {{"deleted_at", std::string("(now)")}};
        } else {
            op.kind = "update";
            std::swap(op.old_values, op.new_values);
            if (step.action == "restore") op.new_values = {{"deleted_at", store::Value{}}};
        }
        c.operations.push_back(std::move(op));
    }
    return c;
}

void run_undo(Context& ctx, const UndoOptions& o) {
    Session& s = ctx.session();
    reps::Rep me = ctx.actor();
    if (o.dry_run) {
        // Applied and rolled back: every check a real undo meets (who may change what, the
        // store's constraints) is met here too, and nothing stays written.
        std::optional<undo::Plan> plan;
        s.store.write_if([&] {
            plan = undo::plan(s, s.tx(), me, o.command);
            s.author.undoes = plan->target.uuid;
            undo::apply(s, s.tx(), *plan);
            return false;
        });
        auto writer = ctx.row_writer();
        writer->begin(change_columns());
        write_change_rows(*writer, preview(*plan, me.handle, s.now_utc()), s.zone);
        writer->end();
        ctx.note(fmt::format("would undo command #{} ({} change{}); nothing written",
                             plan->target.id, plan->steps.size(),
                             plan->steps.size() == 1 ? "" : "s"));
        return;
    }
    auto plan = s.store.write([&] {
        auto found = undo::plan(s, s.tx(), me, o.command);
        s.author.undoes = found.target.uuid;
        undo::apply(s, s.tx(), found);
        return found;
    });
    ctx.note(fmt::format("undid command #{} ({} change{}); `fieldbook undo` again redoes it",
                         plan.target.id, plan.steps.size(), plan.steps.size() == 1 ? "" : "s"));
}

}  // namespace

void setup_undo(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<UndoOptions>();
    auto* cmd = app.add_subcommand(
        "undo", "Revert your last command not yet undone, or command N from `fieldbook log`");
    cmd->add_option("command", o->command, "The command's id, as `fieldbook log` shows it")
        ->type_name("N");
    cmd->add_flag("-n,--dry-run", o->dry_run, "Show what would change and write nothing");
    cmd->footer(
        "The undo is a command of its own, logged like any other: undoing it redoes. It is "
        "refused when a later command changed one of the same records, or when a record lies "
        "on a day whose meeting is closed.\n"
        "Examples:\n"
        "  fieldbook undo --dry-run\n"
        "  fieldbook undo\n"
        "  fieldbook undo 42");
    cmd->callback([&ctx, o] { run_undo(ctx, *o); });
}

}  // namespace fieldbook::app
