// fieldbook demo: a realistic store to try fieldbook on, or a large one to measure it.
#include <fmt/format.h>

#include "commands.hpp"
#include "domain/demo.hpp"
#include "domain/demo_records.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"
#include "numbers.hpp"

namespace fieldbook::embedded {
extern const std::string_view demo_toml;
}

namespace fieldbook::app {
namespace {

struct DemoOptions {
    std::int64_t visits = 0;
    std::uint64_t seed = 20261126;
};

// The demo replaces a store only when everything in it is its own: nothing anyone entered is
// ever at risk. The check and the replacement are one transaction, so a record written by
// another process meanwhile is either seen here or written to the new demo.
void require_only_demo_records(Session& s) {
    auto held = demo::holdings(s);
    if (held.replaceable()) return;
    throw Error(fmt::format("{} holds records that are not the demo's: {}", s.store.path().string(),
                            demo::describe(held)),
                "use --db PATH to make the demo elsewhere, e.g. --db /tmp/demo.db");
}

void run_demo(Context& ctx, const DemoOptions& o) {
    Session& s = ctx.create_session();
    auto summary = s.store.write([&] {
        require_only_demo_records(s);
        demo::clear(s);
        // The demo team works in Chengdu: its calendar days are China's, whatever this machine's.
        s.store.set_meta("timezone", "Asia/Shanghai");
        ctx.apply_timezone();
        auto built =
            demo::build(s, embedded::demo_toml, {.extra_visits = o.visits, .seed = o.seed});
        demo::mark_own(s);
        return built;
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
        "Writes to the store named by --db (or the default store) only when it is new or every\n"
        "record in it is an earlier demo's own: a store with records added, changed or deleted\n"
        "since, or taken over with `init`, is never touched (exit status 1, naming what it\n"
        "holds).\n\n"
        "Example:\n  fieldbook demo && fieldbook visit list --on today");
    cmd->callback([&ctx, o] { run_demo(ctx, *o); });
}

}  // namespace fieldbook::app
