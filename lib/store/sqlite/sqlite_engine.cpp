#include <fmt/format.h>

#include <sqlite3.h>

#include "errors.hpp"
#include "store/damage_mark.hpp"
#include "store/pending_file.hpp"
#include "store/schema.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
#include "text/unicode.hpp"

namespace fieldbook::store {
namespace {

namespace fs = std::filesystem;

void bind(SQLite::Statement& q, int index, const Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                q.bind(index);
            else
                q.bind(index, x);
        },
        v);
}

Value column_value(const SQLite::Column& c) {
    if (c.isNull()) return {};
    if (c.isInteger()) return c.getInt64();
    if (c.isFloat()) return c.getDouble();
    return c.getString();
}

// Quotes a table name for SQL (names come from the schema, but are quoted all the same).
std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

}  // namespace

SqliteEngine& sqlite_engine(Store& store) {
    if (auto* engine = dynamic_cast<SqliteEngine*>(&store.engine())) return *engine;
    // Something the user asked of the wrong kind of store: theirs to fix by naming a file.
    throw UsageError(fmt::format("{} is not a store file", store.path().string()),
                     "this works on the embedded store (a file); a server has its own tools");
}

SqliteEngine::SqliteEngine(std::unique_ptr<SQLite::Database> db, FileFacts facts)
    : db_(std::move(db)), facts_(std::move(facts)) {}

void SqliteEngine::configure() {
    try {
        db_->setBusyTimeout(facts_.lock_timeout_ms);
        // WAL lets readers go on while one writer commits; the mode is persistent, so only the
        // first open of a new file pays for switching. A read-only store stays as it is.
        if (facts_.path != ":memory:" && !facts_.read_only_reason) {
            std::string mode = db_->execAndGet("PRAGMA journal_mode").getString();
            if (mode != "wal") db_->execAndGet("PRAGMA journal_mode = WAL");
        }
        db_->exec("PRAGMA foreign_keys = ON");
        // FULL: a committed visit survives a power cut, not only a crash.
        db_->exec("PRAGMA synchronous = FULL");
    } catch (const SQLite::Exception& e) {
        fail(e);
    }
}

void SqliteEngine::query(std::string_view sql, const Values& params,
                         const std::function<void(const Row&)>& on_row) {
    auto q = prepare(std::string(sql));
    for (std::size_t i = 0; i < params.size(); ++i) bind(*q, static_cast<int>(i + 1), params[i]);
    std::shared_ptr<std::vector<std::string>> columns;
    while (q->executeStep()) {
        if (!columns) {
            columns = std::make_shared<std::vector<std::string>>();
            for (int c = 0; c < q->getColumnCount(); ++c) columns->push_back(q->getColumnName(c));
        }
        Values values;
        values.reserve(columns->size());
        for (int c = 0; c < q->getColumnCount(); ++c)
            values.push_back(column_value(q->getColumn(c)));
        on_row(Row(columns, std::move(values)));
    }
}

void SqliteEngine::script(std::string_view sql) {
    db_->exec(std::string(sql));
}

void SqliteEngine::begin_write() {
    db_->exec("BEGIN IMMEDIATE");
}

void SqliteEngine::begin_read() {
    db_->exec("BEGIN DEFERRED");
}

void SqliteEngine::commit() {
    db_->exec("COMMIT");
}

void SqliteEngine::rollback() noexcept {
    try {
        if (db_ && db_->getHandle() && sqlite3_get_autocommit(db_->getHandle()) == 0)
            db_->exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
    }
}

const std::vector<std::string_view>& SqliteEngine::migrations() const {
    return store::migrations();
}

