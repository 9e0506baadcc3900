#pragma once
// People met at a customer: the gatekeeper at reception, the purchaser, the inside contact.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::contacts {

struct Contact {
    std::int64_t id = 0;
    std::string uuid;
    std::int64_t customer_id = 0;
    std::string customer;
    std::string name;
    std::optional<std::string> title;
    std::string role;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    bool card = false;
};

struct ContactInput {
    std::string name;
    std::optional<std::string> title;
    std::optional<std::string> role;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    std::optional<bool> card;
};

// Inside a write transaction: the customer's contact of that name, created when new; details
// given for a known contact update it (a card once obtained stays obtained).
// A contact may have no name (empty) when it has a phone or an email: a reception desk's number.
// It is then the customer's unnamed contact with that phone or email, or a new one.
Contact upsert(Session& s, std::int64_t customer_id, const ContactInput& input);
// The same, done by `by`: a customer's contacts are its owner's, a manager's or a leader's to
// change, and anyone's while nobody owns the customer (see permissions.hpp).
Contact upsert(Session& s, const reps::Rep& by, std::int64_t customer_id,
               const ContactInput& input);
std::vector<Contact> for_customer(Session& s, std::int64_t customer_id);

}  // namespace fieldbook::contacts
