// fieldbook db: where the store is, whether it is sound, and a safe copy of it.
#include <fmt/format.h>

#include <SQLiteCpp/Backup.h>

#include "commands.hpp"
#include "errors.hpp"
#include "store/store.hpp"

namespace fieldbook::app {
namespace {

void run_check(Context& ctx) {
    Session& s = ctx.session();
    std::vector<std::string> problems;
    SQLite::Statement integrity(s.db(), "PRAGMA integrity_check");
    while (integrity.executeStep()) {
        std::string line = integrity.getColumn(0).getString();
        if (line != "ok") problems.push_back(line);
    }
    SQLite::Statement keys(s.db(), "PRAGMA foreign_key_check");
    while (keys.executeStep())
        problems.push_back(fmt::format("broken reference in {} row {}",
                                       keys.getColumn(0).getString(),
                                       keys.getColumn(1).getInt64()));
    if (!problems.empty()) {
        for (auto& p : problems) ctx.err << p << '\n';
        throw SystemError(
            fmt::format("store {} has {} problem(s)", s.store.path().string(), problems.size()));
    }
    ctx.out << fmt::format("ok: {} (schema version {})\n", s.store.path().string(),
                           s.store.schema_version());
}

void run_backup(Context& ctx, const std::string& target) {
    Session& s = ctx.session();
    std::error_code ec;
    if (std::filesystem::exists(target, ec))
        throw UsageError(fmt::format("backup: {} already exists", target));
    // The online backup API copies a consistent snapshot while others keep writing.
    SQLite::Database copy(target, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(copy, s.db());
    backup.executeStep(-1);
    ctx.note(fmt::format("backed up {} to {}", s.store.path().string(), target));
}

}  // namespace

void setup_db(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("db", "Store maintenance: path, check, backup");
    group->require_subcommand(1);
    group->add_subcommand("path", "Print the store's file path")->callback([&ctx] {
        ctx.out << ctx.db_path().string() << '\n';
    });
    group->add_subcommand("check", "Verify the store's integrity and references")->callback([&ctx] {
        run_check(ctx);
    });
    auto target = std::make_shared<std::string>();
    auto* backup = group->add_subcommand("backup", "Copy the store, consistently, to a new file");
    backup->add_option("file", *target, "Where to write the copy (must not exist)")->required();
    backup->callback([&ctx, target] { run_backup(ctx, *target); });
}

}  // namespace fieldbook::app
