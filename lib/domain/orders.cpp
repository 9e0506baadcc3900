#include "domain/orders.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "domain/customers.hpp"
#include "domain/permissions.hpp"
#include "errors.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::orders {
namespace {

// Quantities and amounts are bounded so that no total can overflow 64-bit cents.
constexpr std::int64_t kMaxQuantity = 1'000'000;
constexpr money::Cents kMaxAmount = 100'000'000'000;  // a billion yuan

constexpr const char* kSelect = R"sql(
SELECT o.id AS id, o.uuid AS uuid, o.customer_id AS customer_id, c.name AS customer,
       r.handle AS rep, o.day AS day, o.amount_cents AS amount_cents, o.cost_cents AS cost_cents,
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL) AS paid_cents,
       o.due_day AS due_day, o.note AS note, o.cancelled_day AS cancelled_day,
       o.cancel_reason AS cancel_reason, o.refunded_cents AS refunded_cents
FROM orders o
JOIN customer c ON c.id = o.customer_id
JOIN rep r ON r.id = o.rep_id
WHERE o.deleted_at IS NULL)sql";

Order read(const store::Row& row, text::Day today) {
    Order o;
    o.id = row.integer("id");
    o.uuid = row.text("uuid");
    o.customer_id = row.integer("customer_id");
    o.customer = row.text("customer");
    o.rep = row.text("rep");
    o.day = row.text("day");
    o.amount = row.integer("amount_cents");
    o.cost = row.optional_integer("cost_cents");
    o.paid = row.integer("paid_cents");
    o.outstanding = o.amount - o.paid;
    o.due_day = row.optional_text("due_day");
    o.note = row.optional_text("note");
    o.cancelled_day = row.optional_text("cancelled_day");
    o.cancel_reason = row.optional_text("cancel_reason");
    o.refunded = row.optional_integer("refunded_cents");
    // A cancelled order is owed nothing: what was paid on it stays paid (and refunded).
    if (o.cancelled_day) o.outstanding = 0;
    if (o.outstanding > 0 && o.due_day) {
        auto late = (today - text::parse_iso_day(*o.due_day)).count();
        o.days_overdue = late > 0 ? late : 0;
    }
    return o;
}

void load_lines(Session& s, Order& o) {
    s.tx().each(
        "SELECT sku, name, quantity, list_price_cents, unit_price_cents, line_cents "
        "FROM order_line WHERE order_id = ? AND deleted_at IS NULL ORDER BY id",
        {o.id}, [&](const store::Row& row) {
            o.lines.push_back({row.text("sku"), row.text("name"), row.integer("quantity"),
                               row.integer("list_price_cents"), row.integer("unit_price_cents"),
                               row.integer("line_cents")});
        });
}

// Payments recorded before they named their rep are credited to the rep whose command
// recorded them, as the operation log has it.
void load_payments(Session& s, Order& o) {
    s.tx().each(
        R"sql(
SELECT p.id AS id, p.day AS day, p.amount_cents AS amount_cents, p.note AS note,
       COALESCE(r.handle,
                (SELECT cm.actor FROM op_log l JOIN command cm ON cm.id = l.command_id
                 WHERE l.record_table = 'payment' AND l.record_uuid = p.uuid
                   AND l.kind = 'insert'
                 ORDER BY l.id LIMIT 1)) AS who
FROM payment p
LEFT JOIN rep r ON r.id = p.rep_id
WHERE p.order_id = ? AND p.deleted_at IS NULL
ORDER BY p.day, p.id)sql",
        {o.id}, [&](const store::Row& row) {
            o.payments.push_back({row.integer("id"), row.text("day"), row.integer("amount_cents"),
                                  row.optional_text("note"), row.optional_text("who")});
        });
}

