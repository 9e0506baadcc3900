#include "store/recover.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <limits>
#include <set>

#include <sqlite3.h>

#include "errors.hpp"
#include "store/pending_file.hpp"
#include "store/search_index.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kMaxRowid = std::numeric_limits<std::int64_t>::max();

std::string sql_name(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

std::vector<std::string> column_names(SQLite::Database& db, const std::string& table) {
    SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    q.bind(1, table);
    std::vector<std::string> names;
    while (q.executeStep()) names.push_back(q.getColumn(0).getString());
    return names;
}

// The store's own tables, in the order they were made: not SQLite's, not virtual tables
// (the search index, rebuilt from the visits) nor their shadow tables.
std::vector<std::string> ordinary_tables(SQLite::Database& db) {
    SQLite::Statement q(db, R"sql(
SELECT name FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND name IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table')
ORDER BY rowid)sql");
    std::vector<std::string> names;
    while (q.executeStep()) names.push_back(q.getColumn(0).getString());
    return names;
}

// One table's rows, from the damaged store into the new one.
class TableCopy {
  public:
    TableCopy(Store& source, Store& target, const std::string& table,
              const std::vector<std::string>& columns)
        : source_(source), table_(table), insert_(database(target), insert_sql(table, columns)) {
        std::string list;
        for (const auto& c : columns) list += (list.empty() ? "" : ", ") + sql_name(c);
        select_ = fmt::format("SELECT rowid, {} FROM {}", list, sql_name(table));
    }

    TableRecovery run() {
        scan();
        collect_indexed_rowids();
        for (std::int64_t id : known_)
            if (!saved_.count(id)) read_one(id);
        return {.table = table_,
                .saved = static_cast<std::int64_t>(saved_.size()),
                .lost = static_cast<std::int64_t>(known_.size() - saved_.size())};
    }

  private:
    static std::string insert_sql(const std::string& table,
                                  const std::vector<std::string>& columns) {
        std::string list, marks;
        for (const auto& c : columns) {
            list += (list.empty() ? "" : ", ") + sql_name(c);
            marks += marks.empty() ? "?" : ", ?";
        }
        return fmt::format("INSERT INTO {} ({}) VALUES ({})", sql_name(table), list, marks);
    }

    // Errors that are not damage (a lock held too long, an I/O error) stop the recovery.
    void only_damage(const SQLite::Exception& e) {
        if (!is_damage(e)) fail(source_, e);
    }

    void keep(SQLite::Statement& row) {
        std::int64_t id = row.getColumn(0).getInt64();
        known_.insert(id);
        if (saved_.count(id)) return;
        try {
            for (int i = 1; i < row.getColumnCount(); ++i) {
                SQLite::Column value = row.getColumn(i);
                switch (value.getType()) {
                    case SQLITE_INTEGER:
                        insert_.bind(i, value.getInt64());
                        break;
                    case SQLITE_FLOAT:
                        insert_.bind(i, value.getDouble());
                        break;
                    case SQLITE_TEXT:
                        insert_.bind(i, value.getString());
                        break;
                    case SQLITE_BLOB:
                        insert_.bind(i, value.getBlob(), value.getBytes());
                        break;
                    default:
                        insert_.bind(i);
                }
            }
            insert_.exec();
            saved_.insert(id);
        } catch (const SQLite::Exception&) {
            // A row that no longer fits the schema (garbled by the damage) is lost.
        }
        insert_.reset();
        insert_.clearBindings();
    }

    // Rows in rowid order. Where a page cannot be read, the scan jumps ahead, farther each
    // time, until it lands past the damage; then it reads back from where it landed towards
    // the damage, for the rows the jump went over.
    void scan() {
        std::int64_t next = std::numeric_limits<std::int64_t>::min();
        std::uint64_t jump = 1;
        // Where the scan last failed, while it has not yet found a row past the damage.
        bool failing = false;
        std::int64_t failed_at = 0;
        while (true) {
            try {
                SQLite::Statement q(database(source_),
                                    select_ + " WHERE rowid >= ? ORDER BY rowid");
                q.bind(1, next);
                bool first = true;
                while (q.executeStep()) {
                    std::int64_t id = q.getColumn(0).getInt64();
                    keep(q);
                    if (first && failing) read_back(failed_at, id);
                    first = false;
                    failing = false;
                    jump = 1;
                    if (id == kMaxRowid) return;
                    next = id + 1;
                }
                return;
            } catch (const SQLite::Exception& e) {
                only_damage(e);
                if (!failing) failed_at = next;
                failing = true;
                // fieldbook's rowids start at 1: a scan failing from the lowest possible one
                // goes on from there.
                if (next < 1) {
                    next = 1;
                    continue;
                }
                if (jump > static_cast<std::uint64_t>(kMaxRowid - next)) return;
                next += static_cast<std::int64_t>(jump);
                jump *= 2;
            }
        }
    }

    void read_back(std::int64_t from, std::int64_t landed) {
        try {
            SQLite::Statement q(database(source_),
                                select_ + " WHERE rowid > ? AND rowid < ? ORDER BY rowid DESC");
            q.bind(1, from);
            q.bind(2, landed);
            while (q.executeStep()) keep(q);
        } catch (const SQLite::Exception& e) {
            only_damage(e);
        }
    }

    // Every index of the table lists the rowids of its rows: those the scan could not reach
    // are read one by one, and those that cannot be read are counted as lost. A partial index
    // lists only some (and is used only by a query that names its condition).
    void collect_indexed_rowids() {
        std::vector<std::string> indexes;
        try {
            SQLite::Statement q(database(source_),
                                "SELECT name FROM pragma_index_list(?) WHERE partial = 0");
            q.bind(1, table_);
            while (q.executeStep()) indexes.push_back(q.getColumn(0).getString());
        } catch (const SQLite::Exception& e) {
            only_damage(e);
        }
        for (const auto& index : indexes) {
            try {
                SQLite::Statement q(database(source_),
                                    fmt::format("SELECT rowid FROM {} INDEXED BY {}",
                                                sql_name(table_), sql_name(index)));
                while (q.executeStep()) known_.insert(q.getColumn(0).getInt64());
            } catch (const SQLite::Exception& e) {
                only_damage(e);
            }
        }
    }

    void read_one(std::int64_t id) {
        try {
            SQLite::Statement q(database(source_), select_ + " WHERE rowid = ?");
            q.bind(1, id);
            if (q.executeStep()) keep(q);
        } catch (const SQLite::Exception& e) {
            only_damage(e);
        }
    }

    Store& source_;
    std::string table_;
    std::string select_;
    SQLite::Statement insert_;
    std::set<std::int64_t> known_;
    std::set<std::int64_t> saved_;
};

[[noreturn]] void refuse_existing(const fs::path& target) {
    throw UsageError(fmt::format("recover: {} already exists", target.string()),
                     "name a new file: recovery never replaces a file");
}

Store open_damaged(const fs::path& damaged, int lock_timeout_ms) {
    try {
        return Store::open_existing(
            damaged, {.lock_timeout_ms = lock_timeout_ms, .upgrade = false, .read_only = true});
    } catch (const DamagedError& e) {
        throw SystemError(
            fmt::format("cannot recover {}: SQLite cannot read even its first page ({})",
                        damaged.string(), e.sqlite_says()),
            "restore your latest backup (made with `fieldbook db backup`)");
    }
}

}  // namespace

