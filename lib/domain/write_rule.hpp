#pragma once
// Who may change what, applied to every record call of the write path (store::Tx::Guard):
// each call is read as the permissions::Change it makes (a visit of its rep, a customer of its
// owner, a quota, a meeting's closing...) and judged by permissions::may_change. Every update
// and tombstone of an owned record is judged, and every act of a role; a new record credited
// to a rep is left to the command that creates it (an import credits the reps its file names).
// Commands still ask first, to name the refusal in their own words; this guard is what makes the
// rule hold for every write, an undo or an import included.
#include <optional>

#include "domain/rep.hpp"
#include "domain/session.hpp"
#include "store/tx.hpp"

namespace fieldbook::write_rule {

// The guard for writes by `actor` (none while the team has no rep). Refusals are UsageErrors
// (exit 2), and the transaction writes nothing.
store::Tx::Guard for_actor(std::optional<reps::Rep> actor);

}  // namespace fieldbook::write_rule
