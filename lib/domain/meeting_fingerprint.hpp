#pragma once
// The fingerprint of a day's own records, kept with its archived meeting summary to tell
// whether the day changed after it was closed. It is computed from the records themselves, not
// from the rendered summary: a translated heading, a new layout or another display time zone
// changes no fingerprint, while an edited visit does.
#include <string>
#include <string_view>

#include "store/store.hpp"
#include "store/tx.hpp"
#include "text/dates.hpp"

namespace fieldbook::meeting_fingerprint {

// Written before the digest, so that a later serialisation (more records, other fields) is a
// new version that never equals an older fingerprint by accident.
// v1 covered the meeting, quotas, notes and visits; v2 (since the summary shows the day's money)
// also the day's orders and payments.
inline constexpr std::string_view kVersion = "v2";

// The day's records as canonical text: the meeting's kind, the quotas set for the day, the
// day's notes and visits (each visit with the follow-up it scheduled, as the summary shows it),
// the orders taken and the payments received that day, live records only. Records and references
// are named by UUID (the same in every store a record syncs to, unlike row ids), instants are the
// stored UTC ones, objects have sorted keys and every list is sorted by UUID. Nothing here is
// rendered, labelled or in local time. Read through `tx`, in the transaction it serves.
std::string serialise(store::Tx& tx, text::Day day);
// Read straight from the store, in whatever transaction it is in (none: as it is now).
std::string serialise(store::Store& store, text::Day day);
// The version 1 serialisation: the same without the orders and payments.
std::string serialise_v1(store::Tx& tx, text::Day day);

// "v2:" and the lowercase hex SHA-256 of serialise().
std::string of_day(store::Tx& tx, text::Day day);
std::string of_day(store::Store& store, text::Day day);

// Whether a stored fingerprint is that of the day's records now, in the version it was made in
// ("v1:" ones against serialise_v1). Anything else (the upgrade's marker) never matches.
bool matches(store::Tx& tx, text::Day day, std::string_view stored);

}  // namespace fieldbook::meeting_fingerprint
