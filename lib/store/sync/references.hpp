#pragma once
// How records are named between stores. Ids are each store's own, so a reference travels as
// the referred record's key: its UUID, except a rep's, which is their handle (a laptop made
// with `init --me HANDLE` has its own record of its rep, which joins the server's by handle).
// A building may also be known by the UUID another store gave it (an alias, merge.hpp).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/tx.hpp"

namespace fieldbook::store {
class Store;
}

namespace fieldbook::store::sync {

class References {
  public:
    // Reads which columns refer to which table from the store's schema.
    explicit References(Store& store);

    // Whether this store has such a record table (a name read from another store is used in
    // SQL only once it passes this).
    bool is_record_table(const std::string& table) const { return tables_.count(table) > 0; }

    // The table that table.column refers to, or null when it is no reference.
    const std::string* target(const std::string& table, const std::string& column) const;

    // The columns that refer to `table` (contact.customer_id for customer).
    std::vector<std::pair<std::string, std::string>> referring_to(const std::string& table) const;

    // The key of a record of this store, and the record of this store that a key names (none
    // when the store lacks it or, on a server, the login may not see it).
    std::optional<std::string> key_of(Tx& tx, const std::string& table, std::int64_t id) const;
    std::optional<std::string> key_of_uuid(Tx& tx, const std::string& table,
                                           const std::string& uuid) const;
    struct Local {
        std::int64_t id;
        std::string uuid;
    };
    // Found records are remembered until forget(): call it whenever a transaction begins,
    // since one that rolled back takes its inserted records with it.
    std::optional<Local> find(Tx& tx, const std::string& table, const std::string& key) const;
    void forget() const { found_.clear(); }

  private:
    std::set<std::string> tables_;
    std::map<std::pair<std::string, std::string>, std::string> targets_;
    mutable std::map<std::pair<std::string, std::string>, Local> found_;
};

}  // namespace fieldbook::store::sync
