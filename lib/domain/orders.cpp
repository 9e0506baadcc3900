#include "domain/orders.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/customers.hpp"
#include "domain/permissions.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::orders {
namespace {

// Quantities and amounts are bounded so that no total can overflow 64-bit cents.
constexpr std::int64_t kMaxQuantity = 1'000'000;
constexpr money::Cents kMaxAmount = 100'000'000'000;  // a billion yuan

constexpr const char* kSelect = R"sql(
SELECT o.id, o.uuid, o.customer_id, c.name, r.handle, o.day, o.amount_cents, o.cost_cents,
       (SELECT COALESCE(SUM(p.amount_cents), 0) FROM payment p
        WHERE p.order_id = o.id AND p.deleted_at IS NULL),
       o.due_day, o.note
FROM orders o
JOIN customer c ON c.id = o.customer_id
JOIN rep r ON r.id = o.rep_id
WHERE o.deleted_at IS NULL)sql";

Order read(SQLite::Statement& row, text::Day today) {
    Order o;
    o.id = row.getColumn(0).getInt64();
    o.uuid = row.getColumn(1).getString();
    o.customer_id = row.getColumn(2).getInt64();
    o.customer = row.getColumn(3).getString();
    o.rep = row.getColumn(4).getString();
    o.day = row.getColumn(5).getString();
    o.amount = row.getColumn(6).getInt64();
    o.cost = store::optional_int(row, 7);
    o.paid = row.getColumn(8).getInt64();
    o.outstanding = o.amount - o.paid;
    o.due_day = store::optional_text(row, 9);
    o.note = store::optional_text(row, 10);
    if (o.outstanding > 0 && o.due_day) {
        auto late = (today - text::parse_iso_day(*o.due_day)).count();
        o.days_overdue = late > 0 ? late : 0;
    }
    return o;
}

void load_lines(Session& s, Order& o) {
    auto q = s.prepare(
        "SELECT sku, name, quantity, list_price_cents, unit_price_cents, line_cents "
        "FROM order_line WHERE order_id = ? AND deleted_at IS NULL ORDER BY id");
    q->bind(1, o.id);
    while (q->executeStep())
        o.lines.push_back({q->getColumn(0).getString(), q->getColumn(1).getString(),
                           q->getColumn(2).getInt64(), q->getColumn(3).getInt64(),
                           q->getColumn(4).getInt64(), q->getColumn(5).getInt64()});
}

void add_payment(Session& s, std::int64_t order_id, money::Cents amount, text::Day day,
                 const std::optional<std::string>& note) {
    auto q = s.prepare(R"sql(
INSERT INTO payment (uuid, order_id, day, amount_cents, note, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, order_id);
    q->bind(3, text::format_day(day));
    q->bind(4, amount);
    store::bind_optional(*q, 5, text::clean_text(note, "note"));
    q->bind(6, now);
    q->bind(7, now);
    q->exec();
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
    std::string now = s.now_utc();
    auto q = s.prepare(R"sql(
INSERT INTO orders (uuid, customer_id, rep_id, day, amount_cents, cost_cents, due_day, note,
                    created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    q->bind(1, s.uuids.next());
    q->bind(2, input.customer_id);
    q->bind(3, rep.id);
    q->bind(4, text::format_day(input.day));
    q->bind(5, amount);
    store::bind_optional(*q, 6, input.cost);
    store::bind_optional(*q, 7,
                         input.due ? std::optional(text::format_day(*input.due)) : std::nullopt);
    store::bind_optional(*q, 8, text::clean_text(input.note, "note"));
    q->bind(9, now);
    q->bind(10, now);
    q->exec();
    std::int64_t order_id = s.db().getLastInsertRowid();
    for (auto& line : input.lines) {
        auto l = s.prepare(R"sql(
INSERT INTO order_line (uuid, order_id, sku, name, quantity, list_price_cents, unit_price_cents,
                        line_cents, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
        l->bind(1, s.uuids.next());
        l->bind(2, order_id);
        l->bind(3, line.sku);
        l->bind(4, line.name);
        l->bind(5, line.quantity);
        l->bind(6, line.list_price);
        l->bind(7, line.unit_price);
        l->bind(8, line.total);
        l->bind(9, now);
        l->bind(10, now);
        l->exec();
    }
    if (input.prepaid > 0) add_payment(s, order_id, input.prepaid, input.day, std::string("预付"));
    // The first order makes a prospect a customer.
    auto status = s.prepare(
        "UPDATE customer SET status = 'customer', owner_id = COALESCE(owner_id, ?), updated_at = ? "
        "WHERE id = ? AND status <> 'customer'");
    status->bind(1, rep.id);
    status->bind(2, now);
    status->bind(3, input.customer_id);
    status->exec();
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
    auto q = s.prepare(std::string(kSelect) + " AND o.id = ?");
    q->bind(1, id);
    if (!q->executeStep()) return std::nullopt;
    Order o = read(*q, today);
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
    auto q = s.prepare(sql);
    int index = 0;
    if (filter.customer_id) q->bind(++index, *filter.customer_id);
    if (filter.rep_id) q->bind(++index, *filter.rep_id);
    if (filter.since) q->bind(++index, text::format_day(*filter.since));
    if (filter.until) q->bind(++index, text::format_day(*filter.until));
    while (q->executeStep()) {
        Order o = read(*q, filter.today);
        if (filter.open_only && o.outstanding == 0) continue;
        each(o);
    }
}

}  // namespace fieldbook::orders
