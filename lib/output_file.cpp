#include "output_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <random>
#include <string_view>
#include <system_error>

#include "errors.hpp"

namespace fieldbook {

namespace fs = std::filesystem;

namespace {

std::string reason(int error) {
    return std::generic_category().message(error);
}

fs::path directory_of(const fs::path& target) {
    fs::path directory = target.parent_path();
    return directory.empty() ? fs::path(".") : directory;
}

// Temporaries are named .NAME.HOST.PID.XXXXXX: the host and the process writing them, so that
// a later run can tell one whose writer died from one still being written.
std::string temporary_prefix(const fs::path& target) {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0')
        return "." + target.filename().string() + ".localhost.";
    return "." + target.filename().string() + "." + host.data() + ".";
}

// Removes the temporaries of this target that a process of this host left behind when it
// died: named exactly PREFIX PID "." six letters or digits, owned by this user, PID not
// running. Going by the process rather than by age means a killed export's temporary goes at
// the next run, while a concurrent export's, however slow, is never touched; a PID reused
// since keeps a stale one until that process ends, which errs on the side of keeping. The
// host in the name keeps a run from judging the processes of another host sharing the
// directory (NFS, which has no O_TMPFILE).
void remove_abandoned(const fs::path& directory, const std::string& prefix) {
    std::error_code ec;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string_view rest = std::string_view(name).substr(prefix.size());
        const std::size_t dot = rest.find('.');
        if (dot == std::string_view::npos || rest.size() != dot + 7) continue;
        const std::string_view suffix = rest.substr(dot + 1);
        if (suffix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789") != std::string_view::npos)
            continue;
        pid_t pid = 0;
        const auto [end_of_pid, error] = std::from_chars(rest.data(), rest.data() + dot, pid);
        if (error != std::errc{} || end_of_pid != rest.data() + dot || pid <= 0) continue;
        if (pid == ::getpid()) continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
            st.st_uid != ::geteuid())
            continue;
        if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
        ::unlink(it->path().c_str());
    }
}

std::string random_suffix() {
    static constexpr std::string_view kLetters =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    std::string suffix(6, 'X');
    for (char& c : suffix) c = kLetters[random() % kLetters.size()];
    return suffix;
}

}  // namespace

// A plain buffer over a file descriptor. std::ofstream would do, but it forgets errno, and
// "No space left on device" is the part of the message that tells the user what to do.
class OutputFile::Buffer final : public std::streambuf {
  public:
    explicit Buffer(int fd) : fd_(fd) { setp(data_.data(), data_.data() + data_.size()); }

    // 0 when everything so far reached the descriptor, else the errno of the first failure.
    int flush_all() {
        drain();
        return error_;
    }

  protected:
    int_type overflow(int_type ch) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(ch, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(ch);
            pbump(1);
        }
        return traits_type::not_eof(ch);
    }

    int sync() override { return drain() ? 0 : -1; }

  private:
    bool drain() {
        if (error_ != 0) return false;
        const char* p = pbase();
        const char* end = pptr();
        while (p < end) {
            const ssize_t n = ::write(fd_, p, static_cast<std::size_t>(end - p));
            if (n < 0) {
                if (errno == EINTR) continue;
                error_ = errno;
                break;
            }
            p += n;
        }
        setp(data_.data(), data_.data() + data_.size());
        return error_ == 0;
    }

    int fd_;
    int error_ = 0;
    std::array<char, 65536> data_{};
};

OutputFile::OutputFile(int fd, std::string name, bool owned)
    : fd_(fd), name_(std::move(name)), owned_(owned), buffer_(std::make_unique<Buffer>(fd)) {}

OutputFile::~OutputFile() {
    if (owned_ && fd_ >= 0) ::close(fd_);
    if (!temporary_.empty() && !committed_) ::unlink(temporary_.c_str());
}

std::unique_ptr<OutputFile> OutputFile::standard_output() {
    return std::unique_ptr<OutputFile>(new OutputFile(STDOUT_FILENO, "standard output", false));
}

