#pragma once
// Applying a received operation to a store: once (by its UUID), its references turned into
// this store's ids, and each field it sets merged with the edits the store already has, the
// later one winning (instant.hpp's EditOrder), so that every store ends with the same values
// whatever order the operations reach it in. A tombstone beats an edit: a deleted record stays
// deleted whatever edits arrive after it (they are still written, hidden, so that stores agree).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/sync/operation.hpp"
#include "store/sync/references.hpp"
#include "store/tx.hpp"

namespace fieldbook::store::sync {

// Two edits of one field made without either seeing the other, and which one stands.
struct Conflict {
    std::string table;
    std::string record_uuid;
    std::string field;
    std::string kept_value;  // JSON
    std::string kept_op_uuid;
    std::string kept_device;
    std::string lost_value;  // JSON
    std::string lost_op_uuid;
    std::string lost_device;
};

struct Receiving {
    // This store's device id: the device of the operations made here.
    std::string own_device;
    // On a server receiving a push: the last of its operations that the sender had pulled.
    // An edit of the same field after it, from another device, was made without the sender
    // seeing it: a conflict. None when pulling (the server found the conflicts already).
    std::optional<std::int64_t> sender_seen_through;
    // The operations of this batch applied here before, when the caller looked them up at
    // once (otherwise each is looked up by itself).
    const std::set<std::string>* applied_before = nullptr;
};

struct Applied {
    bool duplicate = false;  // applied before: nothing done
    std::vector<Conflict> conflicts;
};

// Inside a write transaction of the receiving store. Throws UsageError when the operation
// cannot be applied here (a record or a reference this store lacks, or may not see); the
// record call's guard, and a server's policies, may refuse it too.
Applied apply_operation(Tx& tx, const References& references, const Operation& op,
                        const Receiving& receiving);

}  // namespace fieldbook::store::sync
