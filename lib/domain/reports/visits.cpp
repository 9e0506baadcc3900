#include "domain/reports/visits.hpp"

#include <algorithm>

namespace fieldbook::reports {

std::vector<visits::Visit> visit_export(Session& s, const Scope& scope) {
    std::vector<visits::Visit> out;
    visits::list(s, {.rep = scope.rep, .since = scope.since, .until = scope.until},
                 [&](const visits::Visit& v) { out.push_back(v); });
    // The listing is newest first, for people; an export reads in the order things happened.
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace fieldbook::reports
