#include "domain/reports/followups.hpp"

#include "store/row.hpp"

namespace fieldbook::reports {

std::vector<FollowupRow> followup_report(Session& s, const Scope& scope) {
    Conditions where;
    where.period("f.due_day", scope);
    where.rep("f.rep_id", scope);
    auto q = s.prepare(R"sql(
SELECT f.id, f.due_day, f.state, f.reason, f.channel, r.handle, c.name, f.order_id,
       f.origin_visit_id, f.closed_visit_id, cv.day, f.result, f.note
FROM followup f
JOIN rep r ON r.id = f.rep_id
JOIN customer c ON c.id = f.customer_id
LEFT JOIN visit cv ON cv.id = f.closed_visit_id
WHERE f.deleted_at IS NULL)sql" +
                       where.sql() + " ORDER BY f.due_day, f.id");
    where.bind(q);
    std::vector<FollowupRow> out;
    while (q->executeStep()) {
        FollowupRow row;
        row.id = q->getColumn(0).getInt64();
        row.due = q->getColumn(1).getString();
        row.state = q->getColumn(2).getString();
        row.reason = q->getColumn(3).getString();
        row.channel = q->getColumn(4).getString();
        row.rep = q->getColumn(5).getString();
        row.customer = q->getColumn(6).getString();
        row.order_id = store::optional_int(*q, 7);
        row.origin_visit_id = store::optional_int(*q, 8);
        row.closed_visit_id = store::optional_int(*q, 9);
        row.closed_day = store::optional_text(*q, 10);
        row.result = store::optional_text(*q, 11);
        row.note = store::optional_text(*q, 12);
        if (row.state == "open") {
            std::int64_t late = days_between(row.due, text::format_day(scope.today));
            row.overdue_days = late > 0 ? late : 0;
        }
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace fieldbook::reports
