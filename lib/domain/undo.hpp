#pragma once
// Undo: a new command whose operations invert another's, read from the operation log. An
// insert is undone by a tombstone, a tombstone by clearing deleted_at, an update by writing
// the old values back; the log keeps both commands, so undoing an undo redoes. Nothing is ever
// erased: a record an undo removes is tombstoned like a deleted one, and sync sees it so.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/command_log.hpp"
#include "domain/rep.hpp"
#include "domain/session.hpp"
#include "store/tx.hpp"

namespace fieldbook::undo {

// One inverse record call.
struct Step {
    command_log::Operation op;  // what it inverts
    std::string action;         // "tombstone", "restore" or "update"
    store::Fields changes;      // update and restore: the values written back
};

struct Plan {
    command_log::Command target;
    std::vector<Step> steps;  // in the order they run: the command's operations, last first
};

// Inside a transaction: what undoing would do. Without `command_id`, the acting rep's latest
// command not yet undone. Refused (UsageError, naming the command and the record) when the
// command is another rep's and the actor is no manager or leader, when it was undone already,
// when a later command changed one of its records, or when one of its records lies on a day
// whose meeting is closed.
Plan plan(Session& s, store::Tx& tx, const reps::Rep& actor,
          std::optional<std::int64_t> command_id);

// Runs the plan's steps through the Tx. The Tx must log under an Author whose `undoes` is the
// target's UUID (Session::author), so that the log knows which command this one reverts.
// Refused (UsageError; the caller's transaction then rolls back) when a record it removes is
// still referred to by a live one (a customer added by the command, visited since).
void apply(Session& s, store::Tx& tx, const Plan& plan);

}  // namespace fieldbook::undo
