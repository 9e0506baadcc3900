#pragma once
// What every domain operation needs, passed explicitly: the store, the clock, the id source and
// the team's time zone (which decides the local day of every instant).
#include <string>

#include "clock.hpp"
#include "store/store.hpp"
#include "text/dates.hpp"
#include "uuid.hpp"

namespace fieldbook {

struct Session {
    store::Store& store;
    const Clock& clock;
    UuidGenerator& uuids;
    const text::TimeZone& zone;

    SQLite::Database& db() { return store.db(); }
    store::Prepared prepare(const std::string& sql) { return store.prepare(sql); }
    std::string now_utc() const { return text::format_utc(clock.now()); }
    text::Day today() const { return text::local_day(clock.now(), zone); }
};

}  // namespace fieldbook
