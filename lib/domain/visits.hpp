#pragma once
// Visits: one door knocked on (or one call or email), who was met and how it went.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/customers.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::visits {

struct Visit {
    std::int64_t id = 0;
    std::string uuid;
    std::string rep;  // handle
    std::int64_t customer_id = 0;
    std::string customer;
    std::optional<std::string> building;
    std::optional<std::string> floor;
    std::optional<std::string> room;
    std::optional<std::string> contact;
    std::optional<std::string> contact_role;
    std::optional<std::string> contact_phone;
    std::optional<std::string> contact_email;
    bool card = false;
    std::string kind;
    std::string at_utc;
    std::string day;
    std::string outcome;
    std::optional<std::int64_t> headcount;
    std::optional<std::string> office_size;
    std::optional<std::string> brands;
    std::optional<std::string> usage;
    std::optional<std::string> note;
    std::optional<std::string> went_well;
    std::optional<std::string> improve;
    std::optional<std::string> tool_feedback;
    std::optional<std::string> script;
    std::optional<std::string> next_due;  // the open follow-up this visit scheduled
    std::optional<std::string> next_channel;
    std::string created_at;
    std::string updated_at;
};

// What a visit records; on edit, absent fields stay as they are.
struct VisitFields {
    std::optional<std::string> contact;
    std::optional<std::string> contact_role;
    std::optional<std::string> contact_title;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    std::optional<bool> card;
    std::optional<std::string> outcome;
    std::optional<std::string> kind;
    std::optional<std::int64_t> headcount;
    std::optional<std::string> office_size;
    std::optional<std::string> brands;
    std::optional<std::string> usage;
    std::optional<std::string> note;
    std::optional<std::string> went_well;
    std::optional<std::string> improve;
    std::optional<std::string> tool_feedback;
    std::optional<std::string> script;
    std::optional<Instant> at;
};

struct NewVisit {
    std::string customer;  // a name or an id; an unknown name is created on the spot
    std::optional<std::int64_t> customer_id;  // a known customer, when the caller has it
    // The customer as the caller has just read it in this transaction (an import, which looks
    // each row's customer up anyway), so that it is not read twice.
    std::optional<customers::Customer> customer_as_read;
    std::optional<std::string> building;
    std::optional<std::string> floor;
    std::optional<std::string> room;
    std::optional<std::string> industry;
    bool allow_duplicate = false;  // create the customer although it looks like another one
    VisitFields fields;
};

struct Written {
    std::int64_t id = 0;
    std::int64_t customer_id = 0;
    std::string day;  // the visit's local day, YYYY-MM-DD
    bool customer_created = false;
};

struct Added {
    Visit visit;
    bool customer_created = false;
};

// Inside a write transaction: the customer (found or created), its contact, the visit and the
// search index. The follow-up a visit schedules is workflows::log_visit's. `write` does not
// read the visit back (an import has no use for 100k of them); `add` does.
Written write(Session& s, const reps::Rep& rep, const NewVisit& input);
Added add(Session& s, const reps::Rep& rep, const NewVisit& input);
// `by` must be the visit's rep, a manager or a leader (see permissions.hpp).
Visit edit(Session& s, const reps::Rep& by, std::int64_t id, const VisitFields& changes);
// Moves the visit to another customer (it was logged against the wrong one), by `by` as edit:
// the contact met goes with it (the new customer's contact of that name, created from what the
// visit knew when it has none), and each customer's status follows the visits it has now. What
// it does to follow-ups is workflows::move_visit's.
Visit move(Session& s, const reps::Rep& by, std::int64_t id, std::int64_t customer_id);
// Hides the visit (a tombstone: nothing is erased); the customer's status follows the visits
// left. What it does to follow-ups is workflows::delete_visit's.
void remove(Session& s, const reps::Rep& by, std::int64_t id);

std::optional<Visit> get(Session& s, std::int64_t id);
// A visit id as typed by a user; NotFound when there is no such (live) visit.
Visit require(Session& s, std::string_view id);

struct Filter {
    std::optional<std::string> rep;  // handle
    std::optional<std::int64_t> customer_id;
    std::optional<std::string> building;
    std::optional<text::Day> since;
    std::optional<text::Day> until;
    std::optional<std::string> outcome;
    std::optional<std::string> search;  // a substring of notes, customer or contact names
    std::optional<std::int64_t> limit;
};

// The query behind list(), exposed so tests can check its plan uses the indexes.
struct Query {
    std::string sql;
    std::vector<std::variant<std::string, std::int64_t>> values;
};
Query list_query(Session& s, const Filter& filter);

// Newest first; rows are handed over one at a time as they are read.
void list(Session& s, const Filter& filter, const std::function<void(const Visit&)>& each);

}  // namespace fieldbook::visits
