#pragma once
// One row per customer: what is known about it, how far it has come, and what it has bought
// and still owes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct CustomerRow {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> building, floor, room, industry;
    std::optional<std::int64_t> headcount;
    std::optional<std::string> office_size, brands, usage;
    std::string source;
    std::optional<std::string> referred_by, owner;
    std::string status;
    bool no_solicitation = false;
    std::int64_t visits = 0;  // in the period
    std::optional<std::string> first_visit, last_visit;
    std::int64_t orders = 0;  // placed in the period
    money::Cents revenue = 0;
    money::Cents paid = 0;         // on those orders, to this day
    money::Cents outstanding = 0;  // on those orders
};

// Every customer (owned by the scope's rep, when one is given), by name. With a period, visits
// and orders count only within it, and customers with neither are left out.
std::vector<CustomerRow> customer_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
