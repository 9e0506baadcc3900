#pragma once
// A private in-memory store, a pinned clock and the team's time zone, as every domain test
// needs them.
#include <cstdlib>
#include <ctime>
#include <string>

#include "clock.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "store/store.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

namespace fieldbook::testing {

inline void use_timezone(const char* zone) {
    ::setenv("TZ", zone, 1);
    ::tzset();
}

struct TestStore {
    explicit TestStore(const char* now = "2026-11-26T10:00:00+08:00")
        : clock((use_timezone("Asia/Shanghai"), text::parse_iso_instant(now, "now"))),
          store(store::Store::in_memory()),
          uuids(clock, 7),
          session{store, clock, uuids} {}

    reps::Rep add_rep(const std::string& handle, const std::string& role = "rep") {
        return store.write(
            [&] { return reps::add(session, {.handle = handle, .name = handle, .role = role}); });
    }

    FixedClock clock;
    store::Store store;
    UuidGenerator uuids;
    Session session;
};

}  // namespace fieldbook::testing
