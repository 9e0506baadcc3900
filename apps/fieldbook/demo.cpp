// fieldbook demo: a realistic store to try fieldbook on, or a large one to measure it.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "domain/demo.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"
#include "numbers.hpp"

namespace fieldbook::embedded {
extern const std::string_view demo_toml;
}

namespace fieldbook::app {
namespace {

namespace fs = std::filesystem;

struct DemoOptions {
    std::int64_t visits = 0;
    std::uint64_t seed = 20261126;
};

// The demo only ever replaces a store it made itself: real data is never at risk.
void clear_previous_demo(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    {
        auto previous = store::Store::open_existing(path);
        bool is_demo = previous.meta("demo") == std::optional<std::string>("1");
        // Anything anyone entered counts as real data, not only a registered rep.
        SQLite::Statement count(
            previous.db(),
            "SELECT (SELECT COUNT(*) FROM rep) + (SELECT COUNT(*) FROM customer) "
            "+ (SELECT COUNT(*) FROM visit) + (SELECT COUNT(*) FROM orders)");
        count.executeStep();
        if (!is_demo && count.getColumn(0).getInt64() > 0)
            throw Error(
                fmt::format("{} holds real data; the demo will not overwrite it", path.string()),
                "pass --db PATH to build the demo elsewhere, e.g. --db /tmp/demo.db");
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::path file = path;
        file += suffix;
        fs::remove(file, ec);
    }
}

void run_demo(Context& ctx, const DemoOptions& o) {
    clear_previous_demo(ctx.db_path());
    Session& s = ctx.create_session();
    auto summary = s.store.write([&] {
        s.store.set_meta("demo", "1");
        // The demo team works in Chengdu: its calendar days are China's, whatever this machine's.
        s.store.set_meta("timezone", "Asia/Shanghai");
        ctx.apply_timezone();
        return demo::build(s, embedded::demo_toml, {.extra_visits = o.visits, .seed = o.seed});
    });
    ctx.note(fmt::format(
        "demo store at {}: {} reps, {} buildings, {} customers, {} visits, {} follow-ups, "
        "{} orders, {} archived meetings",
        s.store.path().string(), summary.reps, summary.buildings, summary.customers, summary.visits,
        summary.followups, summary.orders, summary.meetings));
    ctx.note(fmt::format("acting as {} by default; try: fieldbook visit list --on today",
                         s.store.meta("owner").value_or("?")));
}

}  // namespace

void setup_demo(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DemoOptions>();
    auto* cmd = app.add_subcommand(
        "demo", "Build a demo store: a Chengdu team, ~40 companies, two weeks of visits");
    cmd->add_option("--visits", o->visits,
                    "Add this many synthetic visits over the past year (for benchmarks)")
        ->transform(whole_number(0));
    cmd->add_option("--seed", o->seed, "Random seed; the same seed and day give the same store")
        ->capture_default_str()
        ->transform(whole_number(0));
    cmd->footer(
        "Writes to the store named by --db (or the default store) only when that is new or an\n"
        "earlier demo; a store with real data is never touched.\n\n"
        "Example:\n  fieldbook demo && fieldbook visit list --on today");
    cmd->callback([&ctx, o] { run_demo(ctx, *o); });
}

}  // namespace fieldbook::app
