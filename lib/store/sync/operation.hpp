#pragma once
// An operation as it travels between stores (sync.hpp): one record call of the sender's
// operation log, with its references as keys every store shares instead of the sender's ids.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "store/sync/instant.hpp"
#include "store/tx.hpp"

namespace fieldbook::store::sync {

struct Operation {
    std::int64_t source_id = 0;  // its row in the sender's op_log (the sender's cursor)
    std::string op_uuid;
    std::string device;  // the device that made it
    std::string at_utc;
    std::string table;
    std::string record_uuid;  // as the sender knows the record
    std::string record_key;   // how every store knows it (references.hpp)
    std::string kind;         // insert, update, tombstone
    // The new values; a reference is the referred record's key (a string), or, when the
    // sender could not name it, {"unseen": TABLE}.
    nlohmann::ordered_json values;
    Author command;
    std::string command_at_utc;
};

}  // namespace fieldbook::store::sync
