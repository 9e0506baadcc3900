#pragma once
// What every domain operation needs, passed explicitly: the store, the clock, the id source,
// the team's time zone (which decides the local day of every instant) and the command's author,
// under whom every change made through tx() is logged.
#include <memory>
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
    // The command running and who runs it; actor is filled in once the acting rep is known.
    store::Author author{};

    // The one write path (store/tx.hpp): inside a store.write() or store.read() transaction,
    // reads, and record changes logged under `author`.
    store::Tx& tx() {
        if (!tx_) tx_ = store.tx(author, clock, uuids);
        return *tx_;
    }

    std::string now_utc() const { return text::format_utc(clock.now()); }
    text::Day today() const { return text::local_day(clock.now(), zone); }

    std::unique_ptr<store::Tx> tx_{};
};

}  // namespace fieldbook