void add_payment(Session& s, std::int64_t order_id, std::int64_t rep_id, money::Cents amount,
                 text::Day day, const std::optional<std::string>& note) {
    s.tx().insert("payment", {{"order_id", order_id},
                              {"day", text::format_day(day)},
                              {"amount_cents", amount},
                              {"note", store::value_of(text::clean_text(note, "note"))},
                              {"rep_id", rep_id}});
}

}  // namespace

money::Cents parse_amount(std::string_view typed, std::string_view flag) {
    std::string key = text::match_key(typed);  // full-width digits and ￥ become ASCII
    for (std::string_view sign : {"¥", "rmb", "cny"})
        if (key.rfind(sign, 0) == 0) key.erase(0, sign.size());
    // Commas only as thousands separators: 1,280.50 but not 1,2,8,0 nor ,100 (which is not
    // 100 but most likely a typo of a number whose first digits were lost).
    std::string_view text = key;
    std::size_t point = text.find('.');
    std::string_view whole = text.substr(0, point);
    bool grouped = whole.find(',') != std::string_view::npos;
    bool well_formed = !whole.empty() && whole.front() >= '0' && whole.front() <= '9';
    std::string digits;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        bool comma_place = grouped && (whole.size() - i) % 4 == 0;
        well_formed = well_formed && comma_place == (whole[i] == ',');
        if (whole[i] != ',') digits.push_back(whole[i]);
    }
    if (point != std::string_view::npos) digits.append(text.substr(point));
    if (!well_formed) digits.clear();
    auto cents = money::parse(digits);
    if (!cents || *cents > kMaxAmount)
        throw UsageError(
            fmt::format("{}: '{}' is not an amount in yuan (e.g. 1280 or 1280.50)", flag, typed));
    return *cents;
}

