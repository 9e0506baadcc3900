#pragma once
// Who may change what: one rule for every write.
//
// A rep changes their own records: the visits, follow-ups and orders (with their payments) they
// logged, the customers they own with those customers' contacts, their own meeting notes, the
// tasks given to them and their own name, phone and email. A record nobody owns yet (a customer
// from a lead list) may be changed by anyone on the team. A manager or a leader changes
// everyone's records, and alone shapes the team itself: who is on it and in which role, the
// tasks given and the quotas set. A few acts belong to one role, as the end-of-day meeting has
// them: the manager writes the notes on conduct and the manager's meeting notes, marks a
// sharing day and closes the meeting; the leader approves its summary.
//
// A team with no manager or leader yet is set up by its first rep (the one `init --me`
// registered in the new store): they add teammates and give roles until a manager or a leader is on
// the team. The very first rep of an empty store needs nobody's leave.
#include <optional>
#include <string>
#include <string_view>

#include "domain/rep.hpp"
#include "domain/session.hpp"

namespace fieldbook::permissions {

// What a write changes.
enum class Kind {
    // Records with an owner: the owner, a manager or a leader.
    visit,
    followup,
    order,         // with its payments
    customer,      // with its contacts
    rep_details,   // a rep's own name, phone and email
    task,          // marking a task given to a rep done
    meeting_note,  // a rep's notes of a day's meeting
    // The team itself: a manager or a leader.
    team,  // who is on it, in which role, active or not
    task_assignment,
    plan,
    // Acts of the manager.
    conduct_note,
    manager_note,
    meeting_kind,
    meeting_close,
    // The leader's act.
    meeting_approval,
};

// One write, as the refusal names it.
struct Change {
    std::string_view action;  // the command, e.g. "visit edit"
    Kind kind;
    std::string record;  // owned kinds: "visit #12"; others: the deed, "add teammates"
    std::optional<std::string> owner;  // owned kinds: the owner's handle; none: nobody's yet
};

// What the rule needs to know about the team beyond the acting rep (for Kind::team only).
struct Team {
    bool empty = false;  // no rep registered yet
    // While no active manager or leader is on the team: its first rep, who sets it up.
    std::optional<std::string> founder;
};

struct Verdict {
    bool allowed = false;
    std::string reason;  // when refused: the action, the record, its owner and who may
};

// The rule itself. `actor` is none only while the team is empty.
Verdict may_change(const std::optional<reps::Rep>& actor, const Change& change,
                   const Team& team = {});

// Inside the write transaction, before anything is written: the actor's current role and the
// team as the store holds them now; throws UsageError (exit 2) with the reason when refused.
void require(Session& s, const std::optional<reps::Rep>& actor, const Change& change);
// The same inside the transaction of `tx` (the write path's guard).
void require(store::Tx& tx, const std::optional<reps::Rep>& actor, const Change& change);

}  // namespace fieldbook::permissions