Recovery recover_store(const fs::path& damaged, const fs::path& target, int lock_timeout_ms) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0) refuse_existing(target);
    Store source = open_damaged(damaged, lock_timeout_ms);
    Recovery recovery{.from_version = source.schema_version()};
    PendingFile pending(target);
    {
        Store copy = Store::open_or_create(pending.path(), {.lock_timeout_ms = lock_timeout_ms});
        // Rows keep their ids and references even where what they name was lost: `db check`
        // on the new store then lists them.
        database(copy).exec("PRAGMA foreign_keys = OFF");
        copy.write([&] {
            for (const std::string& table : ordinary_tables(database(copy))) {
                std::vector<std::string> source_columns;
                try {
                    source_columns = column_names(database(source), table);
                } catch (const SQLite::Exception& e) {
                    if (!is_damage(e)) fail(source, e);
                    recovery.tables.push_back({.table = table, .unreadable = true});
                    continue;
                }
                if (source_columns.empty()) continue;  // a table the old schema did not have
                std::vector<std::string> columns;
                for (const auto& c : column_names(database(copy), table))
                    for (const auto& s : source_columns)
                        if (c == s) columns.push_back(c);
                recovery.tables.push_back(TableCopy(source, copy, table, columns).run());
            }
            index_all_visits(copy);
        });
    }
    if (!pending.commit()) refuse_existing(target);
    return recovery;
}

}  // namespace fieldbook::store
