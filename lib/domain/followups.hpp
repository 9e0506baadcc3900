#pragma once
// Next steps owed to a prospect: a call, an email or a revisit on a due day.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "domain/money.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::followups {

struct FollowupInput {
    std::int64_t customer_id = 0;
    std::int64_t rep_id = 0;
    text::Day due;
    std::string channel = "phone";
    std::string reason = "progress";
    std::optional<std::int64_t> origin_visit_id;
    std::optional<std::string> note;
    std::optional<std::int64_t> order_id;  // the order whose balance a collection chases
};

struct Followup {
    std::int64_t id = 0;
    std::string uuid;
    std::int64_t customer_id = 0;
    std::string customer;
    std::string rep;  // handle
    std::string due_day;
    std::int64_t days_overdue = 0;  // against the day asked about; 0 when not yet due
    std::string channel;
    std::string reason;
    std::string state;
    std::optional<std::string> note;
    std::optional<std::string> result;
    std::optional<std::string> contact;  // the inside contact (else the purchaser), if known
    std::optional<std::string> contact_role;
    std::optional<std::string> contact_phone;
    std::optional<std::string> contact_email;
    std::optional<std::string> last_outcome;
    std::optional<std::string> last_visit_day;
    std::optional<std::int64_t> closed_visit_id;
};

// What a collection follow-up's order still owes.
struct Owed {
    std::int64_t order_id = 0;
    money::Cents balance = 0;
};
// None unless the follow-up is a collection whose order has a balance left.
std::optional<Owed> outstanding_order(Session& s, std::int64_t followup_id);
// "收款：订单 #12 余额 380.00": the note a collection follow-up carries.
std::string collection_note(const Owed& owed);

// Inside a write transaction; returns the new follow-up's id.
std::int64_t add(Session& s, const FollowupInput& input);
// The same, planned by `by`: a follow-up for another rep is theirs to plan, or a manager's or a
// leader's (see permissions.hpp).
std::int64_t add(Session& s, const reps::Rep& by, const FollowupInput& input);

struct Filter {
    std::optional<std::int64_t> rep_id;  // none: everyone's
    std::optional<std::int64_t> customer_id;
    std::optional<std::string> state;  // open, done, dropped; none: all
    std::optional<text::Day> due_by;   // due on or before this day
    text::Day today;                   // for days_overdue
};
// Most overdue first, then by due day.
void list(Session& s, const Filter& filter, const std::function<void(const Followup&)>& each);

std::optional<Followup> get(Session& s, std::int64_t id, text::Day today);
// A follow-up id as typed; NotFound when there is none.
Followup require(Session& s, std::string_view id, text::Day today);

// Completing and dropping are the follow-up's rep's, a manager's or a leader's.
// Before a follow-up is completed (workflows::complete_followup): `actor` may complete it, it is
// still open, and a collection whose order still owes money is not ended without a next
// reminder (the balance would be forgotten). Returns what its order still owes, if anything.
std::optional<Owed> check_completion(Session& s, const reps::Rep& actor, const Followup& followup,
                                     bool next_given);
// Inside a write transaction: the follow-up is done, with its result and the visit that did it.
void close(Session& s, std::int64_t followup_id, const std::optional<std::string>& result,
           std::int64_t visit_id);
// Inside a write transaction: the follow-up is no longer wanted. Giving up a collection whose
// order still owes money takes a stated reason.
void drop(Session& s, const reps::Rep& by, const Followup& followup,
          const std::optional<std::string>& why);

// Drops the open follow-ups a visit scheduled (the visit was deleted as a mistake).
void drop_from_visit(Session& s, std::int64_t visit_id);
// Opens again the follow-ups a visit closed (the visit was deleted: they are owed again).
void reopen_closed_by(Session& s, std::int64_t visit_id);

// After a payment on an order: with nothing left owed (`balance` 0), its open collection
// follow-ups are done, paid on `paid_on`; otherwise they name the balance now owed.
void settle_collection(Session& s, std::int64_t order_id, money::Cents balance, text::Day paid_on);

// Inside a write transaction: the order's open follow-ups (its collection and its after-sales
// check) are dropped with `why` as their result, as the order was cancelled. Returns how many.
std::int64_t drop_for_order(Session& s, std::int64_t order_id, const std::string& why);

// "售后回访：订单 #12 确认到货与使用情况": the note of an order's after-sales check (did the
// goods arrive, and how are they used).
std::string after_sales_note(std::int64_t order_id);

}  // namespace fieldbook::followups
