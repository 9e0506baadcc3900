// fieldbook db: where the store is, whether it is sound, a safe copy of it, and what can be
// saved from it once it is damaged.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/meetings.hpp"
#include "errors.hpp"
#include "store/backup.hpp"
#include "store/check.hpp"
#include "store/damage_mark.hpp"
#include "store/failure.hpp"
#include "store/location.hpp"
#include "store/recover.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"

namespace fieldbook::app {
namespace {

constexpr const char* kRecoverySteps =
    "copy out what can still be read with `fieldbook db recover NEWFILE`, check NEWFILE with "
    "`fieldbook --db NEWFILE db check`, then, with no other fieldbook command running, move the "
    "damaged store and its -wal and -shm files aside and NEWFILE into its place (see "
    "fieldbook-db(1)); or restore your latest backup";

Session& open_unchanged(Context& ctx) {
    try {
        return ctx.unchanged_session();
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        ctx.rethrow_store_failure();
    }
}

void run_check(Context& ctx) {
    Session* opened = nullptr;
    try {
        opened = &open_unchanged(ctx);
    } catch (const store::DamagedError& e) {
        // Not even the schema can be read: nothing below could be checked.
        throw SystemError(
            fmt::format("store {} is damaged: SQLite says \"{}\"", ctx.db_path().string(),
                        e.sqlite_says()),
            fmt::format("the store is marked damaged ({}), and write commands stop; SQLite cannot "
                        "read even the list of its tables, so `fieldbook db recover` cannot save "
                        "anything from it either: restore your latest backup (made with "
                        "`fieldbook db backup`)",
                        store::damage_mark_path(ctx.db_path()).string()));
    }
    Session& s = *opened;
    store::CheckReport report = store::check_store(s.store);
    std::vector<std::string> problems;
    for (const auto& line : report.damage) problems.push_back("damage: " + line);
    for (const auto& line : report.broken_references) problems.push_back("reference: " + line);
    const bool current = report.schema_version == store::latest_schema_version();
    // The domain's own records can be read only once the schema is current; damage stops there.
    if (report.damage.empty() && current) {
        try {
            for (const auto& a : meetings::altered_archives(s))
                problems.push_back(fmt::format(
                    "summary: the archived summary of the meeting of {} does not match its "
                    "SHA-256 (recorded {}, now {}): it was changed after it was archived",
                    a.day, a.recorded_sha256, a.actual_sha256));
        } catch (const Error&) {
            throw;
        } catch (const std::exception&) {
            s.store.rethrow_failure();
        }
    }
    if (!problems.empty()) {
        for (const auto& p : problems) ctx.err << p << '\n';
        std::string hint;
        if (!report.damage.empty())
            hint = fmt::format("the store is marked damaged ({}), and write commands stop; {}",
                               store::damage_mark_path(s.store.path()).string(), kRecoverySteps);
        else if (!report.broken_references.empty())
            hint = "rows name records that do not exist; nothing else is damaged";
        else
            hint = "compare with `fieldbook meeting show DAY`, and with your backups";
        throw SystemError(
            fmt::format("store {} has {} problem(s)", s.store.path().string(), problems.size()),
            hint);
    }
    std::string version = fmt::format("schema version {}", report.schema_version);
    if (!current)
        version += fmt::format(", upgraded to {} by the next command that opens it",
                               store::latest_schema_version());
    ctx.out << fmt::format("ok: {} ({})\n", s.store.path().string(), version);
}

void run_backup(Context& ctx, const std::string& target) {
    Session& s = ctx.session();
    store::backup_store(s.store, target);
    ctx.note(fmt::format("backed up {} to {}", s.store.path().string(), target));
}

void run_recover(Context& ctx, const std::string& target) {
    const std::filesystem::path damaged = ctx.db_path();
    store::Recovery recovery = store::recover_store(damaged, target, ctx.lock_timeout_ms());
    auto rows = ctx.row_writer();
    rows->begin({{"table"}, {"saved", true}, {"lost", true}});
    std::int64_t saved = 0, lost = 0;
    for (const auto& t : recovery.tables) {
        rows->row({t.table, t.unreadable ? "-" : std::to_string(t.saved),
                   t.unreadable ? "unreadable" : std::to_string(t.lost)});
        saved += t.saved;
        lost += t.lost;
    }
    rows->end();
    ctx.note(fmt::format(
        "recovered {} row(s) of {} into {} ({} lost); {} is left as it was.\n"
        "next: `fieldbook --db {} db check`, then, with no other fieldbook command running, "
        "move {} and its -wal and -shm files aside and {} into its place",
        saved, damaged.string(), target, lost, damaged.string(), target, damaged.string(), target));
}

}  // namespace

void setup_db(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("db", "Store maintenance: path, check, backup, recover");
    group->require_subcommand(1);
    group->add_subcommand("path", "Print the store's file path")->callback([&ctx] {
        // A server's URL without its password, if it was given one.
        ctx.out << store::redacted(ctx.db_path().string()) << '\n';
    });
    group
        ->add_subcommand("check",
                         "Verify the store: SQLite's integrity check, references between "
                         "records, archived meeting summaries")
        ->callback([&ctx] { run_check(ctx); });
    auto target = std::make_shared<std::string>();
    auto* backup = group->add_subcommand("backup", "Copy the store, consistently, to a new file");
    backup->add_option("file", *target, "Where to write the copy (must not exist)")->required();
    backup->callback([&ctx, target] { run_backup(ctx, *target); });
    auto recovered = std::make_shared<std::string>();
    auto* recover = group->add_subcommand(
        "recover",
        "Copy what can still be read of a damaged store into a new store (the damaged one is "
        "left as it is)");
    recover->add_option("newfile", *recovered, "Where to write the new store (must not exist)")
        ->required();
    recover->callback([&ctx, recovered] { run_recover(ctx, *recovered); });
}

}  // namespace fieldbook::app
