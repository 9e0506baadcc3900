#include "store/search_index.hpp"

#include "store/engine.hpp"
#include "store/store.hpp"
#include "text/unicode.hpp"

namespace fieldbook::store {

void index_visit(Store& store, std::int64_t visit_id) {
    store.mark_for_search(visit_id);
}

void index_customer_visits(Store& store, std::int64_t customer_id) {
    store.engine().query("SELECT id FROM visit WHERE customer_id = ? AND deleted_at IS NULL",
                         {customer_id},
                         [&](const Row& row) { store.mark_for_search(row.integer("id")); });
}

void index_all_visits(Store& store) {
    store.engine().query("SELECT id FROM visit WHERE deleted_at IS NULL", {},
                         [&](const Row& row) { store.mark_for_search(row.integer("id")); });
}

void reindex_visit(Store& store, std::int64_t visit_id) {
    std::optional<std::string> body;
    store.engine().query(R"sql(
SELECT c.name AS customer, ct.name AS contact, ct.title AS title, b.name AS building,
       v.note AS note, v.went_well AS went_well, v.improve AS improve,
       v.tool_feedback AS tool_feedback, v.brands AS brands, v.usage AS usage,
       v.office_size AS office_size, v.script AS script
FROM visit v
JOIN customer c ON c.id = v.customer_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN building b ON b.id = c.building_id
WHERE v.id = ? AND v.deleted_at IS NULL)sql",
                         {visit_id}, [&](const Row& row) {
                             body.emplace();
                             for (const auto& column : row.columns()) {
                                 if (row.is_null(column)) continue;
                                 *body += text::match_key(row.text(column));
                                 *body += '\n';
                             }
                         });
    store.engine().replace_search_body(visit_id, body);
}

SearchCondition visit_search_condition(Store& store, const std::string& key,
                                       const std::string& id_column) {
    return store.engine().search_condition(key, id_column);
}

}  // namespace fieldbook::store
