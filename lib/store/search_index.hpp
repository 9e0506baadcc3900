#pragma once
// Substring search over visits. The index holds one normalised body per visit (customer,
// contact and every free-text field, NFKC + case-folded) so "ＡＣＭＥ" finds "Acme".
#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>

namespace fieldbook::store {

// Rebuilds the body of one visit from its current rows (after add or edit).
void index_visit(SQLite::Database& db, std::int64_t visit_id);
// Rebuilds every visit of a customer (after a rename or a contact change).
void index_customer_visits(SQLite::Database& db, std::int64_t customer_id);
void unindex_visit(SQLite::Database& db, std::int64_t visit_id);

// A condition on `visit.id` matching visits whose body contains `key` (already a match key),
// with the one value to bind. User text is bound, never spliced into the query, and is always
// searched as a literal substring (no query syntax).
struct SearchCondition {
    std::string sql;
    std::string value;
};
SearchCondition visit_search_condition(const std::string& key, const std::string& id_column);

}  // namespace fieldbook::store
