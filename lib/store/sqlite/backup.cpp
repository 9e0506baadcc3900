#include "store/backup.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "errors.hpp"
#include "store/pending_file.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse_existing(const fs::path& target) {
    throw UsageError(fmt::format("backup: {} already exists", target.string()),
                     "choose a new file name: a backup never replaces a file");
}

}  // namespace

void backup_store(Store& store, const fs::path& target) {
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0) refuse_existing(target);
    PendingFile pending(target);
    {
        SQLite::Database copy(pending.path().string(), SQLite::OPEN_READWRITE);
        try {
            // The temporary is thrown away whole if anything fails, so it needs no journal;
            // it is synced once, when complete.
            copy.exec("PRAGMA journal_mode = OFF");
            copy.exec("PRAGMA synchronous = OFF");
        } catch (const SQLite::Exception& e) {
            raise_failure(e,
                          {.file = target, .system_errno = sqlite3_system_errno(copy.getHandle())});
        }
        try {
            SQLite::Backup backup(copy, database(store));
            backup.executeStep(-1);
        } catch (const SQLite::Exception& e) {
            const int code = e.getErrorCode() & 0xff;
            // Writing the copy failed: its disk, not the store's, is the one to name.
            if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CANTOPEN)
                raise_failure(
                    e, {.file = target, .system_errno = sqlite3_system_errno(copy.getHandle())});
            fail(store, e);
        }
    }
    if (!pending.commit()) refuse_existing(target);
}

}  // namespace fieldbook::store
