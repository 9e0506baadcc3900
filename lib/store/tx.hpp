#pragma once
// The one way the domain touches a store: a transaction that reads with portable SQL and writes
// only through three record calls. Every record call passes one place, which stamps the record,
// and appends the change (old and new values) to the operation log in the same transaction;
// that log is what undo, `log`, a record's history and sync read. Derived data (the search
// index) is not written here: it is rebuilt from the records.
//
// Portable SQL: `?` placeholders and the subset that SQLite 3.40 and PostgreSQL 15 both speak
// (RETURNING, IS NOT DISTINCT FROM, ON CONFLICT). No engine's type appears in this interface.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/record_row.hpp"
#include "store/value.hpp"

namespace fieldbook::store {

// Column = value pairs, in the order given (the order of the log's JSON objects too).
using Fields = std::vector<std::pair<std::string, Value>>;

struct Inserted {
    std::int64_t id = 0;
    std::string uuid;
};

// One record call, as the rule of who may change what (Tx::Guard) sees it before it is written.
struct RecordChange {
    std::string_view table;
    std::optional<std::int64_t> id;  // none for an insert
    std::string_view kind;           // insert, update, tombstone
    const Fields& fields;            // the new values (an update: only those that differ)
};

// Who writes and in which command: what every record call of a transaction is logged under.
// One command is one fieldbook invocation; its id is the same for every transaction it runs.
struct Author {
    std::string command_uuid;       // UUIDv7 of the invocation
    std::string actor;              // the rep's handle ("" before the team has one)
    std::vector<std::string> argv;  // as typed, for `log`
    std::string undoes;             // the UUID of the command this one reverts (undo), or ""
};

// An operation made on another store, applied here once (sync, lib/store/sync/): the record
// is named by its UUID, the fields are already this store's (references as its ids) and
// already merged (only the fields that win are written). It is logged under its own UUID,
// instant, device and command, so that it is known as the same operation everywhere.
struct ReceivedChange {
    std::string table;
    std::string record_uuid;
    std::optional<std::int64_t> id;  // the record here; none for one this store lacks
    std::string kind;                // insert, update, tombstone
    Fields fields;                   // to write; empty when every field lost
    std::string op_uuid;
    std::string device;
    std::string at_utc;  // when it was made
    Author command;      // the command it was made in
    std::string command_at_utc;
};

class Tx {
  public:
    virtual ~Tx() = default;

    // Called before every record call is written; throws to refuse it, and the transaction then
    // rolls back whole. The rule lives with the domain (permissions), the call here, so that
    // no write, whichever command or undo or sync makes it, passes unchecked.
    using Guard = std::function<void(Tx&, const RecordChange&)>;
    void guard_with(Guard guard) { guard_ = std::move(guard); }
    // Takes the guard away (to be given back with guard_with): for a change judged as a whole
    // beforehand, as an undo is.
    Guard release_guard() { return std::exchange(guard_, nullptr); }

    // Calls on_row for each row of a query, streaming: nothing is held but the current row.
    virtual void each(std::string_view sql, const Values& params,
                      const std::function<void(const Row&)>& on_row) = 0;
    // The first row, if any.
    std::optional<Row> one(std::string_view sql, const Values& params = {});
    // Every row: for results known to be small (a day's visits, a customer's contacts).
    std::vector<Row> all(std::string_view sql, const Values& params = {});

    // A new record. Its UUID (UUIDv7) and created/updated instants are stamped here; the fields
    // are logged as its new values.
    virtual Inserted insert(std::string_view table, const Fields& fields) = 0;
    // Changes fields of a live record. Only fields whose value differs are written and logged
    // (old and new); returns false, writing nothing, when none differs. updated_at is stamped.
    virtual bool update(std::string_view table, std::int64_t id, const Fields& changes) = 0;
    // Marks a record deleted (deleted_at); it stays, so that undo and sync can restore it.
    virtual void tombstone(std::string_view table, std::int64_t id) = 0;
    // Applies an operation received from another store (see ReceivedChange), through the
    // guard as every record call; returns the record's id here. A deleted record's fields are
    // written too (so that every store ends alike), and a tombstone keeps its first instant.
    virtual std::int64_t apply(const ReceivedChange& change) = 0;

  protected:
    void check(const RecordChange& change) {
        if (guard_) guard_(*this, change);
    }

  private:
    Guard guard_;
};

}  // namespace fieldbook::store
