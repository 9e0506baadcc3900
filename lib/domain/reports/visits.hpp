#pragma once
// The visits export: every stored field of every visit in the period, oldest first, for
// spreadsheets and scripts.
#include <vector>

#include "domain/reports/scope.hpp"
#include "domain/visits.hpp"

namespace fieldbook::reports {

std::vector<visits::Visit> visit_export(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
