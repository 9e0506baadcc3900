#include "lookalike.hpp"

#include <fmt/format.h>

#include "domain/customers.hpp"
#include "errors.hpp"

namespace fieldbook::app {

bool confirm_new_customer(Context& ctx, Session& s, const std::string& name,
                          const std::optional<std::string>& building,
                          const std::optional<std::string>& floor,
                          const std::optional<std::string>& room, bool forced) {
    if (forced || !ctx.can_prompt()) return forced;
    if (customers::find_by_name(s, name)) return false;
    auto dups = customers::likely_duplicates(s, name, building, floor, room);
    if (dups.empty()) return false;
    ctx.err << fmt::format("'{}' looks like an existing customer:\n", name);
    for (auto& d : dups)
        ctx.err << fmt::format("  #{} {} ({})\n", d.existing.id, d.existing.name, d.reason);
    if (ctx.confirm(fmt::format("Create '{}' as a new customer", name))) return true;
    throw UsageError("not created: use the existing customer's name");
}

}  // namespace fieldbook::app
