#include "store/postgres/pg_engine.hpp"

#include <fmt/format.h>

#include "errors.hpp"
#include "store/failure.hpp"
#include "store/like.hpp"
#include "store/postgres/pg_schema.hpp"
#include "text/unicode.hpp"

namespace fieldbook::store::postgres {
namespace {

// The advisory lock every fieldbook writer on a server takes: any number, the same for all.
constexpr std::int64_t kWriteLock = 0x66626b;  // "fbk"

// SQLSTATEs read here (PostgreSQL's appendix A).
constexpr std::string_view kLockNotAvailable = "55P03";
constexpr std::string_view kQueryCanceled = "57014";
constexpr std::string_view kInsufficientPrivilege = "42501";

}  // namespace

PgEngine::PgEngine(const std::string& url, int lock_timeout_ms)
    : connection_(url), lock_timeout_ms_(lock_timeout_ms) {}

void PgEngine::query(std::string_view sql, const Values& params,
                     const std::function<void(const Row&)>& on_row) {
    connection_.each(sql, params, on_row);
}

void PgEngine::script(std::string_view sql) {
    connection_.exec_script(sql);
}

void PgEngine::begin_write() {
    connection_.exec_script("BEGIN");
    in_transaction_ = true;
    try {
        // Waits for another writer as long as the lock timeout, then fails saying so.
        connection_.exec_script(fmt::format("SET LOCAL lock_timeout = {}", lock_timeout_ms_));
        connection_.exec_script(fmt::format("SELECT pg_advisory_xact_lock({})", kWriteLock));
    } catch (...) {
        // The transaction is aborted: left open, every later statement would fail.
        rollback();
        throw;
    }
}

// One snapshot for all the reads of a command, as the embedded store's read transaction gives.
void PgEngine::begin_read() {
    connection_.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ");
    in_transaction_ = true;
}

void PgEngine::commit() {
    connection_.exec_script("COMMIT");
    in_transaction_ = false;
}

void PgEngine::rollback() noexcept {
    if (!in_transaction_) return;
    in_transaction_ = false;
    try {
        connection_.exec_script("ROLLBACK");
    } catch (...) {
        // The connection is gone; the server rolls the transaction back by itself.
    }
}

const std::vector<std::string_view>& PgEngine::migrations() const {
    return pg_migrations();
}

int PgEngine::schema_version() {
    // A database without the settings table is at version 0 (pg_schema.hpp).
    bool present = false;
    connection_.each("SELECT to_regclass('meta') IS NOT NULL AS present", {},
                     [&](const Row& row) { present = row.integer("present") != 0; });
    if (!present) return 0;
    int version = 0;
    connection_.each("SELECT value FROM meta WHERE key = ?", {std::string(kSchemaVersionKey)},
                     [&](const Row& row) { version = std::stoi(row.text("value")); });
    return version;
}

void PgEngine::set_schema_version(int version) {
    connection_.each(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {std::string(kSchemaVersionKey), std::to_string(version)}, [](const Row&) {});
}

void PgEngine::rethrow_failure() {
    try {
        throw;
    } catch (const PgError& e) {
        if (e.sqlstate() == kLockNotAvailable || e.sqlstate() == kQueryCanceled)
            throw SystemError(
                fmt::format("another command kept the server's store busy for over {}; nothing "
                            "was written",
                            seconds_text(lock_timeout_ms_)),
                "wait longer with --lock-timeout SECONDS");
        if (e.sqlstate() == kInsufficientPrivilege)
            throw UsageError(fmt::format("the server refused: {}", e.what()),
                             "your login may not do this on the server (a rep changes their "
                             "own records; the database's owner sets the server up)");
        // An integrity constraint (class 23): the change is refused as bad input is.
        if (e.sqlstate().rfind("23", 0) == 0)
            throw UsageError(fmt::format("the server refused: {}", e.what()));
        throw;
    }
}

void PgEngine::replace_search_body(std::int64_t visit_id, const std::optional<std::string>& body) {
    connection_.each("DELETE FROM visit_search WHERE visit_id = ?", {visit_id}, [](const Row&) {});
    if (body)
        connection_.each("INSERT INTO visit_search (visit_id, body) VALUES (?, ?)",
                         {visit_id, *body}, [](const Row&) {});
}

// pg_trgm's GIN index serves LIKE once the term has three characters, as FTS5's trigram
// tokenizer does on the embedded store; shorter terms are a scan of the bodies on both.
SearchCondition PgEngine::search_condition(const std::string& key,
                                           const std::string& id_column) const {
    if (text::codepoint_count(key) >= 3)
        return {id_column + " IN (SELECT visit_id FROM visit_search WHERE body LIKE ? ESCAPE '\\')",
                like_contains(key)};
    return {id_column + " IN (SELECT visit_id FROM visit_search WHERE strpos(body, ?) > 0)", key};
}

std::vector<std::string> PgEngine::record_tables() {
    std::vector<std::string> names;
    connection_.each(R"sql(
SELECT c.table_name AS name FROM information_schema.columns c
WHERE c.table_schema = current_schema() AND c.column_name IN ('id', 'uuid')
GROUP BY c.table_name HAVING COUNT(*) = 2
ORDER BY c.table_name)sql",
                     {}, [&](const Row& row) { names.push_back(row.text("name")); });
    return names;
}

