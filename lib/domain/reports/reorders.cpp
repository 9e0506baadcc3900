#include "domain/reports/reorders.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "domain/reorder_cadence.hpp"
#include "store/tx.hpp"

namespace fieldbook::reports {
namespace {

struct History {
    std::string customer;
    std::optional<std::string> owner;
    std::string name;
    std::vector<text::Day> days;
    std::vector<std::int64_t> order_ids;
};

}  // namespace

std::vector<Reorder> reorder_report(Session& s, const ReorderFilter& filter) {
    std::string sql = R"sql(
SELECT c.id AS customer_id, c.name AS customer, r.handle AS owner, o.id AS order_id,
       o.day AS day, l.sku AS sku, l.name AS name
FROM customer c
JOIN orders o ON o.customer_id = c.id
JOIN order_line l ON l.order_id = o.id
LEFT JOIN rep r ON r.id = c.owner_id
WHERE c.deleted_at IS NULL AND o.deleted_at IS NULL AND o.cancelled_day IS NULL
  AND l.deleted_at IS NULL)sql";
    store::Values params;
    if (filter.owner_id) {
        sql += " AND c.owner_id = ?";
        params.emplace_back(*filter.owner_id);
    }
    sql += " ORDER BY c.id, l.sku, o.day, o.id";
    std::map<std::pair<std::int64_t, std::string>, History> histories;
    s.tx().each(sql, params, [&](const store::Row& row) {
        History& h = histories[{row.integer("customer_id"), row.text("sku")}];
        h.customer = row.text("customer");
        h.owner = row.optional_text("owner");
        h.name = row.text("name");  // rows come by day: the latest order's name stays
        h.days.push_back(text::parse_iso_day(row.text("day")));
        std::int64_t order_id = row.integer("order_id");
        if (std::find(h.order_ids.begin(), h.order_ids.end(), order_id) == h.order_ids.end())
            h.order_ids.push_back(order_id);
    });
    std::vector<Reorder> out;
    for (auto& [key, h] : histories) {
        auto c = reorders::cadence(h.days);
        if (!c) continue;
        std::int64_t until = (c->expected - filter.today).count();
        if (filter.within_days && until > *filter.within_days) continue;
        out.push_back({.customer_id = key.first,
                       .customer = h.customer,
                       .owner = h.owner,
                       .sku = key.second,
                       .name = h.name,
                       .orders = static_cast<std::int64_t>(h.order_ids.size()),
                       .median_interval = c->median_interval,
                       .last_day = text::format_day(c->last),
                       .expected_day = text::format_day(c->expected),
                       .days_until = until});
    }
    std::sort(out.begin(), out.end(), [](const Reorder& a, const Reorder& b) {
        if (a.expected_day != b.expected_day) return a.expected_day < b.expected_day;
        if (a.customer_id != b.customer_id) return a.customer_id < b.customer_id;
        return a.sku < b.sku;
    });
    return out;
}

}  // namespace fieldbook::reports
