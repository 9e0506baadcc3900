#pragma once
// The needs we cannot meet yet, across customers, for purchasing to source: one row per item
// (as text::match_key folds its name), with who asks and how much they said they would take.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct NeedRow {
    std::string item;  // as first typed
    std::int64_t customers = 0;
    std::string customer_names;       // joined with 、, in the order they were first recorded
    std::int64_t volume = 0;          // the sum of the volumes given
    std::int64_t without_volume = 0;  // needs recorded with no volume
};

// Needs recorded in the period (by the day they were typed, in the team's time zone) of
// customers the scope's rep owns; the most asked for first, then the largest volume.
std::vector<NeedRow> needs_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
