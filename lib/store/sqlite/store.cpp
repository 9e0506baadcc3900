#include "store/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

#include "domain/meeting_fingerprint_upgrade.hpp"
#include "errors.hpp"
#include "store/damage_mark.hpp"
#include "store/pending_file.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
#include "store/sqlite/sqlite_tx.hpp"
#include "store/writability.hpp"

namespace fieldbook::store {
namespace {

namespace fs = std::filesystem;

// Customer data is personal data: the store and its directory are private to the user,
// whatever the umask. SQLite gives the -wal and -shm files the mode of the main file.
void create_private_file(const fs::path& path) {
    if (path.has_parent_path()) {
        std::error_code ec;
        fs::path dir = path.parent_path();
        if (!fs::exists(dir, ec)) {
            fs::create_directories(dir, ec);
            if (ec)
                throw SystemError(
                    fmt::format("cannot create directory {}: {}", dir.string(), ec.message()));
            ::chmod(dir.c_str(), 0700);
        }
    }
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw SystemError(
            fmt::format("cannot create store {}: {}", path.string(), std::strerror(errno)));
    ::fchmod(fd, 0600);
    ::close(fd);
}

// SQLite's URI form of a path, so that query parameters can follow it.
std::string file_uri(const fs::path& path) {
    std::string uri = "file://";
    for (char ch : fs::absolute(path).string()) {
        if (ch == '%' || ch == '?' || ch == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(ch));
        else
            uri += ch;
    }
    return uri;
}

// What SQLite would only call "unable to open database file", said with the reason.
void refuse_unopenable(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw SystemError(fmt::format("{} is a directory, not a fieldbook store", path.string()),
                          "pass --db FILE with the store's file");
    if (fs::exists(path, ec) && ::access(path.c_str(), R_OK) != 0)
        throw SystemError(fmt::format("cannot open store {}: you may not read it", path.string()));
}

}  // namespace

int latest_schema_version() {
    return static_cast<int>(migrations().size());
}

Store::Store(std::unique_ptr<Connection> connection, fs::path path)
    : connection_(std::move(connection)), path_(std::move(path)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

namespace {
std::unique_ptr<Connection> connect(std::unique_ptr<SQLite::Database> db) {
    auto connection = std::make_unique<Connection>();
    connection->db = std::move(db);
    return connection;
}
}  // namespace

std::unique_ptr<Tx> Store::tx(const Author& author, const Clock& clock, UuidGenerator& uuids) {
    return std::make_unique<SqliteTx>(*this, author, clock, uuids);
}

std::unique_ptr<Tx> Store::read_tx() {
    return std::make_unique<SqliteTx>(*this);
}

// A store that can be written is opened as usual. One that cannot is opened so that SQLite
// creates nothing beside it: as immutable when all of it is in the store file, or reading the
// -wal through an -shm file that exists (or that SQLite may create) when changes wait there.
Store Store::open_file(const fs::path& path, const OpenOptions& options) {
    Writability writability = probe_writability(path);
    std::optional<std::string> read_only = writability.read_only_reason;
    if (options.read_only && !read_only) read_only = "it was opened only to be read";
    std::optional<std::string> caveat;
    std::string name = path.string();
    int flags = SQLite::OPEN_READWRITE;
    if (read_only) {
        flags = SQLite::OPEN_READONLY | SQLite::OPEN_URI;
        if (!writability.wal_has_changes) {
            name = file_uri(path) + "?immutable=1";
        } else if (writability.shm_exists || writability.directory_writable) {
            name = file_uri(path) + "?mode=ro";
        } else {
            name = file_uri(path) + "?immutable=1";
            caveat = fmt::format(
                "{}-wal holds changes that cannot be read without creating {}-shm in a "
                "read-only directory: they are left out of what is shown",
                path.string(), path.string());
        }
    }
    std::unique_ptr<SQLite::Database> db;
    try {
        db = std::make_unique<SQLite::Database>(name, flags, options.lock_timeout_ms);
    } catch (const SQLite::Exception& e) {
        raise_failure(e, {.file = path,
                          .lock_timeout_ms = options.lock_timeout_ms,
                          .system_errno = errno,
                          .read_only_reason = read_only});
    }
    Store store(connect(std::move(db)), path);
    store.lock_timeout_ms_ = options.lock_timeout_ms;
    store.read_only_reason_ = std::move(read_only);
    store.caveat_ = std::move(caveat);
    return store;
}

Store Store::open_existing(const fs::path& path, const OpenOptions& options) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(fmt::format("no store at {}", path.string()),
                    "run `fieldbook init` to create one, or pass --db PATH");
    refuse_unopenable(path);
    Store store = open_file(path, options);
    // A read command never turns some other file (or an empty one) into a store.
    int version = 0;
    try {
        version = store.schema_version();
    } catch (const SQLite::Exception& e) {
        fail(store, e);
    }
    if (version == 0)
        throw Error(fmt::format("{} is not a fieldbook store", path.string()),
                    "run `fieldbook init` to create one there, or pass --db PATH");
    store.configure();
    if (options.upgrade) store.migrate();
    return store;
}

Store Store::open_or_create(const fs::path& path, const OpenOptions& options) {
    refuse_unopenable(path);
    std::error_code ec;
    if (!fs::exists(path, ec))
        create_private_file(path);
    else if (::access(path.c_str(), W_OK) == 0)
        ::chmod(path.c_str(), 0600);  // whatever mode it had: it holds personal data now
    Store store = open_file(path, options);
    store.configure();
    if (options.upgrade) store.migrate();
    return store;
}

Store Store::in_memory() {
    Store store(connect(std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE)),
                ":memory:");
    store.configure();
    store.migrate();
    return store;
}

