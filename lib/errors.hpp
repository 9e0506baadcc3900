#pragma once
// The one error hierarchy of the library. Thrown by lib, caught once in main, which maps each
// kind to an exit code: UsageError -> 2 (nothing was written), everything else -> 1.
#include <stdexcept>
#include <string>

namespace fieldbook {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& what, std::string hint = {})
        : std::runtime_error(what), hint_(std::move(hint)) {}
    const std::string& hint() const { return hint_; }
    virtual int exit_code() const { return 1; }

  private:
    std::string hint_;
};

// Bad arguments or invalid input: the user can fix it by changing what they typed.
class UsageError : public Error {
  public:
    using Error::Error;
    int exit_code() const override { return 2; }
};

// A record the user named does not exist.
class NotFound : public Error {
  public:
    using Error::Error;
};

// The store or the file system failed underneath us.
class SystemError : public Error {
  public:
    using Error::Error;
};

}  // namespace fieldbook
