#include "lookalike.hpp"

#include <fmt/format.h>

#include "errors.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {

CustomerChoice choose_customer(Context& ctx, Session& s, const std::string& name,
                               const std::optional<std::string>& building,
                               const std::optional<std::string>& floor,
                               const std::optional<std::string>& room, bool forced) {
    if (forced || !ctx.can_prompt()) return {.create_new = forced};
    if (customers::find_by_name(s, name)) return {};
    auto dups = customers::likely_duplicates(s, name, building, floor, room);
    if (dups.empty()) return {};
    ctx.err << fmt::format("'{}' looks like an existing customer:\n", name);
    // A short part of many names (科技) would offer dozens: the first nine, then how many more
    // (named by id instead).
    constexpr std::size_t kOffered = 9;
    std::size_t more = dups.size() > kOffered ? dups.size() - kOffered : 0;
    dups.resize(dups.size() - more);
    std::size_t n = 0;
    for (auto& d : dups)
        ctx.err << fmt::format("  {}) use #{} {} ({})\n", ++n, d.existing.id, d.existing.name,
                               d.reason);
    if (more > 0) ctx.err << fmt::format("     ... and {} more\n", more);
    std::size_t create = ++n;
    std::size_t cancel = ++n;
    ctx.err << fmt::format("  {}) create {} as new\n  {}) cancel\n", create, name, cancel);
    for (;;) {
        std::string answer = ctx.prompt(fmt::format("Choose 1-{}", cancel), std::to_string(cancel));
        auto chosen = text::parse_id(text::match_key(answer));
        if (chosen && *chosen <= static_cast<std::int64_t>(dups.size()))
            return {.existing = dups[static_cast<std::size_t>(*chosen - 1)].existing};
        if (chosen && static_cast<std::size_t>(*chosen) == create) return {.create_new = true};
        if (chosen && static_cast<std::size_t>(*chosen) == cancel)
            throw UsageError(fmt::format("cancelled: '{}' not created", name),
                             "use the existing customer's name or id, or pass --new");
        ctx.err << fmt::format("answer a number from 1 to {}\n", cancel);
    }
}

}  // namespace fieldbook::app
