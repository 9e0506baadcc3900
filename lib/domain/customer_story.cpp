#include "domain/customer_story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "domain/reports/scope.hpp"
#include "store/tx.hpp"

namespace fieldbook::customer_story {
namespace {

struct BriefColumn {
    const char* field;
    const char* label;
};

// The brief's fields in the order a negotiator reads them: what the customer worries about,
// where we can give and where we cannot, then our side, the plan and who goes.
constexpr std::array<BriefColumn, 9> kBriefColumns{{
    {"concerns", "Customer's concerns"},
    {"can_concede", "What we can concede"},
    {"cannot_concede", "What we cannot concede"},
    {"strengths", "Our strengths"},
    {"weaknesses", "Our weaknesses"},
    {"guidance", "Guidance"},
    {"resources", "Resources needed"},
    {"team", "Negotiation team"},
    {"unmet_needs", "Needs we cannot meet yet"},
}};

std::vector<Order> read_orders(Session& s, std::int64_t customer_id) {
    store::Tx& tx = s.tx();
    std::vector<Order> out;
    // orders_by_customer (customer_id, day).
    tx.each(R"sql(
SELECT o.id, o.day, r.handle AS rep, o.amount_cents, o.due_day, o.note, o.cancelled_day,
       o.cancel_reason, o.refunded_cents
FROM orders o
JOIN rep r ON r.id = o.rep_id
WHERE o.customer_id = ? AND o.deleted_at IS NULL
ORDER BY o.day DESC, o.id DESC)sql",
            {customer_id}, [&](const store::Row& row) {
                Order o;
                o.id = row.integer("id");
                o.day = row.text("day");
                o.rep = row.text("rep");
                o.amount = row.integer("amount_cents");
                o.due_day = row.optional_text("due_day");
                o.note = row.optional_text("note");
                o.cancelled_day = row.optional_text("cancelled_day");
                o.cancel_reason = row.optional_text("cancel_reason");
                o.refunded = row.optional_integer("refunded_cents");
                out.push_back(std::move(o));
            });
    for (auto& o : out) {
        tx.each(
            "SELECT sku, name, quantity, list_price_cents, unit_price_cents, line_cents "
            "FROM order_line WHERE order_id = ? AND deleted_at IS NULL ORDER BY id",
            {o.id}, [&](const store::Row& row) {
                o.lines.push_back({row.text("sku"), row.text("name"), row.integer("quantity"),
                                   row.integer("list_price_cents"), row.integer("unit_price_cents"),
                                   row.integer("line_cents")});
            });
        tx.each(
            "SELECT p.id, p.day, p.amount_cents, r.handle AS rep, p.note FROM payment p "
            "LEFT JOIN rep r ON r.id = p.rep_id "
            "WHERE p.order_id = ? AND p.deleted_at IS NULL ORDER BY p.day, p.id",
            {o.id}, [&](const store::Row& row) {
                o.payments.push_back({.id = row.integer("id"),
                                      .day = row.text("day"),
                                      .amount = row.integer("amount_cents"),
                                      .rep = row.optional_text("rep"),
                                      .note = row.optional_text("note")});
                o.paid += row.integer("amount_cents");
            });
        // A cancelled order is owed nothing: what was paid on it was refunded.
        o.outstanding = o.cancelled_day ? 0 : std::max<money::Cents>(o.amount - o.paid, 0);
    }
    return out;
}

// The receivables report's rule, order by order: days from the due day, else the order day.
Balance balance_of(const std::vector<Order>& orders, const std::string& today) {
    Balance b;
    for (const auto& o : orders) {
        if (o.outstanding <= 0) continue;
        b.outstanding += o.outstanding;
        ++b.unpaid_orders;
        const std::string& from = o.due_day.value_or(o.day);
        std::int64_t days = reports::days_between(from, today);
        if (!b.age_days || days > *b.age_days) {
            b.age_days = days;
            b.aged_from = from;
        }
    }
    return b;
}

std::vector<BriefField> read_brief(Session& s, std::int64_t customer_id) {
    std::vector<BriefField> out;
    auto row = s.tx().one(
        "SELECT * FROM negotiation_brief WHERE customer_id = ? AND deleted_at IS NULL "
        "ORDER BY id LIMIT 1",
        {customer_id});
    if (!row) return out;
    for (const auto& column : kBriefColumns) {
        auto value = row->optional_text(column.field);
        if (value && value->find_first_not_of(" \t\r\n") != std::string::npos)
            out.push_back({column.field, column.label, *value});
    }
    return out;
}

std::vector<Link> links(Session& s, const std::string& sql, std::int64_t id) {
    std::vector<Link> out;
    s.tx().each(sql, {id}, [&](const store::Row& row) {
        out.push_back({row.integer("id"), row.text("name")});
    });
    return out;
}

// The customer's record and every record that belongs to it, live or deleted, as the log
// names them.
std::vector<command_log::RecordRef> own_records(Session& s, const customers::Customer& c,
                                                const std::vector<Link>& merged_from) {
    std::vector<command_log::RecordRef> refs{{"customer", c.uuid}};
    store::Tx& tx = s.tx();
    auto add = [&](const std::string& table, const std::string& sql, std::int64_t id) {
        tx.each(sql, {id}, [&](const store::Row& row) {
            refs.push_back({table, row.text("uuid")});
        });
    };
    for (const auto& m : merged_from)
        add("customer", "SELECT uuid FROM customer WHERE id = ?", m.id);
    for (const char* table :
         {"contact", "visit", "followup", "orders", "negotiation_brief", "unmet_need"})
        add(table, fmt::format("SELECT uuid FROM {} WHERE customer_id = ? ORDER BY id", table),
            c.id);
    for (const char* table : {"order_line", "payment"})
        add(table,
            fmt::format("SELECT x.uuid FROM {} x JOIN orders o ON o.id = x.order_id "
                        "WHERE o.customer_id = ? ORDER BY x.id",
                        table),
            c.id);
    return refs;
}

int state_rank(const std::string& state) {
    return state == "open" ? 0 : state == "done" ? 1 : 2;
}

}  // namespace

