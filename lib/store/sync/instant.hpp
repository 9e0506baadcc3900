#pragma once
// The order in which sync places two edits of one field (merge.hpp).
#include <compare>
#include <cstdint>
#include <string>

namespace fieldbook::store::sync {

// When an operation was made, as sync orders two edits of one field: the instant of its
// UUIDv7 (the maker's clock, in milliseconds, strictly increasing on each device), then the
// device id, so that every store picks the same winner whatever order they arrive in.
struct EditOrder {
    std::int64_t ms = 0;
    std::string device;
    auto operator<=>(const EditOrder&) const = default;
};
// The milliseconds of a UUIDv7; operations logged before they had one are placed at their
// logged instant (at_utc, to the second).
std::int64_t instant_ms(const std::string& op_uuid, const std::string& at_utc);

}  // namespace fieldbook::store::sync
