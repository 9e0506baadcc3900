#pragma once
// What a failed call of the store's engine means to the person who ran the command. Each kind
// of failure becomes one Error whose message names the file and says what happened, and whose
// hint says what to do: a lock held by another command, a full disk, a damaged or read-only
// store. The engine's own exceptions are read in lib/store/sqlite/ alone.
#include <filesystem>
#include <optional>
#include <string>

#include "errors.hpp"

namespace fieldbook::store {

// SQLite found the store's file malformed, or not a database at all.
class DamagedError : public SystemError {
  public:
    DamagedError(const std::string& what, std::string hint, std::string sqlite_says)
        : SystemError(what, std::move(hint)), sqlite_says_(std::move(sqlite_says)) {}
    // SQLite's own words ("file is not a database").
    const std::string& sqlite_says() const { return sqlite_says_; }

  private:
    std::string sqlite_says_;
};

// The words every damaged-store error starts with.
inline constexpr const char* kStoreIsDamaged = "store is damaged: see `fieldbook db check`";

// What is known about the file when the call failed.
struct FailureContext {
    std::filesystem::path file;                   // the store, or the file being written (a backup)
    int lock_timeout_ms = 0;                      // how long a write waited for the lock
    int system_errno = 0;                         // sqlite3_system_errno() right after the failure
    std::optional<std::string> read_only_reason;  // why the store cannot be written, if known
};

// Called while an exception is handled: throws the Error that it means when it is the
// engine's own (no store was opened: its file could not be), and rethrows it unchanged
// otherwise. Store::rethrow_failure does the same for an open store.
[[noreturn]] void rethrow_failure(const FailureContext& context);

// Why a file cannot be created in `dir`, from the errno of the attempt, in words that name
// what to fix ("directory nodir does not exist").
std::string why_cannot_create_in(const std::filesystem::path& dir, int error);

// Whether the file system holding `path` has no room left for another page.
bool disk_is_full(const std::filesystem::path& path);

// "15 s", "1.5 s".
std::string seconds_text(int milliseconds);

}  // namespace fieldbook::store