Story tell(Session& s, const customers::Customer& customer, const Options& options) {
    Story story;
    story.customer = customer;
    story.contacts = contacts::for_customer(s, customer.id);

    visits::Filter visit_filter{.customer_id = customer.id};
    if (options.visit_limit) visit_filter.limit = *options.visit_limit;
    visits::list(s, visit_filter, [&](const visits::Visit& v) { story.visits.push_back(v); });
    story.visits_left_out =
        std::max<std::int64_t>(customer.visits - static_cast<std::int64_t>(story.visits.size()), 0);

    followups::list(s, {.customer_id = customer.id, .today = s.today()},
                    [&](const followups::Followup& f) { story.followups.push_back(f); });
    std::stable_sort(
        story.followups.begin(), story.followups.end(),
        [](const auto& a, const auto& b) { return state_rank(a.state) < state_rank(b.state); });

    story.orders = read_orders(s, customer.id);
    story.balance = balance_of(story.orders, text::format_day(s.today()));
    story.brief = read_brief(s, customer.id);

    auto referrer = links(s,
                          "SELECT ref.id, ref.name FROM customer c JOIN customer ref "
                          "ON ref.id = c.referred_by WHERE c.id = ?",
                          customer.id);
    if (!referrer.empty()) story.referred_by = referrer.front();
    story.referrals = links(s,
                            "SELECT id, name FROM customer WHERE referred_by = ? AND "
                            "deleted_at IS NULL ORDER BY name_key, id",
                            customer.id);
    story.merged_from =
        links(s, "SELECT id, name FROM customer WHERE merged_into = ? ORDER BY id", customer.id);

    if (options.history)
        command_log::each_of(s, s.tx(), own_records(s, customer, story.merged_from),
                             [&](const command_log::Command& c) { story.history.push_back(c); });
    return story;
}

}  // namespace fieldbook::customer_story
