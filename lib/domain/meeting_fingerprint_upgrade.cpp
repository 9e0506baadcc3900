#include "domain/meeting_fingerprint_upgrade.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domain/meeting_fingerprint.hpp"

namespace fieldbook::meeting_fingerprint {

// Whether a day was unchanged since closing is told by the records, not by re-rendering the
// summary: the fingerprint stored before version 5 is a SHA-256 of rendered prose with local
// clock times, which the upgrade (running before the team's time zone is known, and with
// today's renderer) cannot reproduce faithfully. The write path stamps updated_at on every
// insert, edit and tombstone, so a record of the day stamped after closed_at is a change
// since closing. Follow-ups count when edited or dropped after closing (open or dropped now),
// not when carried out: done is their state, not the day's plan.
// The archived text's own SHA-256 (the `sha256` column) is left as it is and still checked on
// its own: it tells whether the summary was altered, not whether the day's records were.
void fill_archived_days(store::Store& store) {
    // Read through a Tx that only reads, in the upgrade's transaction.
    auto read = store.read_tx();
    store::Tx& tx = *read;
    std::vector<std::pair<std::int64_t, std::string>> values;
    tx.each(R"sql(
SELECT m.id, m.day,
       EXISTS (SELECT 1 FROM visit v WHERE v.day = m.day AND v.updated_at > m.closed_at)
    OR EXISTS (SELECT 1 FROM meeting_note n WHERE n.day = m.day AND n.updated_at > m.closed_at)
    OR EXISTS (SELECT 1 FROM plan p WHERE p.day = m.day AND p.updated_at > m.closed_at)
    OR EXISTS (SELECT 1 FROM followup f JOIN visit v ON v.id = f.origin_visit_id
               WHERE v.day = m.day AND f.state IN ('open', 'dropped')
                 AND f.updated_at > m.closed_at) AS changed
FROM meeting m
WHERE m.closed_at IS NOT NULL AND m.records_fingerprint IS NULL)sql",
            {}, [&](const store::Row& row) {
                bool changed = row.integer("changed") != 0;
                values.emplace_back(row.integer("id"),
                                    changed ? std::string(kChangedBeforeUpgrade)
                                            : of_day(tx, text::parse_iso_day(row.text("day"))));
            });
    // A derived value of the archive, like the search index: not a change to the meeting, so
    // updated_at stays as it was and nothing is logged. The record calls of a Tx stamp and log
    // every change, so this one is written at the store's level.
    for (const auto& [id, value] : values)
        store.set_derived("meeting", id, "records_fingerprint", value);
}

}  // namespace fieldbook::meeting_fingerprint
