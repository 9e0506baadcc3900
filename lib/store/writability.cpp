#include "store/writability.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

// The WAL file's header; frames (changes) follow it.
constexpr off_t kWalHeaderBytes = 32;

std::string cannot_write(const fs::path& file, int error) {
    if (error == EROFS) return fmt::format("{} is on a read-only file system", file.string());
    return fmt::format("you may not write to {}", file.string());
}

}  // namespace

Writability probe_writability(const fs::path& store) {
    Writability w;
    const fs::path dir = store.has_parent_path() ? store.parent_path() : fs::path(".");
    const std::string wal = store.string() + "-wal";
    const std::string shm = store.string() + "-shm";

    struct stat st {};
    w.wal_has_changes = ::stat(wal.c_str(), &st) == 0 && st.st_size > kWalHeaderBytes;
    const bool wal_exists = ::lstat(wal.c_str(), &st) == 0;
    w.shm_exists = ::lstat(shm.c_str(), &st) == 0;
    w.directory_writable = ::access(dir.c_str(), W_OK) == 0;
    const int dir_error = w.directory_writable ? 0 : errno;

    if (::access(store.c_str(), W_OK) != 0) {
        w.read_only_reason = cannot_write(store, errno);
        return w;
    }
    for (const std::string& sidecar : {wal, shm}) {
        if (::lstat(sidecar.c_str(), &st) != 0 || ::access(sidecar.c_str(), W_OK) == 0) continue;
        int error = errno;
        // Removed meanwhile by the last command closing the store: nothing in the way.
        if (error == ENOENT) continue;
        if (error != EROFS && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
            ::chmod(sidecar.c_str(), 0600) == 0)
            continue;
        w.read_only_reason = cannot_write(sidecar, error);
        return w;
    }
    // SQLite keeps the write-ahead log beside the store and creates it (and its index) on
    // the first open; they can be used where they already exist.
    if (!w.directory_writable && !(wal_exists && w.shm_exists)) {
        w.read_only_reason =
            dir_error == EROFS
                ? fmt::format("{} is on a read-only file system", dir.string())
                : fmt::format("its directory {} is read-only, and SQLite must create {} there",
                              dir.string(), wal);
    }
    return w;
}

}  // namespace fieldbook::store