std::vector<Reference> PgEngine::references_to(const std::string& table) {
    std::vector<Reference> found;
    auto tables = record_tables();
    connection_.each(R"sql(
SELECT src.relname AS from_table, a.attname AS from_column
FROM pg_constraint k
JOIN pg_class src ON src.oid = k.conrelid
JOIN pg_class dst ON dst.oid = k.confrelid
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
WHERE k.contype = 'f' AND dst.relname = ? AND src.relnamespace = dst.relnamespace
  AND dst.relnamespace = to_regnamespace(current_schema())
ORDER BY src.relname, a.attname)sql",
                     {table}, [&](const Row& row) {
                         std::string from = row.text("from_table");
                         for (const auto& t : tables)
                             if (t == from) found.push_back({from, row.text("from_column")});
                     });
    return found;
}

void PgEngine::erase_all_records() {
    std::string tables = "visit_search, op_log, command";
    for (const auto& table : record_tables()) tables += ", \"" + table + "\"";
    // New rows are numbered from 1 again, as on the embedded store.
    connection_.exec_script(fmt::format("TRUNCATE {} RESTART IDENTITY", tables));
}

void require_store_locale(PgEngine& engine) {
    std::string collate, ctype;
    engine.query(
        "SELECT datcollate AS collate, datctype AS ctype FROM pg_database "
        "WHERE datname = current_database()",
        {}, [&](const Row& row) {
            collate = row.text("collate");
            ctype = row.text("ctype");
        });
    auto by_code_point = [](const std::string& c) {
        return c == "C" || c == "POSIX" || c == "C.UTF-8" || c == "C.utf8";
    };
    auto utf8 = [](const std::string& c) {
        return c.find("UTF-8") != std::string::npos || c.find("utf8") != std::string::npos;
    };
    if (by_code_point(collate) && utf8(ctype)) return;
    throw UsageError(
        fmt::format("the database sorts text as {} and classifies it as {}; a fieldbook store "
                    "needs C.UTF-8 for both (code-point order, as on a store file, and Chinese "
                    "search through the trigram index)",
                    collate, ctype),
        "create it with: createdb --locale=C.UTF-8 --template=template0 NAME");
}

std::string PgEngine::next_id(const std::string& table) const {
    return fmt::format("fieldbook_next_id('{}')", table);
}

std::optional<std::string> PgEngine::login_role() {
    std::optional<std::string> role;
    connection_.each("SELECT current_user AS role", {},
                     [&](const Row& row) { role = row.text("role"); });
    return role;
}

}  // namespace fieldbook::store::postgres
