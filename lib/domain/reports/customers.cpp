#include "domain/reports/customers.hpp"

#include "store/tx.hpp"

namespace fieldbook::reports {

std::vector<CustomerRow> customer_report(Session& s, const Scope& scope) {
    Conditions visits, orders, customers;
    visits.period("v.day", scope);
    orders.period("o.day", scope);
    customers.rep("c.owner_id", scope);
    // Per-customer aggregates as derived tables, joined once each: a customer's visits, and
    // its orders with what has been paid on each.
    std::string sql = R"sql(
SELECT c.id, c.name, b.name AS building, c.floor, c.room, c.industry, c.headcount, c.office_size,
       c.brands, c.usage, c.source, ref.name AS referred_by, r.handle AS owner, c.status,
       c.no_solicitation, COALESCE(vs.visits, 0) AS visits, vs.first_day, vs.last_day,
       COALESCE(os.orders, 0) AS orders, COALESCE(os.amount, 0) AS amount,
       COALESCE(os.paid, 0) AS paid
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
           FROM orders o WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL)sql" +
                      orders.sql() + R"sql(
           GROUP BY o.customer_id) os ON os.customer_id = c.id
WHERE c.deleted_at IS NULL)sql" +
                      customers.sql();
    if (scope.since || scope.until) sql += " AND (vs.visits IS NOT NULL OR os.orders IS NOT NULL)";
    sql += " ORDER BY c.name_key, c.id";
    store::Values params = visits.values();
    params.insert(params.end(), orders.values().begin(), orders.values().end());
    params.insert(params.end(), customers.values().begin(), customers.values().end());
    std::vector<CustomerRow> out;
    s.tx().each(sql, params, [&](const store::Row& r) {
        CustomerRow row;
        row.id = r.integer("id");
        row.name = r.text("name");
        row.building = r.optional_text("building");
        row.floor = r.optional_text("floor");
        row.room = r.optional_text("room");
        row.industry = r.optional_text("industry");
        row.headcount = r.optional_integer("headcount");
        row.office_size = r.optional_text("office_size");
        row.brands = r.optional_text("brands");
        row.usage = r.optional_text("usage");
        row.source = r.text("source");
        row.referred_by = r.optional_text("referred_by");
        row.owner = r.optional_text("owner");
        row.status = r.text("status");
        row.no_solicitation = r.integer("no_solicitation") != 0;
        row.visits = r.integer("visits");
        row.first_visit = r.optional_text("first_day");
        row.last_visit = r.optional_text("last_day");
        row.orders = r.integer("orders");
        row.revenue = r.integer("amount");
        row.paid = r.integer("paid");
        row.outstanding = row.revenue - row.paid;
        out.push_back(std::move(row));
    });
    return out;
}

}  // namespace fieldbook::reports
