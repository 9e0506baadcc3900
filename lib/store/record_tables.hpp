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

// A column of a record table that holds the id of a record of another (visit.customer_id).
struct Reference {
    std::string table;
    std::string column;
};
// The columns that refer to records of `table`, as the schema declares them.
std::vector<Reference> references_to(Store& store, const std::string& table);

// Inside a write transaction: deletes every record and empties the search index, leaving the
// schema and the settings, and the operation log that described them; new rows are numbered
// from 1 again.
void erase_all_records(Store& store);

}  // namespace fieldbook::store
