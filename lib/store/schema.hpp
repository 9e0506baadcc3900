#pragma once
#include <string_view>
#include <vector>

namespace fieldbook::store {

// Schema upgrades in order: entry i takes the store from version i to version i + 1.
const std::vector<std::string_view>& migrations();

// The version whose step added the visit search index, data derived from the visits. A store
// upgraded from before it has its existing visits indexed once its schema is current (with
// the code that keeps the index up to date, which a step of SQL alone cannot run).
constexpr int kVisitSearchVersion = 2;

// The version whose step added the data fingerprint of closed meetings. Archives closed before
// it get theirs (or a marker that the day had already changed) once the schema is current.
constexpr int kMeetingFingerprintVersion = 5;

}  // namespace fieldbook::store
