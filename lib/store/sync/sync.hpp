#pragma once
// Offline capture and sync with a team server. A laptop keeps its own store; `sync` sends the
// operations of its log that the server has not had (push), applying each there through the
// one write path as the server's login (its guard, and the server's policies), then applies
// here the server's operations on records that login may see (pull). An operation is applied
// once everywhere, by its UUID, so a push cut off at any point and sent again leaves one copy
// of each record; edits of one field merge by their instants (merge.hpp). What the server
// refuses is quarantined here with the reason, never dropped.
//
// The laptop's bookkeeping is kept in its meta table: its device id, the last of its own
// operations the server has (sync.pushed_through), the last server operation applied here
// (sync.pulled_through) and of the server's conflicts copied here (sync.conflicts_through),
// the server (sync.server, without a password), when the last sync ended (sync.last_at), and the
// latest instant it has seen (sync.clock): the store's commands stamp their changes after it,
// whatever the laptop's clock says, so an edit made after pulling another orders after it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "store/tx.hpp"
#include "uuid.hpp"

namespace fieldbook::store {
class Store;
}

namespace fieldbook::store::sync {

// A store and the transaction object its operations are applied through.
struct Side {
    Store& store;
    Tx& tx;
};

struct Report {
    std::int64_t pushed = 0;            // operations the server applied
    std::int64_t pushed_before = 0;     // sent again, applied already (a push cut off)
    std::int64_t quarantined = 0;       // refused, kept here with the reason
    std::int64_t pulled = 0;            // server operations applied here
    std::int64_t conflicts = 0;         // new conflicts the server found in this push or before
    std::vector<std::string> refusals;  // the reasons, one per quarantined command
};

// Pushes then pulls. `login` is the server login's rep handle: a laptop command made as
// another rep is quarantined, not sent as someone else's.
Report run(Side laptop, Side server, const std::string& login, const std::string& server_label,
           const Clock& clock, UuidGenerator& uuids);

struct Status {
    std::optional<std::string> device;
    std::optional<std::string> server;
    std::optional<std::string> last_sync;
    std::int64_t waiting_operations = 0;
    std::int64_t waiting_commands = 0;
    std::int64_t conflicts = 0;
    std::int64_t quarantined = 0;
};
Status status(Side laptop);

// The latest instant a store has seen from other devices (milliseconds), for its UUIDs to
// follow (UuidGenerator::observe); none before its first pull.
std::optional<std::int64_t> seen_clock(Store& store);

struct ConflictRow {
    std::string at_utc;
    std::string table;
    std::string record_uuid;
    std::string field;
    std::string kept_value;
    std::string kept_device;
    std::string lost_value;
    std::string lost_device;
};
std::vector<ConflictRow> conflicts(Side laptop);

struct QuarantineRow {
    std::string at_utc;
    std::string direction;
    std::string command_uuid;
    std::string table;
    std::string record_uuid;
    std::string kind;
    std::string values;
    std::string reason;
};
std::vector<QuarantineRow> quarantine(Side laptop);

}  // namespace fieldbook::store::sync
