#pragma once
// A new file that appears under its name only once it is complete. It is written as a private
// temporary beside the target (.NAME.fieldbook-partial-XXXXXX, mode 0600), synced, then renamed
// into place unless a file of that name has appeared meanwhile. A run killed half-way leaves
// only its temporary, never a file that looks complete; the next run for the same target
// removes the temporaries of runs that died (each run holds a lock on its own while it lives).
#include <filesystem>

namespace fieldbook::store {

class PendingFile {
  public:
    // Creates the temporary in the target's directory. Throws SystemError naming the target
    // and the reason when the directory cannot take it.
    explicit PendingFile(std::filesystem::path target);
    ~PendingFile();
    PendingFile(const PendingFile&) = delete;
    PendingFile& operator=(const PendingFile&) = delete;

    // Where to write, until commit().
    const std::filesystem::path& path() const { return temporary_; }
    const std::filesystem::path& target() const { return target_; }

    // Syncs the temporary and renames it to the target. Returns false, and removes the
    // temporary, when the target exists by then: an existing file is never replaced.
    bool commit();

  private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    int fd_ = -1;  // open for the run's life, holding the lock that says the temporary is in use
    bool done_ = false;
};

}  // namespace fieldbook::store
