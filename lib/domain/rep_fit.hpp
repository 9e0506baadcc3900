#pragma once
// Who sells best where: each rep's record per customer industry (visits, people reached,
// intents, orders, conversion, revenue), and from it an owner for each unowned prospect.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/session.hpp"

namespace fieldbook::repfit {

struct Record {
    std::string rep;  // handle
    std::optional<std::string> industry;
    std::int64_t customers = 0;  // distinct customers the rep visited
    std::int64_t visits = 0;
    std::int64_t contacts = 0;         // visits that reached someone: contact or better
    std::int64_t intents = 0;          // visits ending in intent or order
    std::int64_t orders = 0;           // orders taken by the rep
    std::int64_t won = 0;              // visited customers that ordered from the rep
    std::optional<double> conversion;  // percent of visited customers won; none without visits
    money::Cents revenue = 0;
};

// Visits and orders in the period, one record per rep and industry that has any; `industry`
// keeps only that one. Industries are compared ignoring case and width (ＩＴ is IT); a record
// shows the spelling that sorts first. Sorted by industry, then
// best conversion, revenue and handle.
std::vector<Record> records(Session& s, const std::optional<std::string>& industry,
                            const text::Period& period);

struct Suggestion {
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> industry;
    std::optional<std::string> rep;  // none when the team has no active rep
    std::string basis;               // why this rep, for people
};

// An owner for each unowned open prospect: the active rep (role rep: managers and leaders run
// the team rather than the doors) with the best conversion
// in its industry among those who visited at least `min_customers` customers there; failing
// that, the one with the lightest load (open follow-ups plus what was already suggested).
std::vector<Suggestion> suggest(Session& s, const std::vector<Record>& all_records,
                                std::int64_t min_customers);

}  // namespace fieldbook::repfit
