#include "domain/reports/coverage.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace fieldbook::reports {
namespace {

std::optional<long> floor_number(const std::string& floor) {
    long value = 0;
    auto [end, error] = std::from_chars(floor.data(), floor.data() + floor.size(), value);
    if (error != std::errc() || end != floor.data() + floor.size()) return std::nullopt;
    return value;
}

struct Floor {
    std::set<std::string> rooms, visited_rooms;
    std::set<std::int64_t> refused, won;
    std::int64_t visits = 0, no_solicitation = 0;
};

}  // namespace

bool floor_before(const std::string& a, const std::string& b) {
    auto na = floor_number(a), nb = floor_number(b);
    if (na && nb) return *na < *nb || (*na == *nb && a < b);
    if (na || nb) return na.has_value();
    return a < b;
}

std::vector<FloorCoverage> coverage_report(Session& s, const Scope& scope) {
    // A customer without a room still occupies one door of its floor: its id stands in.
    const std::string where_placed = R"sql(
FROM customer c JOIN building b ON b.id = c.building_id
WHERE c.deleted_at IS NULL AND c.floor IS NOT NULL)sql";
    std::map<std::pair<std::string, std::string>, Floor> floors;
    auto door = [](SQLite::Statement& q, int room, int id) {
        return q.isColumnNull(room) ? "#" + q.getColumn(id).getString()
                                    : q.getColumn(room).getString();
    };
    {
        auto q =
            s.prepare("SELECT b.name, c.floor, c.room, c.id, c.no_solicitation" + where_placed);
        while (q->executeStep()) {
            Floor& f = floors[{q->getColumn(0).getString(), q->getColumn(1).getString()}];
            f.rooms.insert(door(*q, 2, 3));
            if (q->getColumn(4).getInt() != 0) ++f.no_solicitation;
        }
    }
    {
        Conditions visits;
        visits.period("v.day", scope);
        visits.rep("v.rep_id", scope);
        auto q = s.prepare(
            "SELECT b.name, c.floor, c.room, c.id, v.outcome "
            "FROM visit v JOIN customer c ON c.id = v.customer_id "
            "JOIN building b ON b.id = c.building_id "
            "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL AND c.floor IS NOT NULL" +
            visits.sql());
        visits.bind(q);
        while (q->executeStep()) {
            Floor& f = floors[{q->getColumn(0).getString(), q->getColumn(1).getString()}];
            f.visited_rooms.insert(door(*q, 2, 3));
            ++f.visits;
            std::string outcome = q->getColumn(4).getString();
            if (outcome == "refused") f.refused.insert(q->getColumn(3).getInt64());
            if (outcome == "order") f.won.insert(q->getColumn(3).getInt64());
        }
    }
    {
        Conditions orders;
        orders.period("o.day", scope);
        orders.rep("o.rep_id", scope);
        auto q = s.prepare(
            "SELECT b.name, c.floor, c.id FROM orders o JOIN customer c ON c.id = o.customer_id "
            "JOIN building b ON b.id = c.building_id "
            "WHERE o.deleted_at IS NULL AND c.deleted_at IS NULL AND c.floor IS NOT NULL" +
            orders.sql());
        orders.bind(q);
        while (q->executeStep())
            floors[{q->getColumn(0).getString(), q->getColumn(1).getString()}].won.insert(
                q->getColumn(2).getInt64());
    }
    std::vector<FloorCoverage> out;
    for (auto& [key, f] : floors) {
        FloorCoverage row{.building = key.first,
                          .floor = key.second,
                          .rooms = static_cast<std::int64_t>(f.rooms.size()),
                          .visited = static_cast<std::int64_t>(f.visited_rooms.size()),
                          .visits = f.visits,
                          .refused = static_cast<std::int64_t>(f.refused.size()),
                          .no_solicitation = f.no_solicitation,
                          .won = static_cast<std::int64_t>(f.won.size())};
        row.coverage = percent(row.visited, row.rooms);
        out.push_back(std::move(row));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (a.building != b.building) return a.building < b.building;
        return floor_before(a.floor, b.floor);
    });
    return out;
}

}  // namespace fieldbook::reports
