#include "store/tx.hpp"

namespace fieldbook::store {

std::optional<Row> Tx::one(std::string_view sql, const Values& params) {
    std::optional<Row> first;
    // Reading on after the first row would cost the rest of the result for nothing, but a
    // callback cannot stop the walk; a query meant for one row says so with LIMIT 1.
    each(sql, params, [&](const Row& row) {
        if (!first) first = row;
    });
    return first;
}

std::vector<Row> Tx::all(std::string_view sql, const Values& params) {
    std::vector<Row> rows;
    each(sql, params, [&](const Row& row) { rows.push_back(row); });
    return rows;
}

}  // namespace fieldbook::store
