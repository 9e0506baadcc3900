#pragma once
// What a Store asks of the database engine beneath it: statements, transactions, its schema
// steps, its failures and its search index. Store (store.hpp), the logged transaction
// (logged_tx.hpp) and everything above them are written once against this interface; each
// engine is one directory of its own (lib/store/sqlite/, lib/store/postgres/).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/record_row.hpp"
#include "store/record_tables.hpp"
#include "store/search_index.hpp"
#include "store/value.hpp"

namespace fieldbook::store {

class Engine {
  public:
    virtual ~Engine() = default;

    // One statement of portable SQL with `?` placeholders; on_row sees each row, streaming.
    virtual void query(std::string_view sql, const Values& params,
                       const std::function<void(const Row&)>& on_row) = 0;
    // Several statements without parameters (a schema step).
    virtual void script(std::string_view sql) = 0;

    // A transaction that writes: other writers wait for it rather than fail.
    virtual void begin_write() = 0;
    // A transaction that reads one consistent state of the store.
    virtual void begin_read() = 0;
    virtual void commit() = 0;
    // Never throws: it runs while another failure is being handled.
    virtual void rollback() noexcept = 0;

    // The schema: its steps (entry i takes version i to i + 1) and the version reached.
    virtual const std::vector<std::string_view>& migrations() const = 0;
    virtual int schema_version() = 0;
    virtual void set_schema_version(int version) = 0;
    // Before an existing store's schema changes (the embedded store copies its file aside).
    virtual void before_upgrade(int /*version*/) {}

    // Called while an exception is handled: throws the Error that it means when it is this
    // engine's own, and rethrows it unchanged otherwise.
    [[noreturn]] virtual void rethrow_failure() = 0;

    // The search index (search_index.hpp): a visit's body replaced (none: removed), and the
    // condition that finds a match key in it.
    virtual void replace_search_body(std::int64_t visit_id,
                                     const std::optional<std::string>& body) = 0;
    virtual SearchCondition search_condition(const std::string& key,
                                             const std::string& id_column) const = 0;

    // The record tables and the references between them (record_tables.hpp), read from the
    // engine's catalog.
    virtual std::vector<std::string> record_tables() = 0;
    virtual std::vector<Reference> references_to(const std::string& table) = 0;
    virtual void erase_all_records() = 0;

    // Before a write of many rows in one transaction (an import).
    virtual void prepare_for_bulk_write() {}

    // The SQL expression of a new record's id in `table`: the largest so far plus one, on
    // every engine (what SQLite gives a rowid; a server's sequence never hands back a number
    // drawn by a transaction that rolled back), so that both number records alike. Writers
    // are serial on every engine, so no other transaction draws the same one.
    virtual std::string next_id(const std::string& table) const = 0;

    // The database role this connection logs in as, on an engine that has roles (a server):
    // there a rep acts as themself and no one else.
    virtual std::optional<std::string> login_role() { return std::nullopt; }
};

}  // namespace fieldbook::store
