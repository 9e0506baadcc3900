#include "domain/followups.hpp"

#include <fmt/format.h>

#include <vector>

#include "domain/orders.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::followups {
namespace {

// The contact to reach: for a call or an email, the best-placed person with a number or an
// address (the inside contact first, then the purchaser, the decision-maker, anyone); else the
// best-placed person.
std::string best_contact(std::string_view having) {
    return fmt::format(R"sql((SELECT x.id FROM contact x
     WHERE x.customer_id = f.customer_id AND x.deleted_at IS NULL{}
     ORDER BY CASE x.role WHEN 'inside' THEN 0 WHEN 'purchaser' THEN 1
                          WHEN 'decision-maker' THEN 2 ELSE 3 END, x.id DESC
     LIMIT 1))sql",
                       having);
}

const std::string& select_sql() {
    static const std::string sql =
        fmt::format(R"sql(
SELECT f.id AS id, f.uuid AS uuid, f.customer_id AS customer_id, c.name AS customer,
       r.handle AS rep, f.due_day AS due_day, f.channel AS channel, f.reason AS reason,
       f.state AS state, f.note AS note, f.result AS result, ct.name AS contact,
       ct.role AS contact_role, ct.phone AS contact_phone, ct.email AS contact_email,
       lv.outcome AS last_outcome, lv.day AS last_visit_day, f.closed_visit_id AS closed_visit_id
FROM followup f
JOIN customer c ON c.id = f.customer_id
JOIN rep r ON r.id = f.rep_id
LEFT JOIN contact ct ON ct.id = CASE f.channel
    WHEN 'phone' THEN COALESCE({}, {})
    WHEN 'email' THEN COALESCE({}, {})
    ELSE {} END
LEFT JOIN visit lv ON lv.id = (
    SELECT y.id FROM visit y WHERE y.customer_id = f.customer_id AND y.deleted_at IS NULL
    ORDER BY y.day DESC, y.at_utc DESC, y.id DESC LIMIT 1)
WHERE f.deleted_at IS NULL)sql",
                    best_contact(" AND x.phone IS NOT NULL"), best_contact(""),
                    best_contact(" AND x.email IS NOT NULL"), best_contact(""), best_contact(""));
    return sql;
}

Followup read(const store::Row& row, text::Day today) {
    Followup f;
    f.id = row.integer("id");
    f.uuid = row.text("uuid");
    f.customer_id = row.integer("customer_id");
    f.customer = row.text("customer");
    f.rep = row.text("rep");
    f.due_day = row.text("due_day");
    f.channel = row.text("channel");
    f.reason = row.text("reason");
    f.state = row.text("state");
    f.note = row.optional_text("note");
    f.result = row.optional_text("result");
    f.contact = row.optional_text("contact");
    f.contact_role = row.optional_text("contact_role");
    f.contact_phone = row.optional_text("contact_phone");
    f.contact_email = row.optional_text("contact_email");
    f.last_outcome = row.optional_text("last_outcome");
    f.last_visit_day = row.optional_text("last_visit_day");
    f.closed_visit_id = row.optional_integer("closed_visit_id");
    auto late = (today - text::parse_iso_day(f.due_day)).count();
    f.days_overdue = f.state == "open" && late > 0 ? late : 0;
    return f;
}

// The live follow-ups a condition selects, oldest first: a change to several is logged as one
// update of each.
std::vector<std::int64_t> ids_where(store::Tx& tx, std::string_view condition,
                                    const store::Values& params) {
    std::vector<std::int64_t> ids;
    tx.each(fmt::format("SELECT id FROM followup WHERE {} AND deleted_at IS NULL ORDER BY id",
                        condition),
            params, [&](const store::Row& row) { ids.push_back(row.integer("id")); });
    return ids;
}

}  // namespace

std::string collection_note(const Owed& owed) {
    return fmt::format("收款：订单 #{} 余额 {}", owed.order_id, money::format(owed.balance));
}

std::optional<Owed> outstanding_order(Session& s, std::int64_t followup_id) {
    auto row = s.tx().one("SELECT order_id FROM followup WHERE id = ? AND reason = 'collection'",
                          {followup_id});
    if (!row || row->is_null("order_id")) return std::nullopt;
    // The order's own reading of its balance, so that paid and owed are reckoned one way.
    auto order = orders::get(s, row->integer("order_id"), s.today());
    if (!order || order->outstanding <= 0) return std::nullopt;
    return Owed{order->id, order->outstanding};
}

std::int64_t add(Session& s, const FollowupInput& input) {
    return s.tx()
        .insert("followup",
                {{"customer_id", input.customer_id},
                 {"rep_id", input.rep_id},
                 {"due_day", text::format_day(input.due)},
                 {"channel", vocab::parse("channel", input.channel, vocab::channels)},
                 {"reason", input.reason},
                 {"origin_visit_id", store::value_of(input.origin_visit_id)},
                 {"note", input.note ? store::Value(text::clean_input(*input.note, "note"))
                                     : store::Value()},
                 {"order_id", store::value_of(input.order_id)}})
        .id;
}

void list(Session& s, const Filter& filter, const std::function<void(const Followup&)>& each) {
    std::string sql = select_sql();
    if (filter.rep_id) sql += " AND f.rep_id = ?";
    if (filter.customer_id) sql += " AND f.customer_id = ?";
    if (filter.state) sql += " AND f.state = ?";
    if (filter.due_by) sql += " AND f.due_day <= ?";
    sql += " ORDER BY f.due_day, f.id";
    store::Values params;
    if (filter.rep_id) params.emplace_back(*filter.rep_id);
    if (filter.customer_id) params.emplace_back(*filter.customer_id);
    if (filter.state) params.emplace_back(*filter.state);
    if (filter.due_by) params.emplace_back(text::format_day(*filter.due_by));
    s.tx().each(sql, params, [&](const store::Row& row) { each(read(row, filter.today)); });
}

