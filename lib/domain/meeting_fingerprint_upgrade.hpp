#pragma once
// Archives closed before the store kept data fingerprints (schema version 5) get one when the
// store is upgraded, so that no archived day is newly reported as changed, and none that had
// already changed stops being reported.
#include <string_view>

#include "store/store.hpp"

namespace fieldbook::meeting_fingerprint {

// Stored instead of a fingerprint for a day whose records were written after its meeting was
// closed and before the upgrade: no fingerprint of today's records would be the one at closing,
// and the marker never equals a computed fingerprint, so the day stays reported as changed.
inline constexpr std::string_view kChangedBeforeUpgrade = "changed-before-upgrade";

// Inside the upgrade's write transaction, once the schema is current: every closed meeting
// without a data fingerprint gets one, or the marker.
void fill_archived_days(store::Store& store);

}  // namespace fieldbook::meeting_fingerprint
