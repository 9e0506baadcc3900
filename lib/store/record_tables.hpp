#pragma once
// The tables that hold records, found from the schema itself: every table whose rows carry an
// integer id and a UUID. Derived tables (the search index) and the store's settings are not
// records.
#include <string>
#include <vector>

namespace fieldbook::store {

class Store;

// Their names, sorted.
std::vector<std::string> record_tables(Store& store);

// Inside a write transaction: deletes every record and empties the search index, leaving the
// schema and the settings, and the operation log that described them; new rows are numbered
// from 1 again.
void erase_all_records(Store& store);

}  // namespace fieldbook::store
