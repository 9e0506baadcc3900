#include "domain/reports/receivables.hpp"

#include <algorithm>

#include "store/row.hpp"

namespace fieldbook::reports {

std::size_t aging_bucket(std::int64_t days_past_due) {
    if (days_past_due < 0) return 0;
    if (days_past_due <= 30) return 1;
    if (days_past_due <= 60) return 2;
    if (days_past_due <= 90) return 3;
    return 4;
}

Receivables receivables_report(Session& s, const Scope& scope) {
    Conditions where;
    where.period("o.day", scope);
    where.rep("o.rep_id", scope);
    auto q = s.prepare(R"sql(
SELECT o.id, o.day, o.due_day, c.name, r.handle, o.amount_cents,
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL) AS paid
FROM orders o
JOIN customer c ON c.id = o.customer_id
JOIN rep r ON r.id = o.rep_id
WHERE o.deleted_at IS NULL)sql" +
                       where.sql());
    where.bind(q);
    std::string today = text::format_day(scope.today);
    Receivables out;
    while (q->executeStep()) {
        Receivable r;
        r.order_id = q->getColumn(0).getInt64();
        r.day = q->getColumn(1).getString();
        r.due = store::optional_text(*q, 2);
        r.customer = q->getColumn(3).getString();
        r.rep = q->getColumn(4).getString();
        r.amount = q->getColumn(5).getInt64();
        r.paid = q->getColumn(6).getInt64();
        r.outstanding = r.amount - r.paid;
        if (r.outstanding <= 0) continue;
        r.days = days_between(r.due.value_or(r.day), today);
        r.bucket = aging_bucket(r.days);
        out.totals[r.bucket] += r.outstanding;
        out.total += r.outstanding;
        out.orders.push_back(std::move(r));
    }
    std::sort(out.orders.begin(), out.orders.end(), [](const auto& a, const auto& b) {
        return a.days != b.days ? a.days > b.days : a.order_id < b.order_id;
    });
    return out;
}

}  // namespace fieldbook::reports
