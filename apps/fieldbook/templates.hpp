#pragma once
// The scripts and catalog in use: the user's copies in the config directory, else the ones
// built in.
#include <vector>

#include "context.hpp"
#include "domain/catalog.hpp"
#include "domain/scripts.hpp"

namespace fieldbook::app {

std::vector<scripts::Script> load_scripts(Context& ctx);
catalog::Catalog load_catalog(Context& ctx);

}  // namespace fieldbook::app
