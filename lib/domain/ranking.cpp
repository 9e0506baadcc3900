#include "domain/ranking.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "errors.hpp"
#include "store/tx.hpp"

namespace fieldbook::ranking {

Pareto customers(Session& s, const std::string& by, std::optional<text::Day> since,
                 std::optional<text::Day> until, const Thresholds& thresholds) {
    if (by != "revenue" && by != "profit")
        throw UsageError(fmt::format("--by: '{}' is not revenue or profit", by));
    if (!(thresholds.a > 0 && thresholds.a < thresholds.b && thresholds.b <= 100))
        throw UsageError("ABC thresholds must satisfy 0 < A < B <= 100");
    // A profit is known only when every order's cost is: an order without one leaves its
    // customer's profit unknown, never counted as if it had cost nothing.
    std::string value = by == "revenue" ? "o.amount_cents" : "o.amount_cents - o.cost_cents";
    std::string sql = fmt::format(R"sql(
SELECT c.id, c.name, c.industry, r.handle, COUNT(o.id) AS orders,
       SUM({}) AS value,
       SUM(CASE WHEN o.cost_cents IS NULL THEN 1 ELSE 0 END) AS uncosted
FROM orders o
JOIN customer c ON c.id = o.customer_id
LEFT JOIN rep r ON r.id = c.owner_id
WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL AND c.deleted_at IS NULL)sql",
                                  value);
    if (since) sql += " AND o.day >= ?";
    if (until) sql += " AND o.day <= ?";
    sql +=
        " GROUP BY c.id, c.name, c.name_key, c.industry, r.handle"
        " ORDER BY value DESC, c.name_key, c.id";
    store::Values params;
    if (since) params.emplace_back(text::format_day(*since));
    if (until) params.emplace_back(text::format_day(*until));
    Pareto p;
    p.by = by;
    // Callers hold no transaction: the read takes its own.
    s.store.read([&](store::Tx& tx) {
        tx.each(sql, params, [&](const store::Row& row) {
            Ranked r;
            r.customer_id = row.integer("id");
            r.customer = row.text("name");
            r.industry = row.optional_text("industry");
            r.owner = row.optional_text("handle");
            r.orders = row.integer("orders");
            if (by == "profit" && row.integer("uncosted") > 0) {
                p.unknown.push_back(std::move(r));
                return;
            }
            r.value = row.integer("value");
            if (r.value <= 0) return;  // nothing brought in (or a loss): not ranked
            p.total += r.value;
            p.customers.push_back(std::move(r));
        });
    });
    // The unknown ones by name, as they would tie.
    std::sort(p.unknown.begin(), p.unknown.end(), [](const Ranked& a, const Ranked& b) {
        return a.customer != b.customer ? a.customer < b.customer : a.customer_id < b.customer_id;
    });
    money::Cents running = 0;
    int rank = 0;
    for (auto& r : p.customers) {
        r.rank = ++rank;
        double before =
            p.total ? 100.0 * static_cast<double>(running) / static_cast<double>(p.total) : 0;
        running += r.value;
        r.share = 100.0 * static_cast<double>(r.value) / static_cast<double>(p.total);
        r.cumulative = 100.0 * static_cast<double>(running) / static_cast<double>(p.total);
        // A customer belongs to the class its share starts in: the one that crosses 80% is
        // still an A, so class A always reaches the threshold.
        r.abc = before < thresholds.a ? 'A' : before < thresholds.b ? 'B' : 'C';
        if (r.abc == 'A') p.head = r.rank;
    }
    if (!p.customers.empty())
        p.head_percent =
            100.0 * static_cast<double>(p.head) / static_cast<double>(p.customers.size());
    return p;
}

}  // namespace fieldbook::ranking
