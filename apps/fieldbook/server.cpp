// fieldbook server: make a PostgreSQL database the team's server, and give reps their logins.
#include <fmt/format.h>

#include "commands.hpp"
#include "config.hpp"
#include "domain/reps.hpp"
#include "errors.hpp"
#include "store/location.hpp"
#include "store/team_server.hpp"

namespace fieldbook::app {
namespace {

struct ServerOptions {
    std::string timezone;
    std::string handle;
    std::string name;
    std::string role = "rep";
    std::optional<std::string> phone;
    std::optional<std::string> email;
};

// Before anything is opened: a store file named by mistake is not created on the way.
void require_server(Context& ctx) {
    std::string location = ctx.db_path().string();
    if (!store::is_server_url(location))
        throw UsageError(fmt::format("{} is a store file, not a team server", location),
                         "pass --db postgresql://OWNER@HOST/DB (see fieldbook-server(1))");
}

void run_server_init(Context& ctx, const ServerOptions& o) {
    require_server(ctx);
    if (!o.timezone.empty()) check_timezone(o.timezone, "--timezone");
    Session& s = ctx.create_session();
    s.store.write([&] {
        if (!o.timezone.empty()) s.store.set_meta("timezone", o.timezone);
        // The device of the changes made on the server itself, as laptops' sync tells them.
        if (!s.store.meta("device_id")) s.store.set_meta("device_id", s.uuids.next());
        store::secure_team_server(s.store);
    });
    ctx.note(fmt::format("team server ready at {}", s.store.path().string()));
    ctx.note("next: fieldbook server add-rep HANDLE --name NAME [--role manager], for each rep");
}

void run_add_rep(Context& ctx, const ServerOptions& o) {
    if (o.name.empty()) throw UsageError("--name: missing (the rep's full name)");
    reps::validate({.handle = o.handle, .name = o.name, .role = o.role});
    require_server(ctx);
    Session& s = ctx.session();
    // The database's owner administers the team: their login, not a rep, adds one.
    auto login = s.store.login_role();
    if (!login)
        throw UsageError(
            fmt::format("{} is a store file, not a team server", s.store.path().string()),
            "on a store file: fieldbook rep add HANDLE --name NAME");
    s.author.actor = *login;
    auto rep = s.store.write([&] {
        std::optional<reps::Rep> administrator;
        if (!reps::list(s, true).empty())
            administrator = reps::Rep{.handle = *login, .name = *login, .role = "manager"};
        auto added = reps::add(s, administrator,
                               {.handle = o.handle,
                                .name = o.name,
                                .role = o.role,
                                .phone = o.phone,
                                .email = o.email});
        store::create_login(s.store, added.handle, added.role);
        return added;
    });
    ctx.note(fmt::format("added rep {} ({}, {}) with login role {} in group {}", rep.handle,
                         rep.name, rep.role, rep.handle, store::group_role(rep.role)));
}

}  // namespace

void setup_server(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ServerOptions>();
    auto* server = app.add_subcommand("server", "Set up a PostgreSQL database as the team server");
    server->require_subcommand(1);
    server->footer(
        "Run these as the database's owner, with --db postgresql://OWNER@HOST/DB. Reps then "
        "connect as their own login role (--db postgresql://HANDLE@HOST/DB), and the server "
        "shows and changes only what their role allows. See fieldbook-server(1).");

    auto* init = server->add_subcommand(
        "init", "Create the store's schema, the group roles and the row-level security policies");
    init->add_option("--timezone", o->timezone,
                     "The team's time zone for calendar days, e.g. Asia/Shanghai");
    init->footer(
        "Idempotent: run it again after an upgrade to bring the policies up to date.\n"
        "Example:\n"
        "  fieldbook --db postgresql:///team server init --timezone Asia/Shanghai");
    init->callback([&ctx, o] { run_server_init(ctx, *o); });

    auto* add = server->add_subcommand(
        "add-rep", "Register a rep and create their login role, in their role's group");
    add->add_option("handle", o->handle, "The rep's handle, which is also their login role")
        ->required();
    add->add_option("--name", o->name, "The rep's full name, e.g. 李娜");
    add->add_option("--role", o->role, "rep, manager or leader")->capture_default_str();
    add->add_option("--phone", o->phone, "The rep's phone number");
    add->add_option("--email", o->email, "The rep's email address");
    add->footer(
        "fieldbook stores no password: give the login one with ALTER ROLE, or use peer "
        "authentication or a password file (PGPASSFILE).\n"
        "Example:\n"
        "  fieldbook --db postgresql:///team server add-rep lina --name 李娜");
    add->callback([&ctx, o] { run_add_rep(ctx, *o); });
}

}  // namespace fieldbook::app
