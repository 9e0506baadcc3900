#pragma once
// Which records of a store are the demo's own. `demo` replaces a store only when every record
// in it is one the demo made and nobody changed since: it notes, as it finishes, the rows it
// made in each table (up to which id) and a fingerprint of their contents. Any row added since,
// any of its rows edited, tombstoned or erased, and a store that `init` took over, is someone's
// work, and the demo leaves the store alone.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/session.hpp"

namespace fieldbook::demo {

// One table's records that are not the demo's own.
struct Foreign {
    std::string table;
    std::int64_t added = 0;  // rows the demo did not make
    bool changed = false;    // rows it made were edited, tombstoned or erased since
};

struct Holdings {
    bool made_by_demo = false;    // the store carries the demo's note of its own records
    bool adopted = false;         // and `init` took it over since
    std::vector<Foreign> tables;  // tables with rows that are not the demo's

    // Whether a new demo may take the store's place: nothing in it is anyone's work.
    bool replaceable() const { return !adopted && tables.empty(); }
};

// Inside a write transaction, as the demo finishes: every record now in the store is its own.
void mark_own(Session& s);
// Inside a write transaction: the store is someone's from now on (`init`), whatever it holds.
void adopt(Session& s);
// What the store holds that the demo may not replace.
Holdings holdings(Session& s);
// "2 reps, 5 visits added since; customers changed since the demo made them", for a refusal.
std::string describe(const Holdings& held);
// Inside a write transaction: empties every table of records (and the search index), so that
// a new demo starts from ids 1 as a new store would.
void clear(Session& s);

}  // namespace fieldbook::demo
