#include "domain/followups.hpp"

#include "domain/vocabulary.hpp"
#include "store/row.hpp"

namespace fieldbook::followups {

std::int64_t add(Session& s, const FollowupInput& input) {
    auto q = s.prepare(R"sql(
INSERT INTO followup (uuid, customer_id, rep_id, due_day, channel, reason, origin_visit_id, note,
                      created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, input.customer_id);
    q->bind(3, input.rep_id);
    q->bind(4, text::format_day(input.due));
    q->bind(5, vocab::parse("next channel", input.channel, vocab::channels));
    q->bind(6, input.reason);
    store::bind_optional(*q, 7, input.origin_visit_id);
    store::bind_optional(*q, 8, input.note);
    q->bind(9, now);
    q->bind(10, now);
    q->exec();
    return s.db().getLastInsertRowid();
}

void drop_from_visit(Session& s, std::int64_t visit_id) {
    auto q = s.prepare(
        "UPDATE followup SET state = 'dropped', updated_at = ? "
        "WHERE origin_visit_id = ? AND state = 'open'");
    q->bind(1, s.now_utc());
    q->bind(2, visit_id);
    q->exec();
}

}  // namespace fieldbook::followups