std::optional<Followup> get(Session& s, std::int64_t id, text::Day today) {
    if (auto row = s.tx().one(select_sql() + " AND f.id = ?", {id})) return read(*row, today);
    return std::nullopt;
}

Followup require(Session& s, std::string_view id, text::Day today) {
    auto key = text::parse_id(id);
    if (!key)
        throw UsageError(
            fmt::format("id: '{}' is not a follow-up id (a number from `followup due`)", id));
    if (auto f = get(s, *key, today)) return *f;
    throw NotFound(fmt::format("no follow-up with id {}", *key), "see `fieldbook followup list`");
}

namespace {

void require_owner(Session& s, const reps::Rep& by, std::string_view action,
                   const Followup& followup) {
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::followup,
                          .record = fmt::format("follow-up #{}", followup.id),
                          .owner = followup.rep});
}

}  // namespace

std::int64_t add(Session& s, const reps::Rep& by, const FollowupInput& input) {
    auto owner = s.tx().one("SELECT handle FROM rep WHERE id = ?", {input.rep_id});
    if (!owner) throw NotFound(fmt::format("no rep with id {}", input.rep_id));
    std::string handle = owner->text("handle");
    permissions::require(s, by,
                         {.action = "followup add",
                          .kind = permissions::Kind::followup,
                          .record = "a follow-up for " + handle,
                          .owner = handle});
    return add(s, input);
}

std::optional<Owed> check_completion(Session& s, const reps::Rep& actor, const Followup& followup,
                                     bool next_given) {
    require_owner(s, actor, "followup done", followup);
    if (followup.state != "open")
        throw UsageError(fmt::format("follow-up #{} is already {}", followup.id, followup.state));
    auto owed = outstanding_order(s, followup.id);
    if (owed && !next_given)
        throw UsageError(
            fmt::format("follow-up #{} collects order #{}, which still owes {}", followup.id,
                        owed->order_id, money::format(owed->balance)),
            fmt::format("give --next DATE for the next reminder, or record the payment with "
                        "`fieldbook order pay {} --amount X`",
                        owed->order_id));
    return owed;
}

void close(Session& s, std::int64_t followup_id, const std::optional<std::string>& result,
           std::int64_t visit_id) {
    s.tx().update(
        "followup", followup_id,
        {{"state", "done"},
         {"result", result ? store::Value(text::clean_input(*result, "result")) : store::Value()},
         {"closed_visit_id", visit_id}});
}

void drop(Session& s, const reps::Rep& by, const Followup& followup,
          const std::optional<std::string>& why) {
    require_owner(s, by, "followup drop", followup);
    if (followup.state != "open")
        throw UsageError(fmt::format("follow-up #{} is already {}", followup.id, followup.state));
    auto owed = outstanding_order(s, followup.id);
    bool reason_given = why && why->find_first_not_of(" \t\r\n") != std::string::npos;
    if (owed && !reason_given)
        throw UsageError(
            fmt::format("follow-up #{} collects order #{}, which still owes {}", followup.id,
                        owed->order_id, money::format(owed->balance)),
            "say why the balance is no longer chased with --reason TEXT (e.g. 坏账核销), or "
            "record the payment with `fieldbook order pay`");
    s.tx().update(
        "followup", followup.id,
        {{"state", "dropped"},
         {"result", why ? store::Value(text::clean_input(*why, "reason")) : store::Value()}});
}

void drop_from_visit(Session& s, std::int64_t visit_id) {
    store::Tx& tx = s.tx();
    for (auto id : ids_where(tx, "origin_visit_id = ? AND state = 'open'", {visit_id}))
        tx.update("followup", id, {{"state", "dropped"}});
}

void reopen_closed_by(Session& s, std::int64_t visit_id) {
    store::Tx& tx = s.tx();
    for (auto id : ids_where(tx, "closed_visit_id = ? AND state = 'done'", {visit_id}))
        tx.update(
            "followup", id,
            {{"state", "open"}, {"result", store::Value()}, {"closed_visit_id", store::Value()}});
}

void settle_collection(Session& s, std::int64_t order_id, money::Cents balance, text::Day paid_on) {
    store::Tx& tx = s.tx();
    if (balance == 0) {
        std::string paid = fmt::format("已于 {} 收清", text::format_day(paid_on));
        // Only the collections: an after-sales check of the same order is still owed.
        for (auto id :
             ids_where(tx, "order_id = ? AND state = 'open' AND reason = 'collection'", {order_id}))
            tx.update("followup", id, {{"state", "done"}, {"result", paid}});
        return;
    }
    // The reminder should name what is owed now, not what was owed when it was made.
    std::string note = collection_note({order_id, balance});
    for (auto id :
         ids_where(tx, "order_id = ? AND state = 'open' AND reason = 'collection'", {order_id}))
        tx.update("followup", id, {{"note", note}});
}

std::int64_t drop_for_order(Session& s, std::int64_t order_id, const std::string& why) {
    store::Tx& tx = s.tx();
    auto ids = ids_where(tx, "order_id = ? AND state = 'open'", {order_id});
    for (auto id : ids) tx.update("followup", id, {{"state", "dropped"}, {"result", why}});
    return static_cast<std::int64_t>(ids.size());
}

std::string after_sales_note(std::int64_t order_id) {
    return fmt::format("售后回访：订单 #{} 确认到货与使用情况", order_id);
}

}  // namespace fieldbook::followups
