#pragma once
// Which open prospect to follow up first: a score made of plain terms (size, best outcome, an
// inside contact, days untouched, referral, the owner's load), each a measured value times a
// configured weight, so that any rank can be read back like a receipt.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config.hpp"
#include "domain/session.hpp"

namespace fieldbook::priority {

// Points are kept in hundredths, each term rounded on its own, so that the printed terms
// always add up to the printed score.
using Hundredths = std::int64_t;

struct Term {
    std::string name;     // size, stage, inside, idle, referral, load
    std::string measure;  // what was measured, for people: "headcount 45", "best: interest"
    double value = 0;     // the measured amount in the term's unit
    double weight = 0;    // points per unit, from the config
    Hundredths points = 0;
};

struct Prospect {
    int rank = 0;
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> industry;
    std::optional<std::string> owner;
    std::string status;
    std::optional<std::string> best_outcome;
    std::string stage;  // the step the stage term counts: refused, none, contact ... intent
    std::optional<std::int64_t> staff;  // headcount, or estimated from the office size
    std::int64_t idle_days = 0;
    std::vector<Term> terms;
    Hundredths score = 0;
};

// Staff estimated from an office size such as "约300平方米", "300㎡", "300 m2": about ten
// square metres a person. Nothing when the text names no area.
std::optional<std::int64_t> staff_from_office_size(std::string_view office_size);

// Open prospects (prospect, contacted, interested, negotiating; not no-solicitation), highest
// score first; ties go to the longest untouched, then by name.
std::vector<Prospect> rank(Session& s, const PriorityWeights& weights);

// The stage term's steps by name: -1 refused, 0 none, 1 contact, 2 interest, 3 intent.
std::string stage_name(int stage);

// "12.50", "-3.00".
std::string format_points(Hundredths points);

}  // namespace fieldbook::priority
