#pragma once
// Prospects that are slipping: no progress in their best outcome for some days and nothing
// planned, with the cheapest way to get back in touch.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/session.hpp"

namespace fieldbook::stale {

struct Prospect {
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> owner;
    std::optional<std::int64_t> owner_id;
    std::string status;
    std::string best_outcome;
    std::string since_day;  // when the best outcome was first reached
    std::int64_t days = 0;  // since then
    std::string last_visit_day;
    std::string channel;  // phone if a number is known, else email, else a revisit
    std::optional<std::string> contact;
    std::optional<std::string> reach;  // the number or address to use
};

// Open prospects (not customers, lost or dormant, nor marked no-solicitation, nor refusing at
// every visit) whose best outcome has not improved in `days` days and that have no open
// follow-up; those of `owner_id` only when given. Longest slipping first.
std::vector<Prospect> find(Session& s, text::Day today, std::int64_t days,
                           std::optional<std::int64_t> owner_id);

}  // namespace fieldbook::stale
