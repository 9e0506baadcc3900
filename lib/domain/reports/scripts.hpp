#pragma once
// Which opening script works: the outcomes of the visits that used each one.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct ScriptOutcomes {
    std::optional<std::string> script;  // none: visits that recorded no script
    std::int64_t visits = 0;
    // By outcome, in the order refused, absent, contact, interest, intent, order.
    std::array<std::int64_t, 6> outcomes{};
    // Visits that ended at contact or better, at intent or better, and in an order.
    std::optional<double> contact_rate, intent_rate, order_rate;
};

// Most used first, then by name; visits without a script last.
std::vector<ScriptOutcomes> script_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
