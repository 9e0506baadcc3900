#include "store/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

#include "errors.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"

namespace fieldbook::store {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 15000;

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

std::unique_ptr<SQLite::Database> open_file(const fs::path& path) {
    try {
        return std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE,
                                                  kBusyTimeoutMs);
    } catch (const SQLite::Exception& e) {
        throw SystemError(fmt::format("cannot open store {}: {}", path.string(), e.what()));
    }
}

}  // namespace

int latest_schema_version() {
    return static_cast<int>(migrations().size());
}

Store::Store(std::unique_ptr<SQLite::Database> db, fs::path path)
    : db_(std::move(db)), path_(std::move(path)) {}

Store Store::open_existing(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(fmt::format("no store at {}", path.string()),
                    "run `fieldbook init` to create one, or pass --db PATH");
    Store store(open_file(path), path);
    // A read command never turns some other file (or an empty one) into a store.
    int version = 0;
    try {
        version = store.schema_version();
    } catch (const SQLite::Exception& e) {
        throw SystemError(fmt::format("cannot read store {}: {}", path.string(), e.what()));
    }
    if (version == 0)
        throw Error(fmt::format("{} is not a fieldbook store", path.string()),
                    "run `fieldbook init` to create one there, or pass --db PATH");
    store.configure();
    store.migrate();
    return store;
}

Store Store::open_or_create(const fs::path& path) {
    create_private_file(path);
    Store store(open_file(path), path);
    store.configure();
    store.migrate();
    return store;
}

Store Store::in_memory() {
    Store store(std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE), ":memory:");
    store.configure();
    store.migrate();
    return store;
}

void Store::configure() {
    try {
        db_->setBusyTimeout(kBusyTimeoutMs);
        // WAL lets readers go on while one writer commits; the mode is persistent, so only the
        // first open of a new file pays for switching.
        if (path_ != ":memory:") {
            std::string mode = db_->execAndGet("PRAGMA journal_mode").getString();
            if (mode != "wal") db_->execAndGet("PRAGMA journal_mode = WAL");
        }
        db_->exec("PRAGMA foreign_keys = ON");
        // FULL: a committed visit survives a power cut, not only a crash.
        db_->exec("PRAGMA synchronous = FULL");
    } catch (const SQLite::Exception& e) {
        throw SystemError(fmt::format("cannot configure store {}: {}", path_.string(), e.what()));
    }
}

int Store::schema_version() {
    return db_->execAndGet("PRAGMA user_version").getInt();
}

void Store::migrate() {
    const int latest = latest_schema_version();
    int version = schema_version();
    if (version == latest) return;
    if (version > latest)
        throw SystemError(
            fmt::format("store {} has schema version {}, newer than this fieldbook knows ({})",
                        path_.string(), version, latest),
            "upgrade fieldbook");
    // An existing store is copied aside before its schema changes.
    if (version > 0 && path_ != ":memory:") {
        fs::path backup = path_;
        backup += fmt::format(".v{}.bak", version);
        std::error_code ec;
        if (!fs::exists(backup, ec)) {
            create_private_file(backup);
            fs::remove(backup, ec);
            SQLite::Statement vacuum(*db_, "VACUUM INTO ?");
            vacuum.bind(1, backup.string());
            vacuum.exec();
            ::chmod(backup.c_str(), 0600);
        }
    }
    write([&] {
        // Another process may have migrated while this one waited for the write lock.
        int current = schema_version();
        for (int step = current; step < latest; ++step) db_->exec(std::string(migrations()[step]));
        db_->exec(fmt::format("PRAGMA user_version = {}", latest));
    });
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

Prepared Store::prepare(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end() && found->second.use_count() == 1)
        return Prepared(found->second);
    auto statement = std::make_shared<SQLite::Statement>(*db_, sql);
    if (found == statements_.end()) statements_.emplace(sql, statement);
    return Prepared(statement);
}

void Store::begin_immediate() {
    if (writes_refused_) throw UsageError(*writes_refused_);
    search_pending_.clear();
    db_->exec("BEGIN IMMEDIATE");
}

void Store::begin_deferred() {
    db_->exec("BEGIN DEFERRED");
}

void Store::finish_write() {
    std::set<std::int64_t> pending;
    pending.swap(search_pending_);
    for (auto id : pending) reindex_visit(*this, id);
    commit();
}

void Store::commit() {
    db_->exec("COMMIT");
}

void Store::rollback() {
    search_pending_.clear();
    try {
        if (!db_->getHandle() || sqlite3_get_autocommit(db_->getHandle()) == 0)
            db_->exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
    }
}

std::optional<std::string> Store::meta(const std::string& key) {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return q.getColumn(0).getString();
    return std::nullopt;
}

void Store::set_meta(const std::string& key, const std::string& value) {
    SQLite::Statement q(*db_,
                        "INSERT INTO meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

}  // namespace fieldbook::store
