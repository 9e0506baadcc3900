// fieldbook log: the commands run against the store and what each changed.
#include <fmt/format.h>

#include "change_rows.hpp"
#include "commands.hpp"
#include "domain/command_log.hpp"
#include "errors.hpp"
#include "text/dates.hpp"

namespace fieldbook::app {
namespace {

struct LogOptions {
    std::optional<std::string> rep, since, until, record;
    bool all = false;
};

bool may_see_everyone(const reps::Rep& rep) {
    return rep.role == "manager" || rep.role == "leader";
}

// A rep reads their own commands; a manager or leader anyone's, and everyone's by default.
std::optional<std::string> whose(Context& ctx, const LogOptions& o) {
    auto me = ctx.actor_if_team();
    if (o.rep) {
        if (me && *o.rep != me->handle && !may_see_everyone(*me))
            throw UsageError(
                fmt::format("--rep: only a manager or leader reads another rep's "
                            "commands ({} is a {})",
                            me->handle, me->role));
        return *o.rep;
    }
    if (!me || may_see_everyone(*me)) return std::nullopt;
    return me->handle;
}

void run_log(Context& ctx, const LogOptions& o) {
    Session& s = ctx.session();
    command_log::Filter filter{.actor = whose(ctx, o)};
    auto period = text::parse_period(o.since, o.until, s.today());
    filter.since = period.since;
    filter.until = period.until;
    auto writer = ctx.row_writer();
    s.store.read([&](store::Tx& tx) {
        if (o.record) filter.record = command_log::resolve_record(s, tx, *o.record, "--record");
        writer->begin(change_columns());
        command_log::each(s, tx, filter, [&](const command_log::Command& c) {
            write_change_rows(*writer, c, s.zone);
        });
    });
    writer->end();
}

}  // namespace

void setup_log(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<LogOptions>();
    auto* cmd = app.add_subcommand(
        "log", "The commands run against the store, newest first, with what each changed");
    cmd->add_option("--rep", o->rep,
                    "Only this rep's commands (a rep reads their own; a manager or leader "
                    "anyone's)");
    cmd->add_option("--since", o->since, "From this day on (inclusive)");
    cmd->add_option("--until", o->until, "Up to this day (inclusive)");
    cmd->add_option("--record", o->record,
                    "Only changes to this record: TABLE:ID (visit:12, customer:3, order:5) or "
                    "its UUID");
    cmd->footer(
        "One row per changed field: command id, time, rep, command line, record, op (insert, "
        "update, tombstone), field, old and new value, and the command that undid it.\n"
        "Examples:\n"
        "  fieldbook log --since today\n"
        "  fieldbook log --record visit:12 --format json\n"
        "  fieldbook undo 42          # revert command 42");
    cmd->callback([&ctx, o] { run_log(ctx, *o); });
}

}  // namespace fieldbook::app
