#include "store/damage_mark.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>

namespace fieldbook::store {

namespace fs = std::filesystem;

namespace {

std::string file_identity(const struct stat& st) {
    return fmt::format("{}:{}", static_cast<unsigned long long>(st.st_dev),
                       static_cast<unsigned long long>(st.st_ino));
}

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    std::tm parts{};
    ::gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string one_line(std::string text) {
    for (char& ch : text)
        if (ch == '\n' || ch == '\r') ch = ' ';
    return text;
}

}  // namespace

fs::path damage_mark_path(const fs::path& store) {
    fs::path mark = store;
    mark += ".damaged";
    return mark;
}

std::optional<DamageMark> find_damage_mark(const fs::path& store) {
    const fs::path path = damage_mark_path(store);
    std::ifstream in(path);
    if (!in) return std::nullopt;
    struct stat st {};
    if (::stat(store.c_str(), &st) != 0) return std::nullopt;
    DamageMark mark{.file = path};
    std::optional<std::string> identity;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("file: ", 0) == 0) identity = line.substr(6);
        if (line.rfind("found: ", 0) == 0) mark.found_at = line.substr(7);
        if (line.rfind("reason: ", 0) == 0) mark.reason = line.substr(8);
    }
    // A mark that does not say which file it is for (cut short) is taken to apply.
    if (identity && *identity != file_identity(st)) {
        ::unlink(path.c_str());
        return std::nullopt;
    }
    return mark;
}

void mark_damaged(const fs::path& store, const std::string& reason) {
    if (find_damage_mark(store)) return;
    struct stat st {};
    if (::stat(store.c_str(), &st) != 0) return;
    std::ostringstream text;
    text << "This store is damaged: fieldbook's write commands stop until it is recovered.\n"
         << "See `fieldbook db check` and fieldbook-db(1).\n"
         << "file: " << file_identity(st) << '\n'
         << "found: " << utc_now() << '\n'
         << "reason: " << one_line(reason) << '\n';
    const std::string body = text.str();
    const fs::path path = damage_mark_path(store);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return;
    ::fchmod(fd, 0600);
    ssize_t written = ::write(fd, body.data(), body.size());
    if (written == static_cast<ssize_t>(body.size())) ::fsync(fd);
    ::close(fd);
}

void clear_damage_mark(const fs::path& store) {
    ::unlink(damage_mark_path(store).c_str());
}

}  // namespace fieldbook::store
