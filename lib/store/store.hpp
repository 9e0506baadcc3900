#pragma once
// The embedded store: one SQLite file in WAL mode. This directory is the only code that knows
// SQLite specifics (pragmas, FTS5, file modes); domain modules speak the SQL subset that
// PostgreSQL shares, so a team-server backend replaces this directory, not the domain.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace fieldbook::store {

class Store {
public:
    // Opens a store that must already exist; a missing file is an error with a hint to run
    // `fieldbook init`, and nothing is created.
    static Store open_existing(const std::filesystem::path& path);
    // Creates the file (mode 0600, parent directories 0700) when missing, then migrates.
    static Store open_or_create(const std::filesystem::path& path);
    // A private in-memory store for tests.
    static Store in_memory();

    SQLite::Database& db() { return *db_; }
    const std::filesystem::path& path() const { return path_; }
    int schema_version();

    // Runs fn inside one BEGIN IMMEDIATE transaction: other writers wait (busy timeout) instead
    // of failing, and if fn throws nothing it wrote remains.
    template <class Fn>
    auto write(Fn&& fn) {
        begin_immediate();
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                commit();
            } else {
                auto result = fn();
                commit();
                return result;
            }
        } catch (...) {
            rollback();
            throw;
        }
    }

    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

private:
    Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path path);
    void configure();
    void migrate();
    void begin_immediate();
    void commit();
    void rollback();

    std::unique_ptr<SQLite::Database> db_;
    std::filesystem::path path_;
};

// The latest schema version this build knows.
int latest_schema_version();

}  // namespace fieldbook::store
