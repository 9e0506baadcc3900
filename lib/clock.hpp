#pragma once
// "Now" comes from a Clock passed in, so tests and demos can pin it (FIELDBOOK_NOW).
#include <chrono>

namespace fieldbook {

using Instant = std::chrono::sys_seconds;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;
};

class SystemClock final : public Clock {
  public:
    Instant now() const override {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

class FixedClock final : public Clock {
  public:
    explicit FixedClock(Instant at) : at_(at) {}
    Instant now() const override { return at_; }

  private:
    Instant at_;
};

}  // namespace fieldbook
