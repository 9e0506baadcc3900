#include "domain/reports/receivables.hpp"

#include <algorithm>

#include "store/tx.hpp"

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
    std::string today = text::format_day(scope.today);
    Receivables out;
    s.tx().each(R"sql(
SELECT o.id, o.day, o.due_day, c.name AS customer, r.handle AS rep, o.amount_cents,
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL) AS paid,
       (SELECT p.day FROM payment p WHERE p.order_id = o.id AND p.deleted_at IS NULL
        ORDER BY p.day DESC, p.id DESC LIMIT 1) AS last_paid_day,
       (SELECT p.amount_cents FROM payment p WHERE p.order_id = o.id AND p.deleted_at IS NULL
        ORDER BY p.day DESC, p.id DESC LIMIT 1) AS last_paid_cents
FROM orders o
JOIN customer c ON c.id = o.customer_id
JOIN rep r ON r.id = o.rep_id
WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL)sql" +
                    where.sql(),
                where.values(), [&](const store::Row& row) {
                    Receivable r;
                    r.order_id = row.integer("id");
                    r.day = row.text("day");
                    r.due = row.optional_text("due_day");
                    r.customer = row.text("customer");
                    r.rep = row.text("rep");
                    r.amount = row.integer("amount_cents");
                    r.paid = row.integer("paid");
                    r.outstanding = r.amount - r.paid;
                    r.last_paid_day = row.optional_text("last_paid_day");
                    r.last_paid = row.optional_integer("last_paid_cents");
                    if (r.outstanding <= 0) return;
                    r.days = days_between(r.due.value_or(r.day), today);
                    r.bucket = aging_bucket(r.days);
                    out.totals[r.bucket] += r.outstanding;
                    out.total += r.outstanding;
                    out.orders.push_back(std::move(r));
                });
    std::sort(out.orders.begin(), out.orders.end(), [](const auto& a, const auto& b) {
        return a.days != b.days ? a.days > b.days : a.order_id < b.order_id;
    });
    return out;
}

}  // namespace fieldbook::reports
