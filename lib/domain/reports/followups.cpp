#include "domain/reports/followups.hpp"

#include "store/tx.hpp"

namespace fieldbook::reports {

std::vector<FollowupRow> followup_report(Session& s, const Scope& scope) {
    Conditions where;
    where.period("f.due_day", scope);
    where.rep("f.rep_id", scope);
    std::vector<FollowupRow> out;
    s.tx().each(R"sql(
SELECT f.id, f.due_day, f.state, f.reason, f.channel, r.handle AS rep, c.name AS customer,
       f.order_id, f.origin_visit_id, f.closed_visit_id, cv.day AS closed_day, f.result, f.note
FROM followup f
JOIN rep r ON r.id = f.rep_id
JOIN customer c ON c.id = f.customer_id
LEFT JOIN visit cv ON cv.id = f.closed_visit_id
WHERE f.deleted_at IS NULL)sql" +
                    where.sql() + " ORDER BY f.due_day, f.id",
                where.values(), [&](const store::Row& r) {
                    FollowupRow row;
                    row.id = r.integer("id");
                    row.due = r.text("due_day");
                    row.state = r.text("state");
                    row.reason = r.text("reason");
                    row.channel = r.text("channel");
                    row.rep = r.text("rep");
                    row.customer = r.text("customer");
                    row.order_id = r.optional_integer("order_id");
                    row.origin_visit_id = r.optional_integer("origin_visit_id");
                    row.closed_visit_id = r.optional_integer("closed_visit_id");
                    row.closed_day = r.optional_text("closed_day");
                    row.result = r.optional_text("result");
                    row.note = r.optional_text("note");
                    if (row.state == "open") {
                        std::int64_t late = days_between(row.due, text::format_day(scope.today));
                        row.overdue_days = late > 0 ? late : 0;
                    }
                    out.push_back(std::move(row));
                });
    return out;
}

}  // namespace fieldbook::reports
