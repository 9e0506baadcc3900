#pragma once
// Substring search over visits. The index holds one normalised body per visit (customer,
// contact and every free-text field, NFKC + case-folded) so "ＡＣＭＥ" finds "Acme".

#include <cstdint>
#include <string>

namespace fieldbook::store {

class Store;

// Inside a write transaction: the visit's search text is rebuilt from its current rows when
// the transaction commits (a deleted visit leaves the index).
void index_visit(Store& store, std::int64_t visit_id);
// The same for every visit of a customer (after a rename or a move).
void index_customer_visits(Store& store, std::int64_t customer_id);
// Inside a write transaction: every visit, as when the index is new to an existing store.
void index_all_visits(Store& store);
// Called by Store as it commits.
void reindex_visit(Store& store, std::int64_t visit_id);

// A condition on `visit.id` matching visits whose body contains `key` (already a match key),
// with the one value to bind. User text is bound, never spliced into the query, and is always
// searched as a literal substring (no query syntax).
struct SearchCondition {
    std::string sql;
    std::string value;
};
SearchCondition visit_search_condition(Store& store, const std::string& key,
                                       const std::string& id_column);

}  // namespace fieldbook::store
