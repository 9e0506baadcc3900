#pragma once
// `customer show` (a customer's whole story) and `customer merge`, under `customer`.
#include <CLI/CLI.hpp>

#include "context.hpp"

namespace fieldbook::app {

void add_customer_story_commands(CLI::App& customer, Context& ctx);

}  // namespace fieldbook::app
