#pragma once
// A copy of the store, as one consistent snapshot, in a new file.
#include <filesystem>

namespace fieldbook::store {

class Store;

// Copies the store to `target`, which must not exist (UsageError if it does). The copy is
// made by SQLite's online backup, so other commands may go on writing; it is written beside
// the target under a temporary name and appears at `target` only once complete and synced.
void backup_store(Store& store, const std::filesystem::path& target);

}  // namespace fieldbook::store
