#include "uuid.hpp"

#include <fmt/format.h>

#include <array>

namespace fieldbook {

UuidGenerator::UuidGenerator(const Clock& clock, std::uint64_t seed)
    : clock_(clock),
      random_(seed != 0 ? seed
                        : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

std::string UuidGenerator::next() {
    // The clock has second resolution (and may be pinned): stepping the millisecond field past
    // the last one keeps this generator's ids strictly increasing.
    std::int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch())
            .count();
    if (ms <= last_ms_) ms = last_ms_ + 1;
    last_ms_ = ms;
    std::uint64_t high = random_();
    std::uint64_t low = random_();
    std::array<std::uint8_t, 16> b{};
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    for (int i = 6; i < 8; ++i) b[i] = static_cast<std::uint8_t>(high >> (8 * i));
    for (int i = 8; i < 16; ++i) b[i] = static_cast<std::uint8_t>(low >> (8 * (i - 8)));
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x70);  // version 7
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC variant
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += fmt::format("{:02x}", b[i]);
    }
    return out;
}

}  // namespace fieldbook
