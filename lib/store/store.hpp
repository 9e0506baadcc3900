#pragma once
// The embedded store: one SQLite file in WAL mode. This directory is the only code that knows
// SQLite specifics (pragmas, FTS5, file modes); domain modules speak the SQL subset that
// PostgreSQL shares, so a team-server backend replaces this directory, not the domain.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

#include "store/sqlite/sqlite_tx.hpp"
#include "store/tx.hpp"

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

// How long a write waits, by default, for another process's write to finish.
constexpr int kDefaultLockTimeoutMs = 15000;

struct OpenOptions {
    int lock_timeout_ms = kDefaultLockTimeoutMs;
    // Brings an older schema up to date. Off for `db check`, which looks at the store as it is.
    bool upgrade = true;
    // Opens the store read-only even when it could be written (the source of `db recover`,
    // which must never change it).
    bool read_only = false;
};

class Store {
  public:
    // Opens a store that must already exist; a missing file is an error with a hint to run
    // `fieldbook init`, and nothing is created. A store that cannot be written is opened
    // read-only: it can be read, and a write fails saying why (read_only_reason).
    static Store open_existing(const std::filesystem::path& path, const OpenOptions& options = {});
    // Creates the file (mode 0600, parent directories 0700) when missing, then migrates.
    static Store open_or_create(const std::filesystem::path& path, const OpenOptions& options = {});
    // A private in-memory store for tests.
    static Store in_memory();

    SQLite::Database& db() { return *db_; }
    // Preparing costs more than running most of fieldbook's statements, so each SQL text is
    // prepared once per process and reused; a statement still in use is prepared afresh.
    Prepared prepare(const std::string& sql);
    const std::filesystem::path& path() const { return path_; }
    int schema_version();
    // Why the store cannot be written; empty when it can.
    const std::optional<std::string>& read_only_reason() const { return read_only_reason_; }
    // Something the user should know about what is read (changes that cannot be seen).
    const std::optional<std::string>& caveat() const { return caveat_; }
    int lock_timeout_ms() const { return lock_timeout_ms_; }

    // Throws the Error that a failed SQLite call on this store means (a lock held too long, a
    // full disk, damage...). SQLite finding the store damaged marks it so (damage_mark.hpp).
    [[noreturn]] void fail(const SQLite::Exception& e);
    // Records that the store is damaged, and why: write commands stop until it is recovered.
    void mark_damaged(const std::string& reason);

    // Runs fn inside one BEGIN IMMEDIATE transaction: other writers wait (busy timeout) instead
    // of failing, and if fn throws nothing it wrote remains.
    template <class Fn>
    auto write(Fn&& fn) {
        begin_immediate();
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                finish_write();
            } else {
                auto result = fn();
                finish_write();
                return result;
            }
        } catch (const SQLite::Exception& e) {
            fail_and_roll_back(e);
        } catch (...) {
            rollback();
            throw;
        }
    }

    // The one write path (tx.hpp): fn(Tx&) reads, and changes records only through the Tx's
    // record calls, each logged under `author`, all in one BEGIN IMMEDIATE transaction.
    template <class Fn>
    auto write(const Author& author, const Clock& clock, UuidGenerator& uuids, Fn&& fn) {
        return write([&] {
            SqliteTx tx(*this, author, clock, uuids);
            return fn(static_cast<Tx&>(tx));
        });
    }

    // A Tx for code that is handed one inside write() or write_if() rather than running as
    // fn(Tx&): it serves every transaction the store runs after it, each change logged under
    // `author`. Outside a transaction its calls fail.
    std::unique_ptr<Tx> tx(const Author& author, const Clock& clock, UuidGenerator& uuids) {
        return std::make_unique<SqliteTx>(*this, author, clock, uuids);
    }

    // Runs fn inside one read transaction (BEGIN DEFERRED): all its queries see the store as
    // it was at the first of them, so what another process commits meanwhile cannot make
    // them disagree. Other readers and the writer are not held up (WAL). Ends in COMMIT, or
    // in ROLLBACK when fn throws.
    // fn may take a Tx& (tx.hpp), whose record calls then refuse to write.
    template <class Fn>
    auto read(Fn&& fn) {
        if constexpr (std::is_invocable_v<Fn&, Tx&>) {
            return read([&] {
                SqliteTx tx(*this);
                return fn(static_cast<Tx&>(tx));
            });
        } else {
            return read_plain(fn);
        }
    }

  private:
    template <class Fn>
    auto read_plain(Fn&& fn) {
        begin_deferred();
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                commit();
            } else {
                auto result = fn();
                commit();
                return result;
            }
        } catch (const SQLite::Exception& e) {
            fail_and_roll_back(e);
        } catch (...) {
            rollback();
            throw;
        }
    }

  public:
    // Like write(), but commits only when fn returns true; otherwise everything fn wrote is
    // rolled back. A batch can so be checked against the store exactly as it will be written
    // (each row seeing the rows before it), and kept or dropped as a whole.
    template <class Fn>
    bool write_if(Fn&& fn) {
        begin_immediate();
        try {
            bool keep = fn();
            if (keep)
                finish_write();
            else
                rollback();
            return keep;
        } catch (const SQLite::Exception& e) {
            fail_and_roll_back(e);
        } catch (...) {
            rollback();
            throw;
        }
    }

    // From now on every write() fails with UsageError(why) before it begins: for a run whose
    // output could not report what a write did (a workbook holds a listing, not a receipt).
    void refuse_writes(std::string why) { writes_refused_ = std::move(why); }

    // Visits whose search text changed in this transaction; indexed just before it commits.
    // Writing the full-text index last matters: every later write in the same transaction
    // would otherwise flush the index's pending data to disk again.
    void mark_for_search(std::int64_t visit_id) { search_pending_.insert(visit_id); }

    // Counts the transactions begun: what was read in one (an id written by a transaction that
    // was then rolled back) is known to be stale in the next.
    std::uint64_t transaction_serial() const { return transaction_serial_; }

    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

  private:
    Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path path);
    static Store open_file(const std::filesystem::path& path, const OpenOptions& options);
    void configure();
    void migrate();
    void copy_aside_before_upgrade(int version);
    void refuse_if_damaged();
    void refuse_if_read_only();
    [[noreturn]] void fail_and_roll_back(const SQLite::Exception& e);
    void begin_immediate();
    void begin_deferred();
    void finish_write();
    void commit();
    void rollback();

    std::unique_ptr<SQLite::Database> db_;
    std::filesystem::path path_;
    std::map<std::string, std::shared_ptr<SQLite::Statement>, std::less<>> statements_;
    std::set<std::int64_t> search_pending_;
    std::optional<std::string> writes_refused_;
    std::optional<std::string> read_only_reason_;
    std::optional<std::string> caveat_;
    int lock_timeout_ms_ = kDefaultLockTimeoutMs;
    std::uint64_t transaction_serial_ = 0;
};

// The latest schema version this build knows.
int latest_schema_version();

}  // namespace fieldbook::store