std::unique_ptr<OutputFile> OutputFile::open(const fs::path& path, Temporary temporary) {
    const std::string name = path.string();
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) throw SystemError(fmt::format("cannot open {}: {}", name, reason(errno)));
        return std::unique_ptr<OutputFile>(new OutputFile(fd, name, true));
    }

    // A symbolic link keeps pointing where it did; the file it names is what gets replaced.
    fs::path target = path;
    std::error_code ec;
    if (fs::is_symlink(path, ec)) {
        target = fs::canonical(path, ec);
        if (ec) throw SystemError(fmt::format("cannot open {}: {}", name, ec.message()));
    }
    // Renaming would replace a file the user may not write; refuse as a shell redirect would.
    if (::access(target.c_str(), F_OK) == 0 && ::access(target.c_str(), W_OK) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", name, reason(errno)));

    const fs::path directory = directory_of(target);
    const std::string prefix = temporary_prefix(target);
    remove_abandoned(directory, prefix);

    // Linking an unnamed file goes through /proc/self/fd (linkat with AT_EMPTY_PATH needs a
    // privilege users do not have).
    int fd = -1;
    if (temporary == Temporary::unnamed && ::access("/proc/self/fd", X_OK) == 0) {
        fd = ::open(directory.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        // Without O_TMPFILE support the kernel or the file system answers one of these.
        if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
            throw SystemError(fmt::format("cannot write {}: {}", name, reason(errno)));
        // 0600 whatever the umask, as mkostemp makes it.
        if (fd >= 0 && ::fchmod(fd, 0600) != 0) {
            const int error = errno;
            ::close(fd);
            throw SystemError(fmt::format("cannot write {}: {}", name, reason(error)));
        }
    }
    std::string pattern;
    if (fd < 0) {
        pattern = (directory / (prefix + std::to_string(::getpid()) + ".XXXXXX")).string();
        // mkostemp creates the file 0600, whatever the umask.
        fd = ::mkostemp(pattern.data(), O_CLOEXEC);
        if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", name, reason(errno)));
    }
    auto file = std::unique_ptr<OutputFile>(new OutputFile(fd, name, true));
    file->unnamed_ = pattern.empty();
    file->temporary_ = pattern;
    file->target_ = target;
    file->prefix_ = prefix;
    return file;
}

std::streambuf* OutputFile::buffer() {
    return buffer_.get();
}

bool OutputFile::is_terminal() const {
    return ::isatty(fd_) == 1;
}

void OutputFile::commit() {
    if (const int error = buffer_->flush_all(); error != 0)
        throw SystemError(fmt::format("cannot write {}: {}", name_, reason(error)));
    if (!owned_) return;
    // Only a regular file can be synced; a device or a FIFO answers EINVAL, which is no error.
    if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS)
        throw SystemError(fmt::format("cannot write {}: {}", name_, reason(errno)));
    if (unnamed_) link_into_place();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", name_, reason(errno)));
    if (temporary_.empty()) return;

    if (::rename(temporary_.c_str(), target_.c_str()) != 0)
        throw SystemError(fmt::format("cannot write {}: {}", name_, reason(errno)));
    committed_ = true;
    // The rename itself survives a crash only once the directory is synced. The data is in
    // place by now, so a directory that cannot be synced is not worth failing the command.
    if (const int dir = ::open(directory_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

// Gives the unnamed temporary a name: the target's when there is no file there yet (the
// complete file appears at once), else a temporary one that commit() renames over the target.
// Killed between that link and the rename, the process leaves that name behind, in the form a
// later open() removes.
void OutputFile::link_into_place() {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    auto link_as = [&](const fs::path& name) {
        return ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0;
    };
    if (link_as(target_)) {
        committed_ = true;
        return;
    }
    if (errno != EEXIST)
        throw SystemError(fmt::format("cannot write {}: {}", name_, reason(errno)));
    const fs::path directory = directory_of(target_);
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path name = directory / (prefix_ + std::to_string(::getpid()) + "." + random_suffix());
        if (link_as(name)) {
            temporary_ = std::move(name);
            return;
        }
        if (errno != EEXIST)
            throw SystemError(fmt::format("cannot write {}: {}", name_, reason(errno)));
    }
    throw SystemError(fmt::format("cannot write {}: no free temporary name", name_));
}

}  // namespace fieldbook
