#pragma once
// Where a command's data goes: standard output, or the file named by --output.
//
// A regular file (new or existing) is written to a private temporary (mode 0600) in the same
// directory and put in place only by commit(), after an fsync: a command that fails halfway
// leaves an existing file as it was and no partial file behind. Something that exists and is
// not a regular file (a device such as /dev/full, a FIFO, /dev/stdout on a pipe) cannot be
// replaced that way and is written directly.
//
// The temporary has no name (Linux O_TMPFILE) until commit() links it beside the target and
// renames it over: a process killed while writing (kill -9, a crash) leaves nothing. Where the
// file system has no O_TMPFILE (NFS, older kernels), the temporary is named
// .NAME.HOST.PID.XXXXXX from the start; whichever way, a later open() of the same target removes
// the ones whose process on this host is gone (see remove_abandoned in the .cpp for why).
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
    // How the temporary is made: `unnamed` falls back to `named` where the file system cannot;
    // `named` is there so that tests reach the fallback on any file system.
    enum class Temporary { unnamed, named };

    // Throws SystemError naming the path when it cannot be opened or its directory written.
    static std::unique_ptr<OutputFile> open(const std::filesystem::path& path,
                                            Temporary temporary = Temporary::unnamed);

    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    // An uncommitted temporary is removed: the command did not finish.
    ~OutputFile();

    std::streambuf* buffer();
    bool is_terminal() const;
    // The path as the user gave it, or "standard output".
    const std::string& name() const { return name_; }

    // Flushes and, for a temporary, syncs it and puts it in place. Throws SystemError
    // "cannot write NAME: REASON" for the first write error since opening.
    void commit();

  private:
    class Buffer;
    OutputFile(int fd, std::string name, bool owned);
    void link_into_place();

    int fd_;
    std::string name_;
    bool owned_;                       // close the descriptor when done
    bool unnamed_ = false;             // an O_TMPFILE temporary, linked at commit
    std::filesystem::path temporary_;  // a named temporary; empty when there is none
    std::filesystem::path target_;     // what the temporary replaces
    std::string prefix_;               // .NAME.HOST. of this target's temporaries
    std::unique_ptr<Buffer> buffer_;
    bool committed_ = false;
};

}  // namespace fieldbook
