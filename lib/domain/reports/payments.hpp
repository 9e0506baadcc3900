#pragma once
// Money received: every payment in the period, oldest first, with who took it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

struct Received {
    std::int64_t payment_id = 0;
    std::string day;
    std::int64_t order_id = 0;
    std::string customer;
    std::string rep;  // the order's rep
    money::Cents amount = 0;
    // Who took it: the payment's rep or, for one recorded before payments named their rep, the
    // rep whose command recorded it (from the operation log).
    std::optional<std::string> who;
    std::optional<std::string> note;
};

struct ReceivedReport {
    std::vector<Received> payments;  // by day, then as recorded
    money::Cents total = 0;
};

// Payments made in the period on the scope rep's orders. A cancelled order's payments were
// given back and are left out.
ReceivedReport payment_report(Session& s, const Scope& scope);

}  // namespace fieldbook::reports
