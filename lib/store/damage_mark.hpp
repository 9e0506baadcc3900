#pragma once
// The mark of a store known to be damaged. It is a small file beside the store (STORE.damaged,
// mode 0600), since the store itself cannot be trusted to keep it. While it applies, write
// commands stop. It names the file it was made for (device and inode): the recovered store,
// once moved into place, is another file, so the mark does not apply to it; a store that
// `db check` finds sound again loses the mark too.
#include <filesystem>
#include <optional>
#include <string>

namespace fieldbook::store {

struct DamageMark {
    std::filesystem::path file;  // STORE.damaged
    std::string found_at;        // UTC, ISO 8601
    std::string reason;          // what SQLite or `db check` reported
};

std::filesystem::path damage_mark_path(const std::filesystem::path& store);

// The mark on this store, if there is one and it applies to the file now at `store`. A mark
// left for a file that has since been replaced is removed on the way (when it can be).
std::optional<DamageMark> find_damage_mark(const std::filesystem::path& store);

// Marks the store damaged, unless it already is. Best effort: in a directory that cannot be
// written the mark cannot be made (and the store cannot be written either).
void mark_damaged(const std::filesystem::path& store, const std::string& reason);

// Removes the mark (the store checked sound).
void clear_damage_mark(const std::filesystem::path& store);

}  // namespace fieldbook::store
