#pragma once
// Copying what can still be read out of a damaged store into a new one.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fieldbook::store {

struct TableRecovery {
    std::string table;
    std::int64_t saved = 0;
    // Rows known to exist (from the table or any of its indexes) that could not be read, or
    // that no longer fit the current schema. Rows on pages that neither the table nor an
    // index still leads to cannot be counted.
    std::int64_t lost = 0;
    bool unreadable = false;  // the table could not be read at all
};

struct Recovery {
    int from_version = 0;
    std::vector<TableRecovery> tables;
};

// Reads the store at `damaged` (opened read-only; it is never changed) table by table and row
// by row, skipping what cannot be read, into a new store with the current schema at `target`,
// which must not exist. The new store appears at `target` only once complete. The search
// index is rebuilt from the rows saved.
Recovery recover_store(const std::filesystem::path& damaged, const std::filesystem::path& target,
                       int lock_timeout_ms);

}  // namespace fieldbook::store
