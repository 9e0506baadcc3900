#include "templates.hpp"

namespace fieldbook::embedded {
extern const std::string_view scripts_toml;
extern const std::string_view catalog_toml;
}  // namespace fieldbook::embedded

namespace fieldbook::app {

std::vector<scripts::Script> load_scripts(Context& ctx) {
    return scripts::parse(
        templates::locate(ctx.config_dir(), "scripts.toml", embedded::scripts_toml));
}

catalog::Catalog load_catalog(Context& ctx) {
    return catalog::parse(
        templates::locate(ctx.config_dir(), "catalog.toml", embedded::catalog_toml));
}

}  // namespace fieldbook::app
