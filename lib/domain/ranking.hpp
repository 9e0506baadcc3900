#pragma once
// The 20/80 rule: customers sorted by what they bring, with their share, cumulative share and
// ABC class, so that effort goes where it pays.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/money.hpp"
#include "domain/session.hpp"

namespace fieldbook::ranking {

struct Thresholds {
    double a = 80.0;  // class A: up to this cumulative percentage
    double b = 95.0;  // class B: up to this one; C the rest
};

struct Ranked {
    int rank = 0;
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> industry;
    std::optional<std::string> owner;
    std::int64_t orders = 0;
    money::Cents value = 0;
    double share = 0;       // percent of the total
    double cumulative = 0;  // percent, this customer included
    char abc = 'C';
};

struct Pareto {
    std::string by;  // revenue or profit
    money::Cents total = 0;
    std::vector<Ranked> customers;  // value > 0, highest first; ties by name, then id
    // By profit: the customers with an order without a cost in the period, whose profit is
    // unknown. They are left out of the ranking (and of the total), by name; rank and value 0.
    std::vector<Ranked> unknown;
    // The smallest head of the list that reaches class A's share.
    std::int64_t head = 0;
    double head_percent = 0;  // of the customers with any value
};

// Orders placed in [since, until], cancelled ones left out; profit is amount minus cost, and
// unknown for a customer with any order without a cost (Pareto::unknown).
Pareto customers(Session& s, const std::string& by, std::optional<text::Day> since,
                 std::optional<text::Day> until, const Thresholds& thresholds);

}  // namespace fieldbook::ranking
