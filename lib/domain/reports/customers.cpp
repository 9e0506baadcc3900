#include "domain/reports/customers.hpp"

#include "store/row.hpp"

namespace fieldbook::reports {

std::vector<CustomerRow> customer_report(Session& s, const Scope& scope) {
    Conditions visits, orders, customers;
    visits.period("v.day", scope);
    orders.period("o.day", scope);
    customers.rep("c.owner_id", scope);
    // Per-customer aggregates as derived tables, joined once each: a customer's visits, and
    // its orders with what has been paid on each.
    std::string sql = R"sql(
SELECT c.id, c.name, b.name, c.floor, c.room, c.industry, c.headcount, c.office_size, c.brands,
       c.usage, c.source, ref.name, r.handle, c.status, c.no_solicitation,
       COALESCE(vs.visits, 0), vs.first_day, vs.last_day,
       COALESCE(os.orders, 0), COALESCE(os.amount, 0), COALESCE(os.paid, 0)
FROM customer c
LEFT JOIN building b ON b.id = c.building_id
LEFT JOIN customer ref ON ref.id = c.referred_by
LEFT JOIN rep r ON r.id = c.owner_id
LEFT JOIN (SELECT v.customer_id, COUNT(*) AS visits, MIN(v.day) AS first_day,
                  MAX(v.day) AS last_day
           FROM visit v WHERE v.deleted_at IS NULL)sql" +
                      visits.sql() + R"sql(
           GROUP BY v.customer_id) vs ON vs.customer_id = c.id
LEFT JOIN (SELECT o.customer_id, COUNT(*) AS orders, SUM(o.amount_cents) AS amount,
                  SUM((SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
                       WHERE p.order_id = o.id AND p.deleted_at IS NULL)) AS paid
           FROM orders o WHERE o.deleted_at IS NULL)sql" +
                      orders.sql() + R"sql(
           GROUP BY o.customer_id) os ON os.customer_id = c.id
WHERE c.deleted_at IS NULL)sql" +
                      customers.sql();
    if (scope.since || scope.until) sql += " AND (vs.visits IS NOT NULL OR os.orders IS NOT NULL)";
    sql += " ORDER BY c.name_key, c.id";
    auto q = s.prepare(sql);
    int next = visits.bind(q);
    next = orders.bind(q, next);
    customers.bind(q, next);
    std::vector<CustomerRow> out;
    while (q->executeStep()) {
        CustomerRow row;
        row.id = q->getColumn(0).getInt64();
        row.name = q->getColumn(1).getString();
        row.building = store::optional_text(*q, 2);
        row.floor = store::optional_text(*q, 3);
        row.room = store::optional_text(*q, 4);
        row.industry = store::optional_text(*q, 5);
        row.headcount = store::optional_int(*q, 6);
        row.office_size = store::optional_text(*q, 7);
        row.brands = store::optional_text(*q, 8);
        row.usage = store::optional_text(*q, 9);
        row.source = q->getColumn(10).getString();
        row.referred_by = store::optional_text(*q, 11);
        row.owner = store::optional_text(*q, 12);
        row.status = q->getColumn(13).getString();
        row.no_solicitation = q->getColumn(14).getInt() != 0;
        row.visits = q->getColumn(15).getInt64();
        row.first_visit = store::optional_text(*q, 16);
        row.last_visit = store::optional_text(*q, 17);
        row.orders = q->getColumn(18).getInt64();
        row.revenue = q->getColumn(19).getInt64();
        row.paid = q->getColumn(20).getInt64();
        row.outstanding = row.revenue - row.paid;
        out.push_back(std::move(row));
    }
    return out;
}

}  // namespace fieldbook::reports
