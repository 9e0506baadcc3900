#pragma once
// The operation log as people read it: the commands run against the store, each with the
// record changes it made (field: old → new). What `log`, a record's `--history` and undo read.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/session.hpp"
#include "store/tx.hpp"
#include "text/dates.hpp"

namespace fieldbook::command_log {

// One record call of a command.
struct Operation {
    std::int64_t id = 0;
    std::string table;
    std::string record_uuid;
    std::optional<std::int64_t> record_id;  // none when the record is not in this store
    std::string kind;                       // insert, update, tombstone
    store::Fields old_values;               // update and tombstone: the fields as they were
    store::Fields new_values;
};

struct Command {
    std::int64_t id = 0;
    std::string uuid;
    std::string actor;
    std::vector<std::string> argv;
    std::string at_utc;
    std::optional<std::int64_t> undoes;  // the command this one reverted
    // The undo in effect that reverted this one, if any (an undo undone no longer counts).
    std::optional<std::int64_t> undone_by;
    std::vector<Operation> operations;
};

// A record named on the command line: its UUID, or TABLE:ID ("visit:12").
struct RecordRef {
    std::string table;
    std::string uuid;
};

struct Filter {
    std::optional<std::string> actor;       // a rep's handle
    std::optional<text::Day> since, until;  // local days of the team's zone, inclusive
    std::optional<RecordRef> record;
};

// Inside a read or write transaction: the commands that match, newest first, each with its
// operations (all of them, or those on the record when one is asked for). Streams: one
// command is held at a time.
void each(Session& s, store::Tx& tx, const Filter& filter,
          const std::function<void(const Command&)>& on_command);

// The same for several records at once (a customer and the records that belong to it): the
// commands that changed any of them, newest first, each with its operations on them.
void each_of(Session& s, store::Tx& tx, const std::vector<RecordRef>& records,
             const std::function<void(const Command&)>& on_command);

// The undo, still in effect, that reverted the command with this UUID; none while the command
// is in effect (never undone, or its undo undone in turn).
std::optional<std::int64_t> undone_by(store::Tx& tx, const std::string& command_uuid);

// The command with this id, or none.
std::optional<Command> find(Session& s, store::Tx& tx, std::int64_t id);

// "visit:12" or a UUID; a record that does not exist is a UsageError naming `what`.
RecordRef resolve_record(Session& s, store::Tx& tx, const std::string& text, std::string_view what);

// How a command's record reads to people: "visit #12" (or the UUID's start when the record
// is not in this store).
std::string record_label(const Operation& op);

// A value as `log` shows it: text as it is, numbers, "∅" for none.
std::string display(const store::Value& v);

// JSON object text (as op_log holds it) to fields, in the object's order.
store::Fields parse_fields(const std::string& json);

}  // namespace fieldbook::command_log
