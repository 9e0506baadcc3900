#include "domain/reports/coverage.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "domain/floors.hpp"
#include "store/tx.hpp"

namespace fieldbook::reports {
namespace {

struct Floor {
    std::set<std::string> rooms, visited_rooms;
    std::set<std::int64_t> refused, won;
    std::int64_t visits = 0, no_solicitation = 0;
};

// Floors by building and floor key; each key shows one label, the same in every building.
class Map {
  public:
    Floor& at(const std::string& building, const std::string& written) {
        floors::Floor f = floors::read(written);
        auto [label, added] = labels_.try_emplace(f.key, f);
        // A named floor written two ways ("M", "m") shows the smallest, whatever came first.
        if (!added && f.label < label->second.label) label->second.label = f.label;
        return floors_[{building, f.key}];
    }
    const std::map<std::pair<std::string, std::string>, Floor>& cells() const { return floors_; }
    const floors::Floor& floor_of(const std::string& key) const { return labels_.at(key); }

  private:
    std::map<std::pair<std::string, std::string>, Floor> floors_;
    std::map<std::string, floors::Floor> labels_;
};

}  // namespace

std::vector<FloorCoverage> coverage_report(Session& s, const Scope& scope) {
    // A customer without a room still occupies one door of its floor: its id stands in.
    const std::string where_placed = R"sql(
FROM customer c JOIN building b ON b.id = c.building_id
WHERE c.deleted_at IS NULL AND c.floor IS NOT NULL)sql";
    Map map;
    auto door = [](const store::Row& r) {
        auto room = r.optional_text("room");
        return room ? floors::room_key(*room) : "#" + std::to_string(r.integer("id"));
    };
    store::Tx& tx = s.tx();
    tx.each("SELECT b.name AS building, c.floor, c.room, c.id, c.no_solicitation" + where_placed,
            {}, [&](const store::Row& r) {
                Floor& f = map.at(r.text("building"), r.text("floor"));
                f.rooms.insert(door(r));
                if (r.integer("no_solicitation") != 0) ++f.no_solicitation;
            });
    Conditions visits;
    visits.period("v.day", scope);
    visits.rep("v.rep_id", scope);
    tx.each(
        "SELECT b.name AS building, c.floor, c.room, c.id, v.outcome "
        "FROM visit v JOIN customer c ON c.id = v.customer_id "
        "JOIN building b ON b.id = c.building_id "
        "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL AND c.floor IS NOT NULL" +
            visits.sql(),
        visits.values(), [&](const store::Row& r) {
            Floor& f = map.at(r.text("building"), r.text("floor"));
            f.visited_rooms.insert(door(r));
            ++f.visits;
            std::string outcome = r.text("outcome");
            if (outcome == "refused") f.refused.insert(r.integer("id"));
            if (outcome == "order") f.won.insert(r.integer("id"));
        });
    Conditions orders;
    orders.period("o.day", scope);
    orders.rep("o.rep_id", scope);
    tx.each(
        "SELECT b.name AS building, c.floor, c.id FROM orders o "
        "JOIN customer c ON c.id = o.customer_id "
        "JOIN building b ON b.id = c.building_id "
        "WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL AND c.deleted_at IS NULL "
        "AND c.floor IS NOT NULL" +
            orders.sql(),
        orders.values(), [&](const store::Row& r) {
            map.at(r.text("building"), r.text("floor")).won.insert(r.integer("id"));
        });
    std::vector<std::pair<floors::Floor, FloorCoverage>> rows;
    for (const auto& [key, f] : map.cells()) {
        const floors::Floor& floor = map.floor_of(key.second);
        FloorCoverage row{.building = key.first,
                          .floor = floor.label,
                          .rooms = static_cast<std::int64_t>(f.rooms.size()),
                          .visited = static_cast<std::int64_t>(f.visited_rooms.size()),
                          .visits = f.visits,
                          .refused = static_cast<std::int64_t>(f.refused.size()),
                          .no_solicitation = f.no_solicitation,
                          .won = static_cast<std::int64_t>(f.won.size())};
        row.coverage = percent(row.visited, row.rooms);
        rows.emplace_back(floor, std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        if (a.second.building != b.second.building) return a.second.building < b.second.building;
        return floors::before(a.first, b.first);
    });
    std::vector<FloorCoverage> out;
    out.reserve(rows.size());
    for (auto& [floor, row] : rows) out.push_back(std::move(row));
    return out;
}

}  // namespace fieldbook::reports
