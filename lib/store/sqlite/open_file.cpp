#include "store/store.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

#include "errors.hpp"
#include "store/pending_file.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
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

std::unique_ptr<Engine> sqlite_on(std::unique_ptr<SQLite::Database> db, FileFacts facts) {
    return std::make_unique<SqliteEngine>(std::move(db), std::move(facts));
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
    Store store(sqlite_on(std::move(db), {.path = path,
                                          .lock_timeout_ms = options.lock_timeout_ms,
                                          .read_only_reason = read_only}),
                path);
    store.marks_damage_ = true;
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
    } catch (...) {
        store.rethrow_failure();
    }
    if (version == 0)
        throw Error(fmt::format("{} is not a fieldbook store", path.string()),
                    "run `fieldbook init` to create one there, or pass --db PATH");
    sqlite_engine(store).configure();
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
    sqlite_engine(store).configure();
    if (options.upgrade) store.migrate();
    return store;
}

Store Store::in_memory() {
    Store store(sqlite_on(std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE),
                          {.path = ":memory:"}),
                ":memory:");
    sqlite_engine(store).configure();
    store.migrate();
    return store;
}

}  // namespace fieldbook::store
