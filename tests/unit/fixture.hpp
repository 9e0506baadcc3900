#pragma once
// A private in-memory store, a pinned clock and the team's time zone, as every domain test
// needs them.
#include <optional>
#include <string>

#include "clock.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "store/store.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

namespace fieldbook::testing {

// The zone of the CLI tests' team (Chengdu).
inline text::TimeZone shanghai() {
    return text::TimeZone::named("Asia/Shanghai", "test zone");
}

struct TestStore {
    explicit TestStore(const char* now = "2026-11-26T10:00:00+08:00")
        : zone(shanghai()),
          clock(text::parse_iso_instant(now, zone, "now")),
          store(store::Store::in_memory()),
          uuids(clock, 7),
          session{store, clock, uuids, zone} {}

    // Registered as a team registers its reps: by its manager or leader once it has one, before
    // that by its first rep (the very first needs nobody).
    reps::Rep add_rep(const std::string& handle, const std::string& role = "rep") {
        std::optional<reps::Rep> by;
        for (const auto& rep : reps::list(session, true)) {
            bool leads = rep.role == "manager" || rep.role == "leader";
            bool by_leads = by && (by->role == "manager" || by->role == "leader");
            if (!by || (leads && !by_leads) || (leads == by_leads && rep.id < by->id)) by = rep;
        }
        return store.write([&] {
            return reps::add(session, by, {.handle = handle, .name = handle, .role = role});
        });
    }

    text::TimeZone zone;
    FixedClock clock;
    store::Store store;
    UuidGenerator uuids;
    Session session;
};

}  // namespace fieldbook::testing
