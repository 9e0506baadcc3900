#pragma once
// The store: records read and written in transactions through a Tx (tx.hpp). Nothing here
// names an engine: the embedded one (one SQLite file in WAL mode) lives in lib/store/sqlite/,
// the only code that knows SQLite specifics (pragmas, FTS5, file modes, backup, integrity
// check); domain modules speak the SQL subset that PostgreSQL shares, so a team-server backend
// is another directory beside it, not a change to the domain.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "clock.hpp"
#include "store/tx.hpp"
#include "uuid.hpp"

namespace fieldbook::store {

class Engine;  // engine.hpp

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

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    // A file or a server URL (location.hpp): open_existing/open_or_create or open_server.
    static Store open(const std::string& location, const OpenOptions& options, bool create);
    // Opens the team server's database at a postgresql:// URL (lib/store/postgres/); the schema
    // is created in an empty database when `create` is set.
    static Store open_server(const std::string& url, const OpenOptions& options = {},
                             bool create = false);

    Engine& engine() { return *engine_; }
    // The database role this store is used as, on a team server (none on a store file): the
    // rep a command acts as there.
    std::optional<std::string> login_role();
    const std::filesystem::path& path() const { return path_; }
    int schema_version();
    // Why the store cannot be written; empty when it can.
    const std::optional<std::string>& read_only_reason() const { return read_only_reason_; }
    // Something the user should know about what is read (changes that cannot be seen).
    const std::optional<std::string>& caveat() const { return caveat_; }
    int lock_timeout_ms() const { return lock_timeout_ms_; }

    // Called while an exception is handled: throws the Error that it means when it is the
    // engine's (a lock held too long, a full disk, damage, which marks the store damaged:
    // damage_mark.hpp), and rethrows it unchanged otherwise.
    [[noreturn]] void rethrow_failure();
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
        } catch (...) {
            fail_and_roll_back();
        }
    }

    // The one write path (tx.hpp): fn(Tx&) reads, and changes records only through the Tx's
    // record calls, each logged under `author`, all in one BEGIN IMMEDIATE transaction.
    template <class Fn>
    auto write(const Author& author, const Clock& clock, UuidGenerator& uuids, Fn&& fn) {
        return write([&] {
            auto tx = this->tx(author, clock, uuids);
            return fn(*tx);
        });
    }

    // A Tx for code that is handed one inside write() or write_if() rather than running as
    // fn(Tx&): it serves every transaction the store runs after it, each change logged under
    // `author`. Outside a transaction its calls fail.
    std::unique_ptr<Tx> tx(const Author& author, const Clock& clock, UuidGenerator& uuids);
    // A Tx whose record calls refuse to write. It begins no transaction: it reads in the one
    // the store is in (a schema upgrade's), or in none.
    std::unique_ptr<Tx> read_tx();

    // Runs fn inside one read transaction (BEGIN DEFERRED): all its queries see the store as
    // it was at the first of them, so what another process commits meanwhile cannot make
    // them disagree. Other readers and the writer are not held up (WAL). Ends in COMMIT, or
    // in ROLLBACK when fn throws.
    // fn may take a Tx& (tx.hpp), whose record calls then refuse to write.
    template <class Fn>
    auto read(Fn&& fn) {
        if constexpr (std::is_invocable_v<Fn&, Tx&>) {
            return read([&] {
                auto tx = read_tx();
                return fn(*tx);
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
        } catch (...) {
            fail_and_roll_back();
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
        } catch (...) {
            fail_and_roll_back();
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
    void erase_meta(const std::string& key);
    // Inside a transaction: a value derived from records (an archive's fingerprint), written as
    // it is, with no stamp and no log entry, like the search index. Never for what users change.
    void set_derived(std::string_view table, std::int64_t id, std::string_view column,
                     const Value& value);

    // Before a write of many rows in one transaction (an import): the engine may trade memory
    // for speed for the rest of the process.
    void prepare_for_bulk_write();

  private:
    Store(std::unique_ptr<Engine> engine, std::filesystem::path path);
    static Store open_file(const std::filesystem::path& path, const OpenOptions& options);
    void migrate();
    void refuse_if_damaged();
    void refuse_if_read_only();
    [[noreturn]] void fail_and_roll_back();
    void begin_immediate();
    void begin_deferred();
    void finish_write();
    void commit();
    void rollback();

    std::unique_ptr<Engine> engine_;
    std::filesystem::path path_;
    // A store file can carry a mark of damage beside it (damage_mark.hpp); a server cannot.
    bool marks_damage_ = false;
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
