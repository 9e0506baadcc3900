#pragma once
// Deals won: orders (priced from the catalog with its bulk tiers, or by amount), payments, and
// the balance still to collect.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/catalog.hpp"
#include "domain/money.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::orders {

struct Line {
    std::string sku;
    std::string name;
    std::int64_t quantity = 0;
    money::Cents list_price = 0;
    money::Cents unit_price = 0;
    money::Cents total = 0;
};

// Money received on an order, and who took it.
struct Payment {
    std::int64_t id = 0;
    std::string day;
    money::Cents amount = 0;
    std::optional<std::string> note;
    // The handle of the rep who took it; for a payment recorded before payments named their rep,
    // the rep whose command recorded it (from the operation log), else none.
    std::optional<std::string> who;
};

struct Order {
    std::int64_t id = 0;
    std::string uuid;
    std::int64_t customer_id = 0;
    std::string customer;
    std::string rep;
    std::string day;
    money::Cents amount = 0;
    std::optional<money::Cents> cost;
    money::Cents paid = 0;
    money::Cents outstanding = 0;  // 0 once cancelled: a cancelled order is owed nothing
    std::optional<std::string> due_day;
    std::int64_t days_overdue = 0;  // against today; 0 when paid or not yet due
    std::optional<std::string> note;
    std::optional<std::string> cancelled_day;  // none while the order stands
    std::optional<std::string> cancel_reason;
    std::optional<money::Cents> refunded;  // what was paid back when it was cancelled
    std::vector<Line> lines;
    std::vector<Payment> payments;  // oldest first (get() only; list() leaves it empty)
};

// "A4-70:10,PR-HP-CF228A:2" -> the SKUs and quantities; UsageError naming the bad item.
std::vector<std::pair<std::string, std::int64_t>> parse_items(std::string_view items);

// Lines priced at each product's tier for its quantity.
std::vector<Line> price(const catalog::Catalog& catalog,
                        const std::vector<std::pair<std::string, std::int64_t>>& items);

struct NewOrder {
    std::int64_t customer_id = 0;
    text::Day day;
    std::vector<Line> lines;             // priced; or
    std::optional<money::Cents> amount;  // an amount without lines
    std::optional<money::Cents> cost;
    money::Cents prepaid = 0;
    std::optional<text::Day> due;
    std::optional<std::string> note;
    // The after-sales check is planned this many days after the order (config
    // after_sales_days); 0 plans none. See workflows::place_order.
    std::int64_t after_sales_days = 0;
};

// Inside a write transaction: the order, its lines, the prepayment and the customer becoming a
// customer. Its collection follow-up is workflows::place_order's.
Order add(Session& s, const reps::Rep& rep, const NewOrder& input);

// Inside a write transaction, recorded by `by`: the order's rep, a manager or a leader (see
// permissions.hpp), who is named as having taken the payment. Paying more than is outstanding,
// or paying a cancelled order, is refused. Returns the order as paid; what
// the payment does to the collection follow-ups is workflows::take_payment's.
Order pay(Session& s, const reps::Rep& by, std::int64_t order_id, money::Cents amount,
          text::Day day, const std::optional<std::string>& note);

// Inside a write transaction, by `by` (the order's rep, a manager or a leader): the order is
// cancelled on `day` for `reason`. While money is paid on it the cancellation is refused unless
// `refund` (the money was given back): then the paid amount is recorded as refunded, and the
// payments stay as history. Returns the order as cancelled; what it does to the order's
// follow-ups is workflows::cancel_order's.
Order cancel(Session& s, const reps::Rep& by, std::int64_t order_id, const std::string& reason,
             text::Day day, bool refund);

// The order with its lines and its payments.
std::optional<Order> get(Session& s, std::int64_t id, text::Day today);
Order require(Session& s, std::string_view id, text::Day today);

struct Filter {
    bool open_only = false;
    std::optional<std::int64_t> customer_id;
    std::optional<std::int64_t> rep_id;
    std::optional<text::Day> since, until;
    text::Day today;
};
void list(Session& s, const Filter& filter, const std::function<void(const Order&)>& each);

// "128", "128.5", "1,280.00", "¥128" as typed; UsageError naming the flag otherwise.
money::Cents parse_amount(std::string_view typed, std::string_view flag);

}  // namespace fieldbook::orders
