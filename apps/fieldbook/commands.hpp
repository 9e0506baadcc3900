#pragma once
// One file per command group; main registers them from this list.
#include <CLI/CLI.hpp>

#include "context.hpp"

namespace fieldbook::app {

void setup_init(CLI::App& app, Context& ctx);
void setup_rep(CLI::App& app, Context& ctx);
void setup_customer(CLI::App& app, Context& ctx);
// `customer prep`: the negotiation brief.
void add_customer_prep_command(CLI::App& customer, Context& ctx);
void setup_contact(CLI::App& app, Context& ctx);
void setup_visit(CLI::App& app, Context& ctx);
void setup_followup(CLI::App& app, Context& ctx);
void setup_meeting(CLI::App& app, Context& ctx);
void setup_order(CLI::App& app, Context& ctx);
void setup_rank(CLI::App& app, Context& ctx);
void setup_report(CLI::App& app, Context& ctx);
// Field tools under `visit`: the opening scripts and the catalog sheet.
void add_script_command(CLI::App& visit, Context& ctx);
void add_catalog_command(CLI::App& visit, Context& ctx);
void setup_import(CLI::App& app, Context& ctx);
void setup_demo(CLI::App& app, Context& ctx);
void setup_db(CLI::App& app, Context& ctx);
// The operation log: what each command changed, and reverting a command.
void setup_log(CLI::App& app, Context& ctx);
void setup_undo(CLI::App& app, Context& ctx);
void setup_server(CLI::App& app, Context& ctx);
void setup_sync(CLI::App& app, Context& ctx);

}  // namespace fieldbook::app
