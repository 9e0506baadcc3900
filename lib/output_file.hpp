#pragma once
// Where a command's data goes: standard output, or the file named by --output.
//
// A regular file (new or existing) is written to a private temporary (mode 0600) in the same
// directory and renamed over the target only by commit(), after an fsync: a command that fails
// halfway leaves an existing file as it was and no partial file behind. Something that exists
// and is not a regular file (a device such as /dev/full, a FIFO, /dev/stdout on a pipe) cannot
// be replaced that way and is written directly.
//
// Write errors do not surface where they happen (the stream just goes bad); the first one is
// kept with its OS reason and reported by commit(), so a full disk is never a silent success.
#include <filesystem>
#include <memory>
#include <streambuf>
#include <string>

namespace fieldbook {

class OutputFile {
  public:
    // File descriptor 1, named "standard output" in messages; never closed or renamed.
    static std::unique_ptr<OutputFile> standard_output();
    // Throws SystemError naming the path when it cannot be opened or its directory written.
    static std::unique_ptr<OutputFile> open(const std::filesystem::path& path);

    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    // An uncommitted temporary is removed: the command did not finish.
    ~OutputFile();

    std::streambuf* buffer();
    bool is_terminal() const;
    // The path as the user gave it, or "standard output".
    const std::string& name() const { return name_; }

    // Flushes and, for a temporary, syncs it and renames it into place. Throws SystemError
    // "cannot write NAME: REASON" for the first write error since opening.
    void commit();

  private:
    class Buffer;
    OutputFile(int fd, std::string name, bool owned);

    int fd_;
    std::string name_;
    bool owned_;                       // close the descriptor when done
    std::filesystem::path temporary_;  // empty when writing directly
    std::filesystem::path target_;     // what the temporary replaces
    std::unique_ptr<Buffer> buffer_;
    bool committed_ = false;
};

}  // namespace fieldbook
