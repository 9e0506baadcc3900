#include "store/sync/references.hpp"

#include "store/record_tables.hpp"

namespace fieldbook::store::sync {
namespace {

// The column that names a record of `table` across stores.
std::string key_column(const std::string& table) {
    return table == "rep" ? "handle" : "uuid";
}

}  // namespace

References::References(Store& store) {
    for (const auto& table : record_tables(store)) {
        tables_.insert(table);
        for (const auto& reference : references_to(store, table))
            targets_[{reference.table, reference.column}] = table;
    }
}

const std::string* References::target(const std::string& table, const std::string& column) const {
    auto found = targets_.find({table, column});
    return found == targets_.end() ? nullptr : &found->second;
}

std::vector<std::pair<std::string, std::string>> References::referring_to(
    const std::string& table) const {
    std::vector<std::pair<std::string, std::string>> columns;
    for (const auto& [column, target] : targets_)
        if (target == table) columns.push_back(column);
    return columns;
}

std::optional<std::string> References::key_of(Tx& tx, const std::string& table,
                                              std::int64_t id) const {
    auto row = tx.one(
        "SELECT " + key_column(table) + " AS record_key FROM " + table + " WHERE id = ?", {id});
    if (!row) return std::nullopt;
    return row->text("record_key");
}

std::optional<std::string> References::key_of_uuid(Tx& tx, const std::string& table,
                                                   const std::string& uuid) const {
    if (table != "rep") return uuid;
    auto row = tx.one("SELECT handle FROM rep WHERE uuid = ?", {uuid});
    if (!row) return std::nullopt;
    return row->text("handle");
}

std::optional<References::Local> References::find(Tx& tx, const std::string& table,
                                                  const std::string& key) const {
    auto known = found_.find({table, key});
    if (known != found_.end()) return known->second;
    auto row =
        tx.one("SELECT id, uuid FROM " + table + " WHERE " + key_column(table) + " = ?", {key});
    // A building another store made apart, matched with this store's by name (merge.hpp).
    if (!row && table == "building")
        row = tx.one(
            "SELECT b.id, b.uuid FROM sync_alias a JOIN building b ON b.uuid = a.local_uuid "
            "WHERE a.record_table = 'building' AND a.uuid = ?",
            {key});
    if (!row) return std::nullopt;
    Local local{row->integer("id"), row->text("uuid")};
    found_.emplace(std::make_pair(table, key), local);
    return local;
}

}  // namespace fieldbook::store::sync
