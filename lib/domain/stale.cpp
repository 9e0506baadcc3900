#include "domain/stale.hpp"

#include "store/tx.hpp"

namespace fieldbook::stale {

std::vector<Prospect> find(Session& s, text::Day today, std::int64_t days,
                           std::optional<std::int64_t> owner_id) {
    std::string sql = R"sql(
WITH ranked AS (
    SELECT v.customer_id, v.day, v.outcome,
           CASE v.outcome WHEN 'refused' THEN 0 WHEN 'absent' THEN 1 WHEN 'contact' THEN 2
                          WHEN 'interest' THEN 3 WHEN 'intent' THEN 4 ELSE 5 END AS score
    FROM visit v WHERE v.deleted_at IS NULL),
best AS (
    SELECT customer_id, MAX(score) AS score, MAX(day) AS last_day FROM ranked
    GROUP BY customer_id),
reached AS (
    -- One score is one outcome: MIN only names it.
    SELECT r.customer_id, MIN(r.outcome) AS outcome, MIN(r.day) AS day, b.last_day
    FROM ranked r JOIN best b ON b.customer_id = r.customer_id AND b.score = r.score
    WHERE b.score > 0
    GROUP BY r.customer_id, b.last_day)
SELECT c.id, c.name, rep.handle, c.owner_id, c.status, reached.outcome, reached.day,
       reached.last_day,
       ph.name AS phone_contact, ph.phone, em.name AS email_contact, em.email
FROM customer c
JOIN reached ON reached.customer_id = c.id
LEFT JOIN contact ph ON ph.id = (
    SELECT x.id FROM contact x
    WHERE x.customer_id = c.id AND x.deleted_at IS NULL AND x.phone IS NOT NULL
    ORDER BY CASE x.role WHEN 'inside' THEN 0 WHEN 'purchaser' THEN 1 ELSE 2 END, x.id DESC
    LIMIT 1)
LEFT JOIN contact em ON em.id = (
    SELECT x.id FROM contact x
    WHERE x.customer_id = c.id AND x.deleted_at IS NULL AND x.email IS NOT NULL
    ORDER BY CASE x.role WHEN 'inside' THEN 0 WHEN 'purchaser' THEN 1 ELSE 2 END, x.id DESC
    LIMIT 1)
LEFT JOIN rep ON rep.id = c.owner_id
WHERE c.deleted_at IS NULL AND c.no_solicitation = 0
  AND c.status IN ('prospect', 'contacted', 'interested', 'negotiating')
  AND reached.day <= ?
  AND NOT EXISTS (SELECT 1 FROM followup f
                  WHERE f.customer_id = c.id AND f.state = 'open' AND f.deleted_at IS NULL))sql";
    if (owner_id) sql += " AND c.owner_id = ?";
    sql += " ORDER BY reached.day, c.id";
    store::Values params{text::format_day(today - std::chrono::days{days})};
    if (owner_id) params.emplace_back(*owner_id);
    std::vector<Prospect> out;
    // Through the session's Tx: this runs both on its own and inside the write that turns what
    // it finds into follow-ups.
    s.tx().each(sql, params, [&](const store::Row& r) {
        Prospect p;
        p.customer_id = r.integer("id");
        p.customer = r.text("name");
        p.owner = r.optional_text("handle");
        p.owner_id = r.optional_integer("owner_id");
        p.status = r.text("status");
        p.best_outcome = r.text("outcome");
        p.since_day = r.text("day");
        p.days = (today - text::parse_iso_day(p.since_day)).count();
        p.last_visit_day = r.text("last_day");
        // The cheapest channel that can reach someone: a call, else an email, else a revisit.
        if (auto phone = r.optional_text("phone")) {
            p.channel = "phone";
            p.contact = r.optional_text("phone_contact");
            p.reach = phone;
        } else if (auto email = r.optional_text("email")) {
            p.channel = "email";
            p.contact = r.optional_text("email_contact");
            p.reach = email;
        } else {
            p.channel = "visit";
        }
        out.push_back(std::move(p));
    });
    return out;
}

}  // namespace fieldbook::stale
