#include "domain/orders.hpp"

#include <fmt/format.h>

#include <algorithm>

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
       o.due_day AS due_day, o.note AS note
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

void add_payment(Session& s, std::int64_t order_id, money::Cents amount, text::Day day,
                 const std::optional<std::string>& note) {
    s.tx().insert("payment", {{"order_id", order_id},
                              {"day", text::format_day(day)},
                              {"amount_cents", amount},
                              {"note", store::value_of(text::clean_text(note, "note"))}});
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

std::vector<std::pair<std::string, std::int64_t>> parse_items(std::string_view items) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    std::string all = text::match_key(items);
    std::size_t start = 0;
    while (start <= all.size()) {
        std::size_t end = all.find(',', start);
        std::string item =
            all.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::size_t colon = item.rfind(':');
        auto quantity =
            colon == std::string::npos ? std::nullopt : text::parse_id(item.substr(colon + 1));
        if (colon == std::string::npos || colon == 0 || !quantity)
            throw UsageError(
                fmt::format("--items: '{}' is not SKU:QUANTITY (e.g. PA-A4-70:10)", item));
        if (*quantity > kMaxQuantity)
            throw UsageError(
                fmt::format("--items: '{}': at most {} of one product", item, kMaxQuantity));
        out.emplace_back(item.substr(0, colon), *quantity);
        if (end == std::string::npos) break;
        start = end + 1;
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
    if (input.prepaid > 0) add_payment(s, order_id, input.prepaid, input.day, std::string("预付"));
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
    if (amount <= 0) throw UsageError("--amount: must be more than 0");
    if (text::format_day(day) < o.day)
        throw UsageError(
            fmt::format("--on: {} is before the order ({})", text::format_day(day), o.day));
    if (amount > o.outstanding)
        throw UsageError(fmt::format("--amount: {} is more than the {} outstanding on order #{}",
                                     money::format(amount), money::format(o.outstanding), o.id));
    add_payment(s, order_id, amount, day, note);
    return *get(s, order_id, day);
}

std::optional<Order> get(Session& s, std::int64_t id, text::Day today) {
    auto row = s.tx().one(std::string(kSelect) + " AND o.id = ?", {id});
    if (!row) return std::nullopt;
    Order o = read(*row, today);
    load_lines(s, o);
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
