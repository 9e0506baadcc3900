#pragma once
// One row per follow-up due in the period: what was owed to whom, and how it ended.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct FollowupRow {
    std::int64_t id = 0;
    std::string due;
    std::string state;              // open, done, dropped
    std::int64_t overdue_days = 0;  // open ones past due, against the scope's today
    std::string reason;
    std::string channel;
    std::string rep;
    std::string customer;
    std::optional<std::int64_t> order_id;  // the balance a collection chases
    std::optional<std::int64_t> origin_visit_id;
    std::optional<std::int64_t> closed_visit_id;
    std::optional<std::string> closed_day;  // the day of the visit that closed it
    std::optional<std::string> result;
    std::optional<std::string> note;
};

// By due day, then id.
std::vector<FollowupRow> followup_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
