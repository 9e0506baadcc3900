#include "domain/meetings.hpp"

#include <fmt/format.h>

#include "domain/meeting_fingerprint.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "text/sha256.hpp"
#include "text/unicode.hpp"

namespace fieldbook::meetings {
namespace {

void require_open(Session& s, text::Day day, std::string_view action) {
    Meeting m = get(s, day);
    if (m.status != "open")
        throw UsageError(fmt::format("{}: the meeting of {} is {} and can no longer change", action,
                                     text::format_day(day), m.status));
}

// Sets fields of the day's meeting row, which is made when first needed (with them). The row is
// looked up tombstoned or not: a day has one meeting row at most (UNIQUE (day)).
void set_meeting(Session& s, text::Day day, const store::Fields& fields) {
    store::Tx& tx = s.tx();
    std::string d = text::format_day(day);
    if (auto row = tx.one("SELECT id, deleted_at FROM meeting WHERE day = ?", {d})) {
        // A row an undo removed is the day's row still: it comes back with these fields.
        store::Fields changes = fields;
        if (!row->is_null("deleted_at")) changes.emplace_back("deleted_at", std::monostate{});
        tx.update("meeting", row->integer("id"), changes);
        return;
    }
    store::Fields with_day{{"day", d}};
    with_day.insert(with_day.end(), fields.begin(), fields.end());
    tx.insert("meeting", with_day);
}

std::string clean_text(const std::string& value, std::string_view field) {
    std::string cleaned = text::clean_input(value, field);
    if (text::match_key(cleaned).empty())
        throw UsageError(fmt::format("{}: must not be empty", field));
    return cleaned;
}

}  // namespace

text::Day next_working_day(text::Day day) {
    do {
        day += std::chrono::days{1};
    } while (std::chrono::weekday{day}.c_encoding() == 0 ||
             std::chrono::weekday{day}.c_encoding() == 6);
    return day;
}

void set_plan(Session& s, const reps::Rep& by, const reps::Rep& rep, text::Day day,
              std::int64_t visits, const std::optional<std::string>& goal) {
    permissions::require(
        s, by, {.action = "meeting plan", .kind = permissions::Kind::plan, .record = "set quotas"});
    if (visits < 0 || visits > 500)
        throw UsageError(fmt::format("--visits: {} is out of range (0 to 500)", visits));
    std::optional<std::string> clean_goal;
    if (goal) clean_goal = clean_text(*goal, "goal");
    require_open(s, day, "meeting plan");
    store::Tx& tx = s.tx();
    // The plan it replaces stays, tombstoned.
    for (const auto& old : tx.all(
             "SELECT id FROM plan WHERE day = ? AND rep_id = ? AND deleted_at IS NULL ORDER BY id",
             {text::format_day(day), rep.id}))
        tx.tombstone("plan", old.integer("id"));
    tx.insert("plan", {{"day", text::format_day(day)},
                       {"rep_id", rep.id},
                       {"visits", visits},
                       {"goal", store::value_of(clean_goal)},
                       {"set_by", by.id}});
}

std::vector<std::string> closed_days_showing_plans_for(Session& s, text::Day day) {
    std::vector<std::string> out;
    // A summary lists the plans for the next working day: a Monday's are on Friday's, and on
    // a weekend day's if one was held.
    for (int back = 3; back >= 1; --back) {
        text::Day before = day - std::chrono::days{back};
        if (next_working_day(before) != day) continue;
        if (get(s, before).status != "open") out.push_back(text::format_day(before));
    }
    return out;
}

std::vector<Plan> plans(Session& s, text::Day day) {
    std::vector<Plan> out;
    s.tx().each(R"sql(
SELECT p.day, p.rep_id, r.handle AS rep, r.name AS rep_name, p.visits, p.goal, b.handle AS set_by
FROM plan p JOIN rep r ON r.id = p.rep_id JOIN rep b ON b.id = p.set_by
WHERE p.day = ? AND p.deleted_at IS NULL ORDER BY r.handle)sql",
                {text::format_day(day)}, [&](const store::Row& row) {
                    Plan p;
                    p.day = row.text("day");
                    p.rep_id = row.integer("rep_id");
                    p.rep = row.text("rep");
                    p.rep_name = row.text("rep_name");
                    p.visits = row.integer("visits");
                    p.goal = row.optional_text("goal");
                    p.set_by = row.text("set_by");
                    out.push_back(std::move(p));
                });
    return out;
}

