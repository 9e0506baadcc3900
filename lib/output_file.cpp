#include "output_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "errors.hpp"

namespace fieldbook {

namespace fs = std::filesystem;

namespace {

std::string reason(int error) {
    return std::generic_category().message(error);
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

std::unique_ptr<OutputFile> OutputFile::open(const fs::path& path) {
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

    fs::path directory = target.parent_path();
    if (directory.empty()) directory = ".";
    std::string pattern = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
    // mkostemp creates the file 0600, whatever the umask.
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) throw SystemError(fmt::format("cannot write {}: {}", name, reason(errno)));
    auto file = std::unique_ptr<OutputFile>(new OutputFile(fd, name, true));
    file->temporary_ = pattern;
    file->target_ = target;
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
    fs::path directory = target_.parent_path();
    if (directory.empty()) directory = ".";
    if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace fieldbook
