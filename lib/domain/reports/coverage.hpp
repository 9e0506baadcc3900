#pragma once
// The sweep map: per building and floor, how many of the known rooms were visited, how many
// said no, and how many became customers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct FloorCoverage {
    std::string building;
    std::string floor;         // the floor's label (floors::read): "3" for 3, 03, ３, 3F, 3楼
    std::int64_t rooms = 0;    // distinct rooms of the customers known on the floor
    std::int64_t visited = 0;  // of those, rooms with a visit in the period
    std::int64_t visits = 0;   // visits in the period
    std::int64_t refused = 0;  // customers that refused a visit in the period
    std::int64_t no_solicitation = 0;  // customers marked no-solicitation (whatever the period)
    std::int64_t won = 0;  // customers with an order, or a visit ending in one, in the period
    std::optional<double> coverage;  // visited as a percentage of rooms
};

// Customers without a building or floor are not on the map. Floors and rooms are grouped as
// floors::read and floors::room_key read them, whatever way each was written. Buildings by
// name, floors in building order (floors::before). With a rep, only that rep's visits and
// orders.
std::vector<FloorCoverage> coverage_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
