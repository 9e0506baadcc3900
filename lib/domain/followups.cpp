#include "domain/followups.hpp"

#include <fmt/format.h>

#include "domain/orders.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
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
SELECT f.id, f.uuid, f.customer_id, c.name, r.handle, f.due_day, f.channel, f.reason, f.state,
       f.note, f.result, ct.name, ct.role, ct.phone, ct.email, lv.outcome, lv.day,
       f.closed_visit_id
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

Followup read(SQLite::Statement& row, text::Day today) {
    Followup f;
    f.id = row.getColumn(0).getInt64();
    f.uuid = row.getColumn(1).getString();
    f.customer_id = row.getColumn(2).getInt64();
    f.customer = row.getColumn(3).getString();
    f.rep = row.getColumn(4).getString();
    f.due_day = row.getColumn(5).getString();
    f.channel = row.getColumn(6).getString();
    f.reason = row.getColumn(7).getString();
    f.state = row.getColumn(8).getString();
    f.note = store::optional_text(row, 9);
    f.result = store::optional_text(row, 10);
    f.contact = store::optional_text(row, 11);
    f.contact_role = store::optional_text(row, 12);
    f.contact_phone = store::optional_text(row, 13);
    f.contact_email = store::optional_text(row, 14);
    f.last_outcome = store::optional_text(row, 15);
    f.last_visit_day = store::optional_text(row, 16);
    f.closed_visit_id = store::optional_int(row, 17);
    auto late = (today - text::parse_iso_day(f.due_day)).count();
    f.days_overdue = f.state == "open" && late > 0 ? late : 0;
    return f;
}

}  // namespace

std::string collection_note(const Owed& owed) {
    return fmt::format("收款：订单 #{} 余额 {}", owed.order_id, money::format(owed.balance));
}

std::optional<Owed> outstanding_order(Session& s, std::int64_t followup_id) {
    auto q = s.prepare("SELECT order_id FROM followup WHERE id = ? AND reason = 'collection'");
    q->bind(1, followup_id);
    if (!q->executeStep() || q->isColumnNull(0)) return std::nullopt;
    // The order's own reading of its balance, so that paid and owed are reckoned one way.
    auto order = orders::get(s, q->getColumn(0).getInt64(), s.today());
    if (!order || order->outstanding <= 0) return std::nullopt;
    return Owed{order->id, order->outstanding};
}

std::int64_t add(Session& s, const FollowupInput& input) {
    auto q = s.prepare(R"sql(
INSERT INTO followup (uuid, customer_id, rep_id, due_day, channel, reason, origin_visit_id, note,
                      created_at, updated_at, order_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, input.customer_id);
    q->bind(3, input.rep_id);
    q->bind(4, text::format_day(input.due));
    q->bind(5, vocab::parse("channel", input.channel, vocab::channels));
    q->bind(6, input.reason);
    store::bind_optional(*q, 7, input.origin_visit_id);
    store::bind_optional(
        *q, 8, input.note ? std::optional(text::clean_input(*input.note, "note")) : std::nullopt);
    q->bind(9, now);
    q->bind(10, now);
    store::bind_optional(*q, 11, input.order_id);
    q->exec();
    return s.db().getLastInsertRowid();
}

void list(Session& s, const Filter& filter, const std::function<void(const Followup&)>& each) {
    std::string sql = select_sql();
    if (filter.rep_id) sql += " AND f.rep_id = ?";
    if (filter.customer_id) sql += " AND f.customer_id = ?";
    if (filter.state) sql += " AND f.state = ?";
    if (filter.due_by) sql += " AND f.due_day <= ?";
    sql += " ORDER BY f.due_day, f.id";
    auto q = s.prepare(sql);
    int index = 0;
    if (filter.rep_id) q->bind(++index, *filter.rep_id);
    if (filter.customer_id) q->bind(++index, *filter.customer_id);
    if (filter.state) q->bind(++index, *filter.state);
    if (filter.due_by) q->bind(++index, text::format_day(*filter.due_by));
    while (q->executeStep()) each(read(*q, filter.today));
}

std::optional<Followup> get(Session& s, std::int64_t id, text::Day today) {
    auto q = s.prepare(select_sql() + " AND f.id = ?");
    q->bind(1, id);
    if (q->executeStep()) return read(*q, today);
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
    auto owner = s.prepare("SELECT handle FROM rep WHERE id = ?");
    owner->bind(1, input.rep_id);
    if (!owner->executeStep()) throw NotFound(fmt::format("no rep with id {}", input.rep_id));
    permissions::require(s, by,
                         {.action = "followup add",
                          .kind = permissions::Kind::followup,
                          .record = "a follow-up for " + owner->getColumn(0).getString(),
                          .owner = owner->getColumn(0).getString()});
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
    auto q = s.prepare(
        "UPDATE followup SET state = 'done', result = ?, closed_visit_id = ?, updated_at = ? "
        "WHERE id = ?");
    store::bind_optional(
        *q, 1, result ? std::optional(text::clean_input(*result, "result")) : std::nullopt);
    q->bind(2, visit_id);
    q->bind(3, s.now_utc());
    q->bind(4, followup_id);
    q->exec();
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
    auto q =
        s.prepare("UPDATE followup SET state = 'dropped', result = ?, updated_at = ? WHERE id = ?");
    store::bind_optional(*q, 1,
                         why ? std::optional(text::clean_input(*why, "reason")) : std::nullopt);
    q->bind(2, s.now_utc());
    q->bind(3, followup.id);
    q->exec();
}

void drop_from_visit(Session& s, std::int64_t visit_id) {
    auto q = s.prepare(
        "UPDATE followup SET state = 'dropped', updated_at = ? "
        "WHERE origin_visit_id = ? AND state = 'open'");
    q->bind(1, s.now_utc());
    q->bind(2, visit_id);
    q->exec();
}

void reopen_closed_by(Session& s, std::int64_t visit_id) {
    auto q = s.prepare(
        "UPDATE followup SET state = 'open', result = NULL, closed_visit_id = NULL, "
        "updated_at = ? WHERE closed_visit_id = ? AND state = 'done'");
    q->bind(1, s.now_utc());
    q->bind(2, visit_id);
    q->exec();
}

void settle_collection(Session& s, std::int64_t order_id, money::Cents balance, text::Day paid_on) {
    if (balance == 0) {
        auto close = s.prepare(
            "UPDATE followup SET state = 'done', result = ?, updated_at = ? "
            "WHERE order_id = ? AND state = 'open'");
        close->bind(1, fmt::format("已于 {} 收清", text::format_day(paid_on)));
        close->bind(2, s.now_utc());
        close->bind(3, order_id);
        close->exec();
        return;
    }
    // The reminder should name what is owed now, not what was owed when it was made.
    auto renote = s.prepare(
        "UPDATE followup SET note = ?, updated_at = ? "
        "WHERE order_id = ? AND state = 'open' AND reason = 'collection'");
    renote->bind(1, collection_note({order_id, balance}));
    renote->bind(2, s.now_utc());
    renote->bind(3, order_id);
    renote->exec();
}

}  // namespace fieldbook::followups
