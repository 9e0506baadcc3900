#include "store/search_index.hpp"

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"
#include "text/unicode.hpp"

namespace fieldbook::store {

void index_visit(Store& store, std::int64_t visit_id) {
    store.mark_for_search(visit_id);
}

void index_customer_visits(Store& store, std::int64_t customer_id) {
    auto q = prepare(store, "SELECT id FROM visit WHERE customer_id = ? AND deleted_at IS NULL");
    q->bind(1, customer_id);
    while (q->executeStep()) store.mark_for_search(q->getColumn(0).getInt64());
}

void index_all_visits(Store& store) {
    auto q = prepare(store, "SELECT id FROM visit WHERE deleted_at IS NULL");
    while (q->executeStep()) store.mark_for_search(q->getColumn(0).getInt64());
}

void reindex_visit(Store& store, std::int64_t visit_id) {
    auto remove = prepare(store, "DELETE FROM visit_search WHERE rowid = ?");
    remove->bind(1, visit_id);
    remove->exec();
    auto q = prepare(store, R"sql(
SELECT c.name, ct.name, ct.title, b.name, v.note, v.went_well, v.improve, v.tool_feedback,
       v.brands, v.usage, v.office_size, v.script
FROM visit v
JOIN customer c ON c.id = v.customer_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN building b ON b.id = c.building_id
WHERE v.id = ? AND v.deleted_at IS NULL)sql");
    q->bind(1, visit_id);
    if (!q->executeStep()) return;
    std::string body;
    for (int i = 0; i < q->getColumnCount(); ++i) {
        if (q->isColumnNull(i)) continue;
        body += text::match_key(q->getColumn(i).getString());
        body += '\n';
    }
    auto insert = prepare(store, "INSERT INTO visit_search (rowid, body) VALUES (?, ?)");
    insert->bind(1, visit_id);
    insert->bind(2, body);
    insert->exec();
}

SearchCondition visit_search_condition(const std::string& key, const std::string& id_column) {
    // The trigram tokenizer needs three characters; a phrase query of a quoted literal finds
    // the substring through the index. Shorter terms fall back to a scan of the bodies.
    if (text::codepoint_count(key) >= 3) {
        std::string phrase = "\"";
        for (char ch : key) phrase += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        phrase += '"';
        return {id_column + " IN (SELECT rowid FROM visit_search WHERE visit_search MATCH ?)",
                phrase};
    }
    return {id_column + " IN (SELECT rowid FROM visit_search WHERE instr(body, ?) > 0)", key};
}

}  // namespace fieldbook::store
