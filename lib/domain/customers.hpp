#pragma once
// Companies: prospects on their way to becoming customers.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::customers {

struct Customer {
    std::int64_t id = 0;
    std::string uuid;
    std::string name;
    std::optional<std::string> building;
    std::optional<std::string> floor;
    std::optional<std::string> room;
    std::optional<std::string> industry;
    std::optional<std::int64_t> headcount;
    std::optional<std::string> office_size;
    std::optional<std::string> brands;
    std::optional<std::string> usage;
    std::string source;
    std::optional<std::string> referred_by;
    std::optional<std::string> owner;  // rep handle
    std::string status;
    bool no_solicitation = false;
    std::optional<std::string> notes;
    std::int64_t visits = 0;
    std::optional<std::string> last_visit_day;
    std::optional<std::string> best_outcome;
    std::string created_at;
};

// Everything optional is left as it is on edit when absent.
struct CustomerFields {
    std::optional<std::string> name;
    std::optional<std::string> building;
    std::optional<std::string> floor;
    std::optional<std::string> room;
    std::optional<std::string> industry;
    std::optional<std::int64_t> headcount;
    std::optional<std::string> office_size;
    std::optional<std::string> brands;
    std::optional<std::string> usage;
    std::optional<std::string> source;
    std::optional<std::string> referred_by;  // a customer name or id
    std::optional<std::string> owner;        // a rep handle
    std::optional<std::string> status;
    std::optional<bool> no_solicitation;
    std::optional<std::string> notes;
};

// A staff count as customers and visits record it: 0 to 1,000,000 (more is a typo); UsageError
// naming headcount otherwise.
void check_headcount(const std::optional<std::int64_t>& headcount);

// Why a new name looks like an existing customer.
struct Duplicate {
    Customer existing;
    std::string reason;
};

// Likely duplicates of a customer about to be created: another customer in the same room,
// or a name that differs only trivially (spacing, punctuation, width, case, company form, or
// one character in a long name).
std::vector<Duplicate> likely_duplicates(Session& s, std::string_view name,
                                         const std::optional<std::string>& building,
                                         const std::optional<std::string>& floor,
                                         const std::optional<std::string>& room);
// The two halves of likely_duplicates, for callers that check many names against the same
// customers (import): the customers in the given room (none without building and room), and
// why a name looks like another, both as text::loose_key gives them ("" when it does not).
std::vector<Duplicate> same_room(Session& s, std::string_view name,
                                 const std::optional<std::string>& building,
                                 const std::optional<std::string>& floor,
                                 const std::optional<std::string>& room);
std::string lookalike_reason(std::string_view loose, std::string_view other_loose);

// Inside a write transaction. A likely duplicate is refused unless allow_duplicate.
Customer add(Session& s, const CustomerFields& fields, bool allow_duplicate);
Customer edit(Session& s, std::int64_t id, const CustomerFields& changes);
// The same, done by `by` (see permissions.hpp): a customer is its owner's, a manager's or a
// leader's to change, and anyone's while nobody owns it; giving it to a rep (--owner) is that
// rep's, a manager's or a leader's doing.
Customer add(Session& s, const reps::Rep& by, const CustomerFields& fields, bool allow_duplicate);
Customer edit(Session& s, const reps::Rep& by, std::int64_t id, const CustomerFields& changes);
// Before a change to the customer or its contacts: throws UsageError unless `by` may.
void require_may_change(Session& s, const reps::Rep& by, std::string_view action,
                        const Customer& customer);

// Exact match of the name after NFKC + case-fold.
std::optional<Customer> find_by_name(Session& s, std::string_view name);
std::optional<Customer> get(Session& s, std::int64_t id);
// What a user types to name a customer: its id, its exact name, or a fragment of the name
// that only one customer has. Throws NotFound, or UsageError listing the candidates.
// A customer merged into another (`customer merge`) is still found by its old id or its exact
// old name: resolve gives the customer it went into.
Customer resolve(Session& s, std::string_view reference);
// The live customer a merged one went into (following a merge of the survivor in turn), named
// by the merged one's id or exact name; none when the reference names no merged customer.
std::optional<Customer> follow_merge(Session& s, std::string_view reference);

struct Filter {
    std::optional<std::string> building;
    std::optional<std::string> industry;
    std::optional<std::string> status;
    std::optional<std::string> owner;
    std::optional<std::string> name_contains;
};
void list(Session& s, const Filter& filter, const std::function<void(const Customer&)>& each);

}  // namespace fieldbook::customers
