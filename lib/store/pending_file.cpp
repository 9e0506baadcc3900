#include "store/pending_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "store/failure.hpp"

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMarker = ".fieldbook-partial-";
// SQLite's files beside a database: a temporary's own are removed with it.
constexpr std::string_view kSidecars[] = {"-journal", "-wal", "-shm"};

fs::path directory_of(const fs::path& file) {
    return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

std::string prefix_for(const fs::path& target) {
    std::string prefix = ".";
    prefix += target.filename().string();
    prefix += kMarker;
    return prefix;
}

bool ends_with(std::string_view text, std::string_view tail) {
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

void remove_with_sidecars(const fs::path& file) {
    ::unlink(file.c_str());
    for (auto suffix : kSidecars) ::unlink((file.string() + std::string(suffix)).c_str());
}

// A temporary whose lock can be taken belongs to no living run: that run died (killed, power
// cut) before it could clean up. Only the user's own regular files are considered.
bool abandoned(const fs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool mine = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid();
    bool free = mine && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    return free;
}

void remove_abandoned(const fs::path& dir, const std::string& prefix) {
    DIR* listing = ::opendir(dir.c_str());
    if (listing == nullptr) return;
    std::vector<std::string> names;
    while (dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name.rfind(prefix, 0) == 0) names.push_back(name);
    }
    ::closedir(listing);
    for (const auto& name : names) {
        bool sidecar = false;
        for (auto suffix : kSidecars) sidecar = sidecar || ends_with(name, suffix);
        fs::path file = dir / name;
        if (!sidecar) {
            if (abandoned(file)) remove_with_sidecars(file);
            continue;
        }
        // A sidecar whose temporary is gone was left by a run killed while removing it.
        std::string base = name.substr(0, name.rfind('-'));
        struct stat st {};
        if (::lstat((dir / base).c_str(), &st) != 0 && errno == ENOENT) ::unlink(file.c_str());
    }
}

void sync_directory(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

PendingFile::PendingFile(fs::path target) : target_(std::move(target)) {
    const fs::path dir = directory_of(target_);
    const std::string prefix = prefix_for(target_);
    remove_abandoned(dir, prefix);
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::string pattern = (dir / (prefix + "XXXXXX")).string();
        int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
        if (fd < 0)
            throw SystemError(fmt::format("cannot write {}: {}", target_.string(),
                                          why_cannot_create_in(dir, errno)));
        ::fchmod(fd, 0600);
        ::flock(fd, LOCK_EX);
        // Another run cleaning up may have taken the file for abandoned between its creation
        // and the lock: then the name no longer leads to this file, and another is made.
        struct stat held {
        }, named{};
        if (::fstat(fd, &held) == 0 && ::stat(pattern.c_str(), &named) == 0 &&
            held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
            fd_ = fd;
            temporary_ = pattern;
            return;
        }
        ::close(fd);
    }
    throw SystemError(
        fmt::format("cannot write {}: its temporary file kept disappearing", target_.string()));
}

PendingFile::~PendingFile() {
    if (!done_) remove_with_sidecars(temporary_);
    if (fd_ >= 0) ::close(fd_);
}

bool PendingFile::commit() {
    if (::fsync(fd_) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", target_.string(),
                                      why_cannot_create_in(directory_of(target_), errno)));
    // Renaming without replacing: whatever appeared at the target meanwhile is kept.
    int rc = ::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        // A file system without RENAME_NOREPLACE: a hard link also refuses an existing name.
        rc = ::link(temporary_.c_str(), target_.c_str());
        if (rc == 0) ::unlink(temporary_.c_str());
    }
    if (rc != 0) {
        int error = errno;
        if (error == EEXIST) return false;
        throw SystemError(fmt::format("cannot write {}: {}", target_.string(),
                                      why_cannot_create_in(directory_of(target_), error)));
    }
    done_ = true;
    sync_directory(directory_of(target_));
    return true;
}

}  // namespace fieldbook::store
