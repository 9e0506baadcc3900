// fieldbook init: create the store and register its first rep.
#include <fmt/format.h>

#include "commands.hpp"
#include "config.hpp"
#include "domain/demo_records.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"

#include <filesystem>
#include <fstream>

namespace fieldbook::embedded {
extern const std::string_view scripts_toml;
extern const std::string_view catalog_toml;
}  // namespace fieldbook::embedded

namespace fieldbook::app {
namespace {

struct InitOptions {
    std::string me;
    std::string name;
    std::string role = "rep";
    std::string timezone;
    bool templates = false;
};

// Puts the built-in templates where the user's own copies are read from, for editing; a copy
// already there is the user's work and is left alone.
void copy_templates(Context& ctx) {
    namespace fs = std::filesystem;
    fs::path dir = ctx.config_dir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw SystemError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    for (auto [name, text] : {std::pair{"scripts.toml", embedded::scripts_toml},
                              std::pair{"catalog.toml", embedded::catalog_toml}}) {
        fs::path target = dir / name;
        if (fs::exists(target, ec)) {
            ctx.note(fmt::format("kept your {}", target.string()));
            continue;
        }
        std::ofstream out(target, std::ios::binary);
        out << text;
        out.close();
        if (!out) throw SystemError(fmt::format("cannot write {}", target.string()));
        ctx.note(fmt::format("wrote {} (edit it; fieldbook reads it instead of the built-in one)",
                             target.string()));
    }
}

void run_init(Context& ctx, const InitOptions& o) {
    if (!o.me.empty() && o.name.empty())
        throw UsageError("--name: missing (the full name of the rep given with --me)");
    if (o.me.empty() && !o.name.empty()) throw UsageError("--me: missing (the handle for --name)");
    if (!o.timezone.empty()) check_timezone(o.timezone, "--timezone");
    // Everything is checked before the store exists: invalid input creates nothing.
    if (!o.me.empty()) reps::validate({.handle = o.me, .name = o.name, .role = o.role});
    Session& s = ctx.create_session();
    // Registering yourself in a team that has reps is adding a teammate: someone with the
    // team's leave acts (see permissions.hpp). The first rep of a new store needs nobody's.
    std::optional<reps::Rep> by;
    if (!o.me.empty() && !reps::find(s, o.me)) by = ctx.actor_if_team();
    s.store.write([&] {
        // From now on the store is someone's: a later `demo` no longer takes it for its own.
        demo::adopt(s);
        if (!o.timezone.empty()) s.store.set_meta("timezone", o.timezone);
        if (!o.me.empty()) {
            auto existing = reps::find(s, o.me);
            if (!existing)
                reps::add(s, by, {.handle = o.me, .name = o.name, .role = o.role});
            else if (existing->name != o.name)
                throw UsageError(
                    fmt::format("--me: '{}' is already registered as {}", o.me, existing->name));
            s.store.set_meta("owner", reps::require(s, o.me).handle);
        }
    });
    ctx.note(fmt::format("store ready at {}", s.store.path().string()));
    if (o.templates) copy_templates(ctx);
    if (auto owner = s.store.meta("owner"))
        ctx.note(fmt::format("acting as {} by default", *owner));
    else
        ctx.note("next: fieldbook init --me HANDLE --name NAME, to register yourself");
}

}  // namespace

void setup_init(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create the store (idempotent) and register yourself");
    cmd->add_option("--me", o->me, "Your handle, e.g. zhangwei; becomes the default --as");
    cmd->add_option("--name", o->name, "Your full name, e.g. 张伟");
    cmd->add_option("--role", o->role, "Your role: rep, manager or leader")->capture_default_str();
    cmd->add_option("--timezone", o->timezone,
                    "The team's time zone for calendar days, e.g. Asia/Shanghai "
                    "(default: the system's)");
    cmd->add_flag("--templates", o->templates,
                  "Also copy the built-in scripts.toml and catalog.toml to "
                  "$XDG_CONFIG_HOME/fieldbook/ for editing (existing copies are kept)");
    cmd->footer(
        "The first rep of a new store sets up the team (adds teammates, gives roles) until it\n"
        "has a manager or leader. In a store that has reps, a new --me is a new teammate: the\n"
        "acting rep (--as) must be a manager or leader.\n\n"
        "Example:\n  fieldbook init --me zhangwei --name 张伟 --timezone Asia/Shanghai");
    cmd->callback([&ctx, o] { run_init(ctx, *o); });
}

}  // namespace fieldbook::app
