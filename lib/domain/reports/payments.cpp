#include "domain/reports/payments.hpp"

#include "store/tx.hpp"

namespace fieldbook::reports {

ReceivedReport payment_report(Session& s, const Scope& scope) {
    Conditions where;
    where.period("p.day", scope);
    where.rep("o.rep_id", scope);
    ReceivedReport out;
    s.tx().each(R"sql(
SELECT p.id AS id, p.day AS day, o.id AS order_id, c.name AS customer, r.handle AS rep,
       p.amount_cents AS amount_cents, p.note AS note,
       COALESCE(taker.handle,
                (SELECT cm.actor FROM op_log l JOIN command cm ON cm.id = l.command_id
                 WHERE l.record_table = 'payment' AND l.record_uuid = p.uuid
                   AND l.kind = 'insert'
                 ORDER BY l.id LIMIT 1)) AS who
FROM payment p
JOIN orders o ON o.id = p.order_id
JOIN customer c ON c.id = o.customer_id
JOIN rep r ON r.id = o.rep_id
LEFT JOIN rep taker ON taker.id = p.rep_id
WHERE p.deleted_at IS NULL AND o.deleted_at IS NULL AND o.cancelled_day IS NULL)sql" +
                    where.sql() + " ORDER BY p.day, p.id",
                where.values(), [&](const store::Row& row) {
                    Received r;
                    r.payment_id = row.integer("id");
                    r.day = row.text("day");
                    r.order_id = row.integer("order_id");
                    r.customer = row.text("customer");
                    r.rep = row.text("rep");
                    r.amount = row.integer("amount_cents");
                    r.who = row.optional_text("who");
                    r.note = row.optional_text("note");
                    out.total += r.amount;
                    out.payments.push_back(std::move(r));
                });
    return out;
}

}  // namespace fieldbook::reports
