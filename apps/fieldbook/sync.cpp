// fieldbook sync: send this laptop's changes to the team server and bring back the team's.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/write_rule.hpp"
#include "errors.hpp"
#include "store/location.hpp"
#include "store/sync/sync.hpp"

namespace fieldbook::app {
namespace {

struct SyncOptions {
    std::string to;
    bool status = false;
    bool conflicts = false;
    bool quarantine = false;
};

void show_status(Context& ctx, store::sync::Side laptop) {
    auto s = store::sync::status(laptop);
    auto writer = ctx.row_writer();
    writer->begin({{"what"}, {"value", false, 80}});
    auto line = [&](const char* what, std::optional<std::string> value) {
        writer->row({what, std::move(value)});
    };
    line("server", s.server);
    line("last_sync", s.last_sync);
    line("waiting_operations", std::to_string(s.waiting_operations));
    line("waiting_commands", std::to_string(s.waiting_commands));
    line("conflicts", std::to_string(s.conflicts));
    line("quarantined", std::to_string(s.quarantined));
    line("device", s.device);
    writer->end();
}

void show_conflicts(Context& ctx, store::sync::Side laptop) {
    auto writer = ctx.row_writer();
    writer->begin({{"at"},
                   {"record"},
                   {"field"},
                   {"kept"},
                   {"lost"},
                   {"kept_device", false, 12},
                   {"lost_device", false, 12}});
    for (const auto& c : store::sync::conflicts(laptop))
        writer->row({c.at_utc, c.table + ":" + c.record_uuid, c.field, c.kept_value, c.lost_value,
                     c.kept_device, c.lost_device});
    writer->end();
}

void show_quarantine(Context& ctx, store::sync::Side laptop) {
    auto writer = ctx.row_writer();
    writer->begin({{"at"},
                   {"direction"},
                   {"command"},
                   {"record"},
                   {"op"},
                   {"values", false, 60},
                   {"reason", false, 80}});
    for (const auto& q : store::sync::quarantine(laptop))
        writer->row({q.at_utc, q.direction, q.command_uuid, q.table + ":" + q.record_uuid, q.kind,
                     q.values, q.reason});
    writer->end();
}

void run_sync(Context& ctx, const SyncOptions& o) {
    if (store::is_server_url(ctx.db_path().string()))
        throw UsageError("sync runs on a laptop's store file, not on the server",
                         "pass --db FILE (the laptop's store) and --to postgresql://…");
    Session& s = ctx.session();
    store::sync::Side laptop{s.store, s.tx()};
    if (o.status) return show_status(ctx, laptop);
    if (o.conflicts) return show_conflicts(ctx, laptop);
    if (o.quarantine) return show_quarantine(ctx, laptop);

    std::string url = o.to;
    if (url.empty()) url = s.store.read([&] { return s.store.meta("sync.server").value_or(""); });
    if (url.empty())
        throw UsageError("sync: which server? pass --to postgresql://HANDLE@HOST/DB",
                         "the server is remembered after the first sync");
    if (!store::is_server_url(url))
        throw UsageError(fmt::format("--to: {} is not a server URL", url),
                         "a team server is postgresql://HANDLE@HOST/DB");
    auto server = store::Store::open_server(url, {.lock_timeout_ms = ctx.lock_timeout_ms()});
    Session remote{server, s.clock, s.uuids, s.zone, s.author};
    auto login = server.login_role();
    auto rep = login ? server.read([&] { return reps::find(remote, *login); }) : std::nullopt;
    if (!rep)
        throw UsageError(fmt::format("{}: the login {} is no rep on this server",
                                     store::redacted(url), login.value_or("?")),
                         "the server's owner adds one: fieldbook server add-rep HANDLE --name N");
    remote.author.actor = rep->handle;
    remote.tx().guard_with(write_rule::for_actor(*rep));
    s.author.actor = rep->handle;

    auto report = store::sync::run(laptop, {server, remote.tx()}, rep->handle, store::redacted(url),
                                   s.clock, s.uuids);
    ctx.note(fmt::format("pushed {} operations, pulled {}", report.pushed, report.pulled));
    if (report.pushed_before > 0)
        ctx.note(
            fmt::format("{} operations were on the server already (an earlier sync was cut "
                        "off); none was applied twice",
                        report.pushed_before));
    if (report.conflicts > 0)
        ctx.note(
            fmt::format("{} conflicting edits: see fieldbook sync --conflicts", report.conflicts));
    if (report.quarantined > 0) {
        // The first few reasons: a day refused whole would otherwise bury the terminal.
        constexpr std::size_t kShown = 10;
        for (std::size_t i = 0; i < report.refusals.size() && i < kShown; ++i)
            ctx.note("refused: " + report.refusals[i]);
        if (report.refusals.size() > kShown)
            ctx.note(fmt::format("... and {} more commands", report.refusals.size() - kShown));
        throw Error(fmt::format("{} operations were refused and quarantined", report.quarantined),
                    "see fieldbook sync --quarantine");
    }
}

}  // namespace

void setup_sync(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<SyncOptions>();
    auto* cmd = app.add_subcommand(
        "sync", "Send this laptop's changes to the team server and bring the team's back");
    cmd->add_option("--to", o->to,
                    "The team server, postgresql://HANDLE@HOST/DB (remembered after the first "
                    "sync, without any password)");
    auto* status =
        cmd->add_flag("--status", o->status, "Say what waits to go up, and when the last sync was");
    auto* conflicts = cmd->add_flag("--conflicts", o->conflicts,
                                    "List edits of one field made on two devices, and which stood");
    auto* quarantine = cmd->add_flag("--quarantine", o->quarantine,
                                     "List changes a store refused, with the reason");
    status->excludes(conflicts, quarantine);
    conflicts->excludes(quarantine);
    cmd->footer(
        "Works offline: record as usual on the laptop's store, then sync when connected. Each "
        "change is applied once on the server, however often a cut-off sync is repeated; of two "
        "edits of one field the later stands (the loser is listed by --conflicts); a deletion "
        "beats an edit; a change the server refuses is kept here (--quarantine) and the sync "
        "exits 1.\n"
        "Examples:\n"
        "  fieldbook sync --to postgresql://lina@team.example.com/team\n"
        "  fieldbook sync\n"
        "  fieldbook sync --status\n"
        "  fieldbook sync --conflicts --format csv");
    cmd->callback([&ctx, o] { run_sync(ctx, *o); });
}

}  // namespace fieldbook::app