void add_note(Session& s, const reps::Rep& author, const reps::Rep& subject, text::Day day,
              const std::string& kind_text, const std::string& note) {
    static constexpr std::string_view kKinds[] = {"self-review", "tool-feedback", "idea",
                                                  "manager"};
    std::string kind = vocab::parse("--kind", kind_text, kKinds);
    if (kind == "manager")
        permissions::require(s, author,
                             {.action = "meeting note --kind manager",
                              .kind = permissions::Kind::manager_note,
                              .record = "write the manager's notes"});
    permissions::require(s, author,
                         {.action = "meeting note",
                          .kind = permissions::Kind::meeting_note,
                          .record = fmt::format("the meeting notes of {} for {}", subject.handle,
                                                text::format_day(day)),
                          .owner = subject.handle});
    require_open(s, day, "meeting note");
    s.tx().insert("meeting_note", {{"day", text::format_day(day)},
                                   {"rep_id", subject.id},
                                   {"kind", kind},
                                   {"text", clean_text(note, "text")},
                                   {"author_id", author.id}});
}

std::vector<Note> notes(Session& s, text::Day day) {
    std::vector<Note> out;
    s.tx().each(R"sql(
SELECT n.id, n.day, n.rep_id, r.handle AS rep, n.kind, n.text, a.handle AS author, n.created_at
FROM meeting_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.day = ? AND n.deleted_at IS NULL ORDER BY n.id)sql",
                {text::format_day(day)}, [&](const store::Row& row) {
                    Note n;
                    n.id = row.integer("id");
                    n.day = row.text("day");
                    n.rep_id = row.integer("rep_id");
                    n.rep = row.text("rep");
                    n.kind = row.text("kind");
                    n.text = row.text("text");
                    n.author = row.text("author");
                    n.created_at = row.text("created_at");
                    out.push_back(std::move(n));
                });
    return out;
}

Meeting get(Session& s, text::Day day) {
    auto row = s.tx().one(R"sql(
SELECT m.kind, m.markdown, m.sha256, m.records_fingerprint, c.handle AS closed_by, m.closed_at,
       a.handle AS approved_by, m.approved_at, m.approval_comment
FROM meeting m LEFT JOIN rep c ON c.id = m.closed_by LEFT JOIN rep a ON a.id = m.approved_by
WHERE m.day = ? AND m.deleted_at IS NULL)sql",
                          {text::format_day(day)});
    Meeting m;
    m.day = text::format_day(day);
    if (!row) return m;
    m.kind = row->text("kind");
    m.markdown = row->optional_text("markdown");
    m.sha256 = row->optional_text("sha256");
    m.records_fingerprint = row->optional_text("records_fingerprint");
    m.closed_by = row->optional_text("closed_by");
    m.closed_at = row->optional_text("closed_at");
    m.approved_by = row->optional_text("approved_by");
    m.approved_at = row->optional_text("approved_at");
    m.approval_comment = row->optional_text("approval_comment");
    m.status = m.approved_at ? "approved" : m.closed_at ? "closed" : "open";
    return m;
}

void set_kind(Session& s, const reps::Rep& by, text::Day day, const std::string& kind_text) {
    permissions::require(s, by,
                         {.action = "meeting kind",
                          .kind = permissions::Kind::meeting_kind,
                          .record = "mark a sharing day"});
    static constexpr std::string_view kKinds[] = {"daily", "sharing"};
    std::string chosen = vocab::parse("kind", kind_text, kKinds);
    require_open(s, day, "meeting kind");
    set_meeting(s, day, {{"kind", chosen}});
}

void close(Session& s, const reps::Rep& by, text::Day day, const std::string& markdown) {
    permissions::require(s, by,
                         {.action = "meeting close",
                          .kind = permissions::Kind::meeting_close,
                          .record = "close the meeting of " + text::format_day(day)});
    if (day > s.today())
        throw UsageError(
            fmt::format("meeting close: {} has not happened yet", text::format_day(day)));
    require_open(s, day, "meeting close");
    set_meeting(s, day,
                {{"markdown", markdown},
                 {"sha256", text::sha256_hex(markdown)},
                 {"records_fingerprint", meeting_fingerprint::of_day(s.tx(), day)},
                 {"closed_by", by.id},
                 {"closed_at", s.now_utc()}});
}

