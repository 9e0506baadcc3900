#pragma once
// Whether the store's file is sound, as SQLite sees it: its own integrity check, every
// reference between rows, the schema version. What the domain archives (meeting summaries and
// their SHA-256) is checked by the domain.
#include <string>
#include <vector>

namespace fieldbook::store {

class Store;

struct CheckReport {
    // What PRAGMA integrity_check found, as SQLite words it (with the page numbers it gives).
    std::vector<std::string> damage;
    // Rows naming a row that does not exist ("visit row 12: customer").
    std::vector<std::string> broken_references;
    int schema_version = 0;
};

// Checks the store without changing it. Damage found marks the store damaged (write commands
// stop); a store found sound loses an earlier mark.
CheckReport check_store(Store& store);

}  // namespace fieldbook::store
