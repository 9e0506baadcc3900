#pragma once
// The SQLite engine behind a Store, for the engine's own code in this directory (and tests
// that look at the file directly): the connection, the statement cache, and SQLite's
// exceptions read as the Errors they mean.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "store/engine.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

// A statement from the store's cache. It is reset when this handle goes away, so a half-read
// query never keeps a read snapshot open.
class Prepared {
  public:
    explicit Prepared(std::shared_ptr<SQLite::Statement> statement)
        : statement_(std::move(statement)) {}
    Prepared(Prepared&&) = default;
    Prepared& operator=(Prepared&&) = default;
    ~Prepared();
    SQLite::Statement* operator->() const { return statement_.get(); }
    SQLite::Statement& operator*() const { return *statement_; }

  private:
    std::shared_ptr<SQLite::Statement> statement_;
};

// What is known of the file, for the failures of calls on it (failure.hpp).
struct FileFacts {
    std::filesystem::path path;  // ":memory:" for a private in-memory store
    int lock_timeout_ms = 0;
    std::optional<std::string> read_only_reason;
};

class SqliteEngine final : public Engine {
  public:
    SqliteEngine(std::unique_ptr<SQLite::Database> db, FileFacts facts);
    // The connection's settings (WAL, foreign keys, durability): once the file is known to be
    // a store, as switching to WAL writes to it.
    void configure();

    void query(std::string_view sql, const Values& params,
               const std::function<void(const Row&)>& on_row) override;
    void script(std::string_view sql) override;
    void begin_write() override;
    void begin_read() override;
    void commit() override;
    void rollback() noexcept override;
    const std::vector<std::string_view>& migrations() const override;
    int schema_version() override;
    void set_schema_version(int version) override;
    void before_upgrade(int version) override;
    [[noreturn]] void rethrow_failure() override;
    void replace_search_body(std::int64_t visit_id,
                             const std::optional<std::string>& body) override;
    SearchCondition search_condition(const std::string& key,
                                     const std::string& id_column) const override;
    std::vector<std::string> record_tables() override;
    std::vector<Reference> references_to(const std::string& table) override;
    void erase_all_records() override;
    void prepare_for_bulk_write() override;
    std::string next_id(const std::string& table) const override;

    // Preparing costs more than running most of fieldbook's statements, so each SQL text is
    // prepared once per process and reused; a statement still in use is prepared afresh.
    Prepared prepare(const std::string& sql);
    // Throws the Error that a failed SQLite call on this store means (a lock held too long, a
    // full disk, damage...). SQLite finding the store damaged marks it so (damage_mark.hpp).
    [[noreturn]] void fail(const SQLite::Exception& e);

    SQLite::Database& db() { return *db_; }
    const FileFacts& facts() const { return facts_; }

  private:
    std::unique_ptr<SQLite::Database> db_;
    std::map<std::string, std::shared_ptr<SQLite::Statement>, std::less<>> statements_;
    FileFacts facts_;
};

// The store's SQLite engine; a SystemError when the store is on another engine.
SqliteEngine& sqlite_engine(Store& store);

inline SQLite::Database& database(Store& store) {
    return sqlite_engine(store).db();
}

inline Prepared prepare(Store& store, const std::string& sql) {
    return sqlite_engine(store).prepare(sql);
}

[[noreturn]] inline void fail(Store& store, const SQLite::Exception& e) {
    sqlite_engine(store).fail(e);
}

}  // namespace fieldbook::store