int SqliteEngine::schema_version() {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

void SqliteEngine::set_schema_version(int version) {
    db_->exec(fmt::format("PRAGMA user_version = {}", version));
}

// STORE.vN.bak: the store as it was at version N. Written whole under a temporary name, so a
// run killed half-way leaves no partial copy that would keep a later run from making it.
void SqliteEngine::before_upgrade(int version) {
    if (facts_.path == ":memory:") return;
    fs::path backup = facts_.path;
    backup += fmt::format(".v{}.bak", version);
    std::error_code ec;
    if (fs::exists(backup, ec)) return;
    PendingFile pending(backup);
    try {
        SQLite::Statement vacuum(*db_, "VACUUM INTO ?");
        vacuum.bind(1, pending.path().string());
        vacuum.exec();
    } catch (const SQLite::Exception& e) {
        if (is_damage(e)) fail(e);
        raise_failure(e, {.file = backup,
                          .lock_timeout_ms = facts_.lock_timeout_ms,
                          .system_errno = sqlite3_system_errno(db_->getHandle())});
    }
    // Another process upgrading at the same moment may have put its copy there first.
    pending.commit();
}

void SqliteEngine::fail(const SQLite::Exception& e) {
    const int system_errno = db_ ? sqlite3_system_errno(db_->getHandle()) : 0;
    if (is_damage(e) && facts_.path != ":memory:") store::mark_damaged(facts_.path, e.what());
    raise_failure(e, {.file = facts_.path,
                      .lock_timeout_ms = facts_.lock_timeout_ms,
                      .system_errno = system_errno,
                      .read_only_reason = facts_.read_only_reason});
}

void SqliteEngine::rethrow_failure() {
    try {
        throw;
    } catch (const SQLite::Exception& e) {
        fail(e);
    }
}

Prepared::~Prepared() {
    if (!statement_) return;
    try {
        statement_->reset();
        statement_->clearBindings();
    } catch (const SQLite::Exception&) {
        // Reset reports the last step's error again; that error was already handled.
    }
}

Prepared SqliteEngine::prepare(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end() && found->second.use_count() == 1)
        return Prepared(found->second);
    auto statement = std::make_shared<SQLite::Statement>(*db_, sql);
    if (found == statements_.end()) statements_.emplace(sql, statement);
    return Prepared(statement);
}

// The FTS5 table's rowid is the visit's id.
void SqliteEngine::replace_search_body(std::int64_t visit_id,
                                       const std::optional<std::string>& body) {
    auto remove = prepare("DELETE FROM visit_search WHERE rowid = ?");
    remove->bind(1, visit_id);
    remove->exec();
    if (!body) return;
    auto insert = prepare("INSERT INTO visit_search (rowid, body) VALUES (?, ?)");
    insert->bind(1, visit_id);
    insert->bind(2, *body);
    insert->exec();
}

SearchCondition SqliteEngine::search_condition(const std::string& key,
                                               const std::string& id_column) const {
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

std::vector<std::string> SqliteEngine::record_tables() {
    auto q = prepare(R"sql(
SELECT m.name FROM sqlite_master m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL%'
  AND (SELECT COUNT(*) FROM pragma_table_info(m.name) c WHERE c.name IN ('id', 'uuid')) = 2
ORDER BY m.name)sql");
    std::vector<std::string> names;
    while (q->executeStep()) names.push_back(q->getColumn(0).getString());
    return names;
}

std::vector<Reference> SqliteEngine::references_to(const std::string& table) {
    std::vector<Reference> found;
    for (const auto& from : record_tables()) {
        auto q = prepare(
            "SELECT \"from\" AS column FROM pragma_foreign_key_list(?) "
            "WHERE \"table\" = ?");
        q->bind(1, from);
        q->bind(2, table);
        while (q->executeStep()) found.push_back({from, q->getColumn(0).getString()});
    }
    return found;
}

void SqliteEngine::erase_all_records() {
    // Records refer to each other; the references are checked once all are gone, at commit.
    db_->exec("PRAGMA defer_foreign_keys = ON");
    for (const auto& table : record_tables())
        db_->exec(fmt::format("DELETE FROM {}", quoted(table)));
    std::vector<std::string> indexes;
    {
        auto q = prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'");
        while (q->executeStep()) indexes.push_back(q->getColumn(0).getString());
    }
    for (const auto& index : indexes) db_->exec(fmt::format("DELETE FROM {}", quoted(index)));
    // The log of records that are gone would undo into nothing.
    db_->exec("DELETE FROM op_log");
    db_->exec("DELETE FROM command");
}

// A bigger page cache keeps the indexes of a large batch in memory until it commits.
void SqliteEngine::prepare_for_bulk_write() {
    db_->exec("PRAGMA cache_size = -32768");
}

std::string SqliteEngine::next_id(const std::string& table) const {
    return fmt::format("(SELECT COALESCE(MAX(id), 0) + 1 FROM {})", table);
}

}  // namespace fieldbook::store
