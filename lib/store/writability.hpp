#pragma once
// Whether fieldbook can write a store, found before SQLite opens it: a store that cannot be
// written is opened read-only in a way that creates no file beside it, so that reading it
// leaves nothing behind that would stop writes once it is writable again.
#include <filesystem>
#include <optional>
#include <string>

namespace fieldbook::store {

struct Writability {
    // Why the store cannot be written, naming the file (or directory) in the way; empty when
    // it can be.
    std::optional<std::string> read_only_reason;
    // The -wal file holds changes not yet in the store file.
    bool wal_has_changes = false;
    // The -shm file exists (SQLite can then read the -wal without creating anything).
    bool shm_exists = false;
    bool directory_writable = false;
};

// Looks at the store, its directory and its -wal/-shm files. A -wal or -shm file that is the
// user's but has lost its write permission (left by a read of the store while it was
// read-only) gets it back, once the store itself is writable.
Writability probe_writability(const std::filesystem::path& store);

}  // namespace fieldbook::store
