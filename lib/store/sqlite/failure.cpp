#include "store/sqlite/failure.hpp"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

fs::path directory_of(const fs::path& file) {
    return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

bool no_space(int error) {
    return error == ENOSPC || error == EDQUOT;
}

}  // namespace

bool is_damage(const SQLite::Exception& e) {
    int code = e.getErrorCode() & 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

std::string seconds_text(int milliseconds) {
    if (milliseconds % 1000 == 0) return fmt::format("{} s", milliseconds / 1000);
    return fmt::format("{:g} s", milliseconds / 1000.0);
}

bool disk_is_full(const fs::path& path) {
    struct statvfs info {};
    fs::path probe = fs::exists(path) ? path : directory_of(path);
    if (::statvfs(probe.c_str(), &info) != 0) return false;
    // SQLite writes whole pages; less room than one page is no room.
    return static_cast<unsigned long long>(info.f_bavail) * info.f_frsize < 4096;
}

std::string why_cannot_create_in(const fs::path& dir, int error) {
    const std::string name = dir.string();
    switch (error) {
        case ENOENT: {
            std::error_code ec;
            if (!fs::exists(dir, ec)) return fmt::format("directory {} does not exist", name);
            return fmt::format("you may not create files in directory {}", name);
        }
        case ENOTDIR:
            return fmt::format("{} is not a directory", name);
        case EACCES:
        case EPERM:
            return fmt::format("you may not create files in directory {}", name);
        case EROFS:
            return fmt::format("directory {} is on a read-only file system", name);
        case ENOSPC:
        case EDQUOT:
            return fmt::format("the disk holding {} is full", name);
        default:
            return fmt::format("{}: {}", name, std::strerror(error));
    }
}

void raise_failure(const SQLite::Exception& e, const FailureContext& c) {
    const std::string file = c.file.string();
    const int code = e.getErrorCode() & 0xff;
    switch (code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw SystemError(
                fmt::format("gave up after waiting {}: another fieldbook command is writing to {}",
                            seconds_text(c.lock_timeout_ms), file),
                "nothing was written; run the command again once the other one has finished, or "
                "wait longer with --lock-timeout SECONDS");
        case SQLITE_FULL:
            throw SystemError(fmt::format("the disk holding {} is full", file),
                              "nothing was written; free some space and run the command again");
        case SQLITE_IOERR:
            if (no_space(c.system_errno) || disk_is_full(c.file))
                throw SystemError(fmt::format("the disk holding {} is full", file),
                                  "nothing was written; free some space and run the command again");
            throw SystemError(
                fmt::format("the disk holding {} failed to read or write it: {}", file,
                            c.system_errno != 0 ? std::strerror(c.system_errno) : e.what()),
                "run `fieldbook db check` once the disk is sound again");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw DamagedError(
                fmt::format("{} ({}: SQLite says \"{}\")", kStoreIsDamaged, file, e.what()),
                "nothing was written", e.what());
        case SQLITE_READONLY:
            throw SystemError(
                fmt::format(
                    "store {} is read-only: {}", file,
                    c.read_only_reason.value_or(fmt::format(
                        "SQLite cannot write to it or to {}-wal / {}-shm beside it", file, file))),
                "nothing was written");
        case SQLITE_CANTOPEN:
            throw SystemError(
                fmt::format("cannot open store {}: {}", file,
                            c.system_errno != 0 ? std::strerror(c.system_errno) : e.what()));
        default:
            throw SystemError(fmt::format("store {}: {}", file, e.what()));
    }
}

void rethrow_failure(const FailureContext& context) {
    try {
        throw;
    } catch (const SQLite::Exception& e) {
        raise_failure(e, context);
    }
}

}  // namespace fieldbook::store
