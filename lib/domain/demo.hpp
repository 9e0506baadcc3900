#pragma once
// A realistic demo store: a team, buildings in one city, ~40 companies and two weeks of
// visits told as stories (refused at the door, or met, interested, and on to an order), from
// the data file data/demo.toml. With extra_visits, a synthetic store of any size to measure.
#include <cstdint>
#include <string_view>

#include "domain/session.hpp"

namespace fieldbook::demo {

struct Options {
    std::int64_t extra_visits = 0;
    std::uint64_t seed = 20261126;
};

struct Summary {
    std::int64_t reps = 0;
    std::int64_t buildings = 0;
    std::int64_t customers = 0;
    std::int64_t visits = 0;
    std::int64_t followups = 0;
    std::int64_t meetings = 0;  // closed
    std::int64_t orders = 0;
};

// Fills an empty store. `data` is the TOML text of data/demo.toml; a malformed file is a
// UsageError naming its line and column.
Summary build(Session& s, std::string_view data, const Options& options);

}  // namespace fieldbook::demo