namespace {

// The text split at each of `separators` (a comma and its full-width form, as a Chinese
// keyboard types it), kept as typed.
std::vector<std::string_view> split_any(std::string_view text,
                                        std::initializer_list<std::string_view> separators) {
    std::vector<std::string_view> parts;
    std::size_t start = 0, at = 0;
    while (at < text.size()) {
        std::size_t width = 0;
        for (auto sep : separators)
            if (text.substr(at, sep.size()) == sep) width = sep.size();
        if (width == 0) {
            ++at;
            continue;
        }
        parts.push_back(text.substr(start, at - start));
        at += width;
        start = at;
    }
    parts.push_back(text.substr(start));
    return parts;
}

std::string_view trimmed(std::string_view s) {
    std::size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> parse_items(std::string_view items) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (std::string_view item : split_any(items, {",", "，"})) {
        // The last colon (or full-width ：) parts the SKU from its quantity. Messages quote the
        // SKU as it was typed, so that the person finds it on their own line.
        std::size_t colon = std::string_view::npos, width = 0;
        for (std::string_view sep : {":", "："}) {
            std::size_t at = item.rfind(sep);
            if (at != std::string_view::npos && (colon == std::string_view::npos || at > colon)) {
                colon = at;
                width = sep.size();
            }
        }
        std::string_view sku =
            colon == std::string_view::npos ? item : trimmed(item.substr(0, colon));
        if (colon == std::string_view::npos || sku.empty())
            throw UsageError(fmt::format("--items: '{}' is not SKU:QUANTITY (e.g. PA-A4-70:10)",
                                         text::printable(trimmed(item))));
        std::string_view typed = trimmed(item.substr(colon + width));
        std::string shown = text::printable(sku);
        if (typed.empty())
            throw UsageError(fmt::format(
                "--items: {}: the quantity is missing (SKU:QUANTITY, e.g. PA-A4-70:10)", shown));
        auto quantity = text::parse_whole_number(typed);
        if (!quantity) {
            bool negative =
                typed.front() == '-' && text::parse_whole_number(typed.substr(1)).has_value();
            throw UsageError(negative
                                 ? fmt::format("--items: {}: quantity {} must be 1 or more", shown,
                                               text::printable(typed))
                                 : fmt::format("--items: {}: quantity '{}' is not a whole number",
                                               shown, text::printable(typed)));
        }
        if (*quantity == 0)
            throw UsageError(fmt::format("--items: {}: quantity 0 must be 1 or more", shown));
        if (*quantity > kMaxQuantity)
            throw UsageError(fmt::format("--items: {}: quantity {} is more than {} of one product",
                                         shown, *quantity, kMaxQuantity));
        out.emplace_back(std::string(sku), *quantity);
    }
    return out;
}

std::vector<Line> price(const catalog::Catalog& catalog,
                        const std::vector<std::pair<std::string, std::int64_t>>& items) {
    // The same product named twice is one line: its tier comes from the whole quantity.
    std::vector<std::pair<const catalog::Product*, std::int64_t>> merged;
    for (auto& [sku, quantity] : items) {
        const auto* product = &catalog::find(catalog, sku);
        auto same = std::find_if(merged.begin(), merged.end(),
                                 [&](const auto& m) { return m.first == product; });
        if (same != merged.end())
            same->second += quantity;
        else
            merged.emplace_back(product, quantity);
    }
    std::vector<Line> lines;
    for (auto& [found, quantity] : merged) {
        const auto& product = *found;
        if (quantity > kMaxQuantity)
            throw UsageError(fmt::format("--items: at most {} of {}", kMaxQuantity, product.sku));
        money::Cents unit = catalog::unit_price(product, quantity);
        lines.push_back(
            {product.sku, product.name, quantity, product.price, unit, unit * quantity});
    }
    return lines;
}

Order add(Session& s, const reps::Rep& rep, const NewOrder& input) {
    if (input.lines.empty() == !input.amount)
        throw UsageError("order: give either --items or --amount");
    money::Cents amount = input.amount.value_or(0);
    for (auto& line : input.lines) amount += line.total;
    if (amount <= 0) throw UsageError("--amount: an order must be worth more than 0");
    if (amount > kMaxAmount) throw UsageError("--amount: more than a billion yuan");
    if (input.prepaid < 0 || input.prepaid > amount)
        throw UsageError(fmt::format("--prepaid: {} is more than the order's {}",
                                     money::format(input.prepaid), money::format(amount)));
    if (input.due && *input.due < input.day)
        throw UsageError(fmt::format("--due: {} is before the order ({})",
                                     text::format_day(*input.due), text::format_day(input.day)));
    store::Tx& tx = s.tx();
    std::int64_t order_id =
        tx.insert("orders", {{"customer_id", input.customer_id},
                             {"rep_id", rep.id},
                             {"day", text::format_day(input.day)},
                             {"amount_cents", amount},
                             {"cost_cents", store::value_of(input.cost)},
                             {"due_day", input.due ? store::Value(text::format_day(*input.due))
                                                   : store::Value()},
                             {"note", store::value_of(text::clean_text(input.note, "note"))}})
            .id;
    for (auto& line : input.lines)
        tx.insert("order_line", {{"order_id", order_id},
                                 {"sku", line.sku},
                                 {"name", line.name},
                                 {"quantity", line.quantity},
                                 {"list_price_cents", line.list_price},
                                 {"unit_price_cents", line.unit_price},
                                 {"line_cents", line.total}});
    if (input.prepaid > 0)
        add_payment(s, order_id, rep.id, input.prepaid, input.day, std::string("预付"));
    // The first order makes a prospect a customer, and the rep's if it had no owner yet.
    auto customer =
        tx.one("SELECT status, owner_id FROM customer WHERE id = ? AND deleted_at IS NULL",
               {input.customer_id});
    if (customer && customer->text("status") != "customer") {
        store::Fields changes{{"status", "customer"}};
        if (customer->is_null("owner_id")) changes.emplace_back("owner_id", rep.id);
        tx.update("customer", input.customer_id, changes);
    }
    return *get(s, order_id, input.day);
}

Order pay(Session& s, const reps::Rep& by, std::int64_t order_id, money::Cents amount,
          text::Day day, const std::optional<std::string>& note) {
    Order o = get(s, order_id, day).value();
    permissions::require(s, by,
                         {.action = "order pay",
                          .kind = permissions::Kind::order,
                          .record = fmt::format("order #{}", o.id),
                          .owner = o.rep});
    if (o.cancelled_day)
        throw UsageError(fmt::format("order #{} was cancelled on {}: it takes no payment", o.id,
                                     *o.cancelled_day));
    if (amount <= 0) throw UsageError("--amount: must be more than 0");
    if (text::format_day(day) < o.day)
        throw UsageError(
            fmt::format("--on: {} is before the order ({})", text::format_day(day), o.day));
    if (amount > o.outstanding)
        throw UsageError(fmt::format("--amount: {} is more than the {} outstanding on order #{}",
                                     money::format(amount), money::format(o.outstanding), o.id));
    add_payment(s, order_id, by.id, amount, day, note);
    return *get(s, order_id, day);
}

Order cancel(Session& s, const reps::Rep& by, std::int64_t order_id, const std::string& reason,
             text::Day day, bool refund) {
    Order o = get(s, order_id, day).value();
    permissions::require(s, by,
                         {.action = "order cancel",
                          .kind = permissions::Kind::order,
                          .record = fmt::format("order #{}", o.id),
                          .owner = o.rep});
    if (o.cancelled_day)
        throw UsageError(
            fmt::format("order #{} was already cancelled on {}", o.id, *o.cancelled_day));
    std::string why = text::clean_input(reason, "--reason");
    if (why.find_first_not_of(" \t\r\n") == std::string::npos)
        throw UsageError("--reason: missing (why the order is cancelled)");
    // Money taken on an order that no longer stands is owed back; cancelling without saying it
    // was returned would lose it from every balance.
    if (o.paid > 0 && !refund)
        throw UsageError(
            fmt::format("order #{} has {} paid on it: give the money back and cancel with "
                        "--refund (the payments stay as history)",
                        o.id, money::format(o.paid)));
    store::Fields changes{{"cancelled_day", text::format_day(day)}, {"cancel_reason", why}};
    if (refund) changes.emplace_back("refunded_cents", o.paid);
    s.tx().update("orders", o.id, changes);
    return *get(s, order_id, day);
}

std::optional<Order> get(Session& s, std::int64_t id, text::Day today) {
    auto row = s.tx().one(std::string(kSelect) + " AND o.id = ?", {id});
    if (!row) return std::nullopt;
    Order o = read(*row, today);
    load_lines(s, o);
    load_payments(s, o);
    return o;
}

Order require(Session& s, std::string_view id, text::Day today) {
    auto key = text::parse_id(id);
    if (!key) throw UsageError(fmt::format("id: '{}' is not an order id (see `order list`)", id));
    if (auto o = get(s, *key, today)) return *o;
    throw NotFound(fmt::format("no order with id {}", *key), "see `fieldbook order list`");
}

void list(Session& s, const Filter& filter, const std::function<void(const Order&)>& each) {
    std::string sql = kSelect;
    if (filter.customer_id) sql += " AND o.customer_id = ?";
    if (filter.rep_id) sql += " AND o.rep_id = ?";
    if (filter.since) sql += " AND o.day >= ?";
    if (filter.until) sql += " AND o.day <= ?";
    sql += " ORDER BY o.day DESC, o.id DESC";
    store::Values params;
    if (filter.customer_id) params.emplace_back(*filter.customer_id);
    if (filter.rep_id) params.emplace_back(*filter.rep_id);
    if (filter.since) params.emplace_back(text::format_day(*filter.since));
    if (filter.until) params.emplace_back(text::format_day(*filter.until));
    s.tx().each(sql, params, [&](const store::Row& row) {
        Order o = read(row, filter.today);
        if (filter.open_only && o.outstanding == 0) return;
        each(o);
    });
}

}  // namespace fieldbook::orders