void Store::configure() {
    try {
        connection_->db->setBusyTimeout(lock_timeout_ms_);
        // WAL lets readers go on while one writer commits; the mode is persistent, so only the
        // first open of a new file pays for switching. A read-only store stays as it is.
        if (path_ != ":memory:" && !read_only_reason_) {
            std::string mode = connection_->db->execAndGet("PRAGMA journal_mode").getString();
            if (mode != "wal") connection_->db->execAndGet("PRAGMA journal_mode = WAL");
        }
        connection_->db->exec("PRAGMA foreign_keys = ON");
        // FULL: a committed visit survives a power cut, not only a crash.
        connection_->db->exec("PRAGMA synchronous = FULL");
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
}

int Store::schema_version() {
    return connection_->db->execAndGet("PRAGMA user_version").getInt();
}

void Store::migrate() {
    const int latest = latest_schema_version();
    int version = 0;
    try {
        version = schema_version();
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
    if (version == latest) return;
    if (version > latest)
        throw SystemError(
            fmt::format("store {} has schema version {}, newer than this fieldbook knows ({})",
                        path_.string(), version, latest),
            "upgrade fieldbook");
    if (read_only_reason_)
        throw SystemError(
            fmt::format("store {} has schema version {}, older than this fieldbook needs ({}), and "
                        "cannot be upgraded: it is read-only ({})",
                        path_.string(), version, latest, *read_only_reason_),
            "make it writable and run any fieldbook command once to upgrade it");
    refuse_if_damaged();
    // An existing store is copied aside before its schema changes.
    if (version > 0 && path_ != ":memory:") copy_aside_before_upgrade(version);
    write([&] {
        // Another process may have migrated while this one waited for the write lock.
        int current = schema_version();
        for (int step = current; step < latest; ++step)
            connection_->db->exec(std::string(migrations()[step]));
        connection_->db->exec(fmt::format("PRAGMA user_version = {}", latest));
        // Data derived from existing rows is filled by the code that keeps it up to date,
        // now that every table it reads has its current shape.
        if (current < kVisitSearchVersion) index_all_visits(*this);
        // The one step that needs a domain computation (the day's canonical records); it reads
        // through this store only, in this transaction.
        if (current < kMeetingFingerprintVersion) meeting_fingerprint::fill_archived_days(*this);
    });
}

// STORE.vN.bak: the store as it was at version N. Written whole under a temporary name, so a
// run killed half-way leaves no partial copy that would keep a later run from making it.
void Store::copy_aside_before_upgrade(int version) {
    fs::path backup = path_;
    backup += fmt::format(".v{}.bak", version);
    std::error_code ec;
    if (fs::exists(backup, ec)) return;
    PendingFile pending(backup);
    try {
        SQLite::Statement vacuum(*connection_->db, "VACUUM INTO ?");
        vacuum.bind(1, pending.path().string());
        vacuum.exec();
    } catch (const SQLite::Exception& e) {
        if (is_damage(e)) fail(*this, e);
        raise_failure(e, {.file = backup,
                          .lock_timeout_ms = lock_timeout_ms_,
                          .system_errno = sqlite3_system_errno(connection_->db->getHandle())});
    }
    // Another process upgrading at the same moment may have put its copy there first.
    pending.commit();
}

void fail(Store& store, const SQLite::Exception& e) {
    SQLite::Database* db = store.connection().db.get();
    const int system_errno = db ? sqlite3_system_errno(db->getHandle()) : 0;
    if (is_damage(e) && store.path() != ":memory:") store.mark_damaged(e.what());
    raise_failure(e, {.file = store.path(),
                      .lock_timeout_ms = store.lock_timeout_ms(),
                      .system_errno = system_errno,
                      .read_only_reason = store.read_only_reason()});
}

void Store::rethrow_failure() {
    try {
        throw;
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
}

void Store::fail_and_roll_back() {
    try {
        rethrow_failure();
    } catch (...) {
        rollback();
        throw;
    }
}

void Store::mark_damaged(const std::string& reason) {
    store::mark_damaged(path_, reason);
}

void Store::refuse_if_damaged() {
    if (path_ == ":memory:") return;
    auto mark = find_damage_mark(path_);
    if (!mark) return;
    throw SystemError(fmt::format("{} ({} was marked damaged at {}: {})", kStoreIsDamaged,
                                  path_.string(), mark->found_at, mark->reason),
                      fmt::format("nothing was written; the mark is {}", mark->file.string()));
}

void Store::refuse_if_read_only() {
    if (!read_only_reason_) return;
    throw SystemError(fmt::format("store {} is read-only: {}", path_.string(), *read_only_reason_),
                      "nothing was written");
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

Prepared prepare(Store& store, const std::string& sql) {
    Connection& c = store.connection();
    auto found = c.statements.find(sql);
    if (found != c.statements.end() && found->second.use_count() == 1)
        return Prepared(found->second);
    auto statement = std::make_shared<SQLite::Statement>(*c.db, sql);
    if (found == c.statements.end()) c.statements.emplace(sql, statement);
    return Prepared(statement);
}

void Store::begin_immediate() {
    if (writes_refused_) throw UsageError(*writes_refused_);
    refuse_if_damaged();
    refuse_if_read_only();
    search_pending_.clear();
    try {
        connection_->db->exec("BEGIN IMMEDIATE");
        ++transaction_serial_;
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
}

void Store::begin_deferred() {
    try {
        connection_->db->exec("BEGIN DEFERRED");
        ++transaction_serial_;
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
}

void Store::finish_write() {
    std::set<std::int64_t> pending;
    pending.swap(search_pending_);
    for (auto id : pending) reindex_visit(*this, id);
    commit();
}

void Store::commit() {
    connection_->db->exec("COMMIT");
}

void Store::rollback() {
    search_pending_.clear();
    try {
        if (!connection_->db->getHandle() ||
            sqlite3_get_autocommit(connection_->db->getHandle()) == 0)
            connection_->db->exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
    }
}

std::optional<std::string> Store::meta(const std::string& key) {
    SQLite::Statement q(*connection_->db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
}

void Store::set_derived(std::string_view table, std::int64_t id, std::string_view column,
                        const Value& value) {
    auto plain = [](std::string_view name) {
        for (char c : name)
            if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
        return !name.empty();
    };
    if (!plain(table) || !plain(column))
        throw SystemError(fmt::format("store: {}.{} is not a column", table, column));
    auto q = prepare(*this, fmt::format("UPDATE {} SET {} = ? WHERE id = ?", table, column));
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                q->bind(1);
            else
                q->bind(1, x);
        },
        value);
    q->bind(2, id);
    q->exec();
}

void Store::erase_meta(const std::string& key) {
    SQLite::Statement q(*connection_->db, "DELETE FROM meta WHERE key = ?");
    q.bind(1, key);
    q.exec();
}

// A bigger page cache keeps the indexes of a large batch in memory until it commits.
void Store::prepare_for_bulk_write() {
    try {
        connection_->db->exec("PRAGMA cache_size = -32768");
    } catch (const SQLite::Exception& e) {
        fail(*this, e);
    }
}

void Store::set_meta(const std::string& key, const std::string& value) {
    SQLite::Statement q(*connection_->db,
                        "INSERT INTO meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

}  // namespace fieldbook::store
