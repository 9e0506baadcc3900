#include "domain/reports/needs.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace fieldbook::reports {

std::vector<NeedRow> needs_report(Session& s, const Scope& scope) {
    std::string sql = R"sql(
SELECT n.item, n.item_key, n.volume, c.id AS customer_id, c.name AS customer
FROM unmet_need n
JOIN customer c ON c.id = n.customer_id
WHERE n.deleted_at IS NULL AND c.deleted_at IS NULL)sql";
    store::Values values;
    // created_at is a UTC instant: the period's local days become the instants that bound them.
    if (scope.since) {
        sql += " AND n.created_at >= ?";
        values.push_back(text::format_utc(text::local_instant(*scope.since, 0, 0, s.zone)));
    }
    if (scope.until) {
        sql += " AND n.created_at < ?";
        values.push_back(text::format_utc(
            text::local_instant(*scope.until + std::chrono::days{1}, 0, 0, s.zone)));
    }
    if (scope.rep_id) {
        sql += " AND c.owner_id = ?";
        values.push_back(*scope.rep_id);
    }
    sql += " ORDER BY n.id";
    std::vector<NeedRow> rows;
    std::map<std::string, std::size_t> by_key;
    std::vector<std::set<std::int64_t>> asking;
    s.tx().each(sql, values, [&](const store::Row& row) {
        auto [at, fresh] = by_key.try_emplace(row.text("item_key"), rows.size());
        if (fresh) {
            rows.push_back({.item = row.text("item")});
            asking.emplace_back();
        }
        NeedRow& r = rows[at->second];
        if (asking[at->second].insert(row.integer("customer_id")).second) {
            ++r.customers;
            r.customer_names += (r.customer_names.empty() ? "" : "、") + row.text("customer");
        }
        if (auto volume = row.optional_integer("volume"))
            r.volume += *volume;
        else
            ++r.without_volume;
    });
    std::stable_sort(rows.begin(), rows.end(), [](const NeedRow& a, const NeedRow& b) {
        if (a.customers != b.customers) return a.customers > b.customers;
        return a.volume > b.volume;
    });
    return rows;
}

}  // namespace fieldbook::reports
