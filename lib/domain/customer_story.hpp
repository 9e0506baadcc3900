#pragma once
// A customer's whole story, read in one go: the company, the people met there, every visit,
// the follow-ups, the orders with their lines and payments, what is still owed and for how long,
// the negotiation brief, who referred it and whom it referred, and (when asked) every logged
// change to it and to its records. What `customer show` prints.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/command_log.hpp"
#include "domain/contacts.hpp"
#include "domain/customers.hpp"
#include "domain/followups.hpp"
#include "domain/money.hpp"
#include "domain/orders.hpp"
#include "domain/session.hpp"
#include "domain/visits.hpp"

namespace fieldbook::customer_story {

struct Payment {
    std::int64_t id = 0;
    std::string day;
    money::Cents amount = 0;
    std::optional<std::string> rep;  // who took it, when recorded
    std::optional<std::string> note;
};

struct Order {
    std::int64_t id = 0;
    std::string day;
    std::string rep;
    money::Cents amount = 0;
    money::Cents paid = 0;
    money::Cents outstanding = 0;  // 0 for a cancelled order: nothing is owed on it
    std::optional<std::string> due_day;
    std::optional<std::string> note;
    std::optional<std::string> cancelled_day;
    std::optional<std::string> cancel_reason;
    std::optional<money::Cents> refunded;
    std::vector<orders::Line> lines;
    std::vector<Payment> payments;
};

// What the customer still owes on its orders that stand (cancelled ones owe nothing), and how
// old the debt is, aged as the receivables report ages each order: whole days from its due day
// (its order day when it has none) to today. The age is the oldest unpaid order's.
struct Balance {
    money::Cents outstanding = 0;
    std::int64_t unpaid_orders = 0;
    std::optional<std::int64_t> age_days;  // none when nothing is owed
    std::optional<std::string> aged_from;  // the day the age counts from
};

// One filled-in field of the negotiation brief.
struct BriefField {
    std::string field;  // the column: concerns, can_concede, ...
    std::string label;  // for people: "What we can concede"
    std::string value;
};

struct Link {
    std::int64_t id = 0;
    std::string name;
};

struct Story {
    customers::Customer customer;
    std::vector<contacts::Contact> contacts;
    std::vector<visits::Visit> visits;           // newest first
    std::int64_t visits_left_out = 0;            // older visits beyond the limit
    std::vector<followups::Followup> followups;  // open first, then done and dropped
    std::vector<Order> orders;                   // newest first
    Balance balance;
    std::vector<BriefField> brief;  // empty when the customer has no brief (or an empty one)
    std::optional<Link> referred_by;
    std::vector<Link> referrals;                // the customers it referred
    std::vector<Link> merged_from;              // customers merged into this one
    std::vector<command_log::Command> history;  // newest first; filled when asked
};

struct Options {
    std::optional<std::int64_t> visit_limit = 20;  // none: every visit
    bool history = false;
};

// Inside a read transaction.
Story tell(Session& s, const customers::Customer& customer, const Options& options);

}  // namespace fieldbook::customer_story
