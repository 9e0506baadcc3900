#include "store/search_index.hpp"

#include <SQLiteCpp/Statement.h>

#include <vector>

#include "text/unicode.hpp"

namespace fieldbook::store {

void index_visit(SQLite::Database& db, std::int64_t visit_id) {
    SQLite::Statement q(db, R"sql(
SELECT c.name, ct.name, ct.title, b.name, v.note, v.went_well, v.improve, v.tool_feedback,
       v.brands, v.usage, v.office_size, v.script
FROM visit v
JOIN customer c ON c.id = v.customer_id
LEFT JOIN contact ct ON ct.id = v.contact_id
LEFT JOIN building b ON b.id = c.building_id
WHERE v.id = ?)sql");
    q.bind(1, visit_id);
    if (!q.executeStep()) return;
    std::string body;
    for (int i = 0; i < q.getColumnCount(); ++i) {
        if (q.isColumnNull(i)) continue;
        body += text::match_key(q.getColumn(i).getString());
        body += '\n';
    }
    unindex_visit(db, visit_id);
    SQLite::Statement insert(db, "INSERT INTO visit_search (rowid, body) VALUES (?, ?)");
    insert.bind(1, visit_id);
    insert.bind(2, body);
    insert.exec();
}

void index_customer_visits(SQLite::Database& db, std::int64_t customer_id) {
    SQLite::Statement q(db, "SELECT id FROM visit WHERE customer_id = ? AND deleted_at IS NULL");
    q.bind(1, customer_id);
    std::vector<std::int64_t> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    for (auto id : ids) index_visit(db, id);
}

void unindex_visit(SQLite::Database& db, std::int64_t visit_id) {
    SQLite::Statement del(db, "DELETE FROM visit_search WHERE rowid = ?");
    del.bind(1, visit_id);
    del.exec();
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