void approve(Session& s, const reps::Rep& by, text::Day day, const std::string& comment) {
    permissions::require(s, by,
                         {.action = "meeting approve",
                          .kind = permissions::Kind::meeting_approval,
                          .record = "approve the meeting of " + text::format_day(day)});
    Meeting m = get(s, day);
    if (m.status == "open")
        throw UsageError(fmt::format("meeting approve: the meeting of {} is not closed yet",
                                     text::format_day(day)),
                         "a manager closes it first with `fieldbook meeting close`");
    if (m.status == "approved")
        throw UsageError(fmt::format("meeting approve: the meeting of {} is already approved by {}",
                                     text::format_day(day), m.approved_by.value_or("?")));
    set_meeting(s, day,
                {{"approved_by", by.id},
                 {"approved_at", s.now_utc()},
                 {"approval_comment", clean_text(comment, "--comment")}});
}

bool records_changed_since_closing(Session& s, const Meeting& meeting) {
    if (meeting.status == "open") return false;
    return !meeting_fingerprint::matches(s.tx(), text::parse_iso_day(meeting.day),
                                         meeting.records_fingerprint.value_or(""));
}

std::vector<AlteredArchive> altered_archives(Session& s) {
    std::vector<AlteredArchive> altered;
    s.tx().each(
        "SELECT day, markdown, sha256 FROM meeting WHERE markdown IS NOT NULL ORDER BY day", {},
        [&](const store::Row& row) {
            std::string recorded = row.optional_text("sha256").value_or("");
            std::string actual = text::sha256_hex(row.text("markdown"));
            if (actual != recorded)
                altered.push_back({row.text("day"), std::move(recorded), std::move(actual)});
        });
    return altered;
}

std::vector<DayLine> days(Session& s, text::Day since, text::Day until) {
    constexpr const char* sql = R"sql(
WITH d AS (
    SELECT day FROM visit WHERE deleted_at IS NULL AND day BETWEEN ? AND ?
    UNION SELECT day FROM meeting_note WHERE deleted_at IS NULL AND day BETWEEN ? AND ?
    UNION SELECT day FROM plan WHERE deleted_at IS NULL AND day BETWEEN ? AND ?
    UNION SELECT day FROM meeting WHERE deleted_at IS NULL AND day BETWEEN ? AND ?
    UNION SELECT day FROM orders WHERE deleted_at IS NULL
                                   AND (cancelled_day IS NULL OR cancelled_day > day)
                                   AND day BETWEEN ? AND ?)
SELECT d.day, COALESCE(m.kind, 'daily') AS kind,
       CASE WHEN m.approved_at IS NOT NULL THEN 'approved'
            WHEN m.closed_at IS NOT NULL THEN 'closed' ELSE 'open' END AS status,
       (SELECT COUNT(DISTINCT v.rep_id) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL)
           AS reps,
       (SELECT COUNT(*) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL) AS visits,
       (SELECT COUNT(*) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL
                                       AND v.outcome = 'intent') AS intents,
       (SELECT COUNT(*) FROM orders o WHERE o.day = d.day AND o.deleted_at IS NULL
                                        AND (o.cancelled_day IS NULL OR o.cancelled_day > o.day))
           AS orders,
       (SELECT COUNT(*) FROM meeting_note n WHERE n.day = d.day AND n.deleted_at IS NULL)
           AS notes
FROM d LEFT JOIN meeting m ON m.day = d.day AND m.deleted_at IS NULL
ORDER BY d.day DESC)sql";
    std::string from = text::format_day(since), to = text::format_day(until);
    std::vector<DayLine> out;
    s.tx().each(sql, {from, to, from, to, from, to, from, to, from, to},
                [&](const store::Row& row) {
                    DayLine line;
                    line.day = row.text("day");
                    line.kind = row.text("kind");
                    line.status = row.text("status");
                    line.reps = row.integer("reps");
                    line.visits = row.integer("visits");
                    line.intents = row.integer("intents");
                    line.orders = row.integer("orders");
                    line.notes = row.integer("notes");
                    out.push_back(std::move(line));
                });
    return out;
}

}  // namespace fieldbook::meetings
