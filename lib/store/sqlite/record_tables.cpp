#include "store/record_tables.hpp"

#include <fmt/format.h>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace fieldbook::store {
namespace {

// Quotes a table name for SQL (names come from the schema, but are quoted all the same).
std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

}  // namespace

std::vector<std::string> record_tables(Store& store) {
    auto q = prepare(store, R"sql(
SELECT m.name FROM sqlite_master m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL%'
  AND (SELECT COUNT(*) FROM pragma_table_info(m.name) c WHERE c.name IN ('id', 'uuid')) = 2
ORDER BY m.name)sql");
    std::vector<std::string> names;
    while (q->executeStep()) names.push_back(q->getColumn(0).getString());
    return names;
}

std::vector<Reference> references_to(Store& store, const std::string& table) {
    std::vector<Reference> found;
    for (const auto& from : record_tables(store)) {
        auto q = prepare(store,
                         "SELECT \"from\" AS column FROM pragma_foreign_key_list(?) "
                         "WHERE \"table\" = ?");
        q->bind(1, from);
        q->bind(2, table);
        while (q->executeStep()) found.push_back({from, q->getColumn(0).getString()});
    }
    return found;
}

void erase_all_records(Store& store) {
    // Records refer to each other; the references are checked once all are gone, at commit.
    database(store).exec("PRAGMA defer_foreign_keys = ON");
    for (const auto& table : record_tables(store))
        database(store).exec(fmt::format("DELETE FROM {}", quoted(table)));
    std::vector<std::string> indexes;
    {
        auto q = prepare(
            store,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'");
        while (q->executeStep()) indexes.push_back(q->getColumn(0).getString());
    }
    for (const auto& index : indexes)
        database(store).exec(fmt::format("DELETE FROM {}", quoted(index)));
    // The log of records that are gone would undo into nothing.
    database(store).exec("DELETE FROM op_log");
    database(store).exec("DELETE FROM command");
}

}  // namespace fieldbook::store
