#pragma once
// UUIDv7 (RFC 9562): a millisecond timestamp then random bits, so ids sort by creation time
// and stores filled on different laptops can be merged without collisions.
#include <cstdint>
#include <random>
#include <string>

#include "clock.hpp"

namespace fieldbook {

class UuidGenerator {
  public:
    // A fixed seed makes the sequence repeatable (tests, demo); 0 draws one from the system.
    UuidGenerator(const Clock& clock, std::uint64_t seed = 0);
    std::string next();
    // Never again an id at or before this millisecond: the clock of a store that has seen
    // changes stamped later than its own clock says (a hybrid logical clock, sync/instant.hpp).
    void observe(std::int64_t ms) {
        if (ms > last_ms_) last_ms_ = ms;
    }

  private:
    const Clock& clock_;
    std::mt19937_64 random_;
    std::int64_t last_ms_ = -1;
};

}  // namespace fieldbook
