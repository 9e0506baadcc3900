#include "domain/meetings.hpp"

#include <fmt/format.h>

#include "domain/meeting_fingerprint.hpp"
#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
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

// The meeting row of a day, made when first needed.
void ensure_row(Session& s, text::Day day) {
    auto q = s.prepare(
        "INSERT INTO meeting (uuid, day, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (day) DO NOTHING");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, text::format_day(day));
    q->bind(3, now);
    q->bind(4, now);
    q->exec();
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
    std::string now = s.now_utc();
    auto drop = s.prepare(
        "UPDATE plan SET deleted_at = ?, updated_at = ? "
        "WHERE day = ? AND rep_id = ? AND deleted_at IS NULL");
    drop->bind(1, now);
    drop->bind(2, now);
    drop->bind(3, text::format_day(day));
    drop->bind(4, rep.id);
    drop->exec();
    auto q = s.prepare(R"sql(
INSERT INTO plan (uuid, day, rep_id, visits, goal, set_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
    q->bind(1, s.uuids.next());
    q->bind(2, text::format_day(day));
    q->bind(3, rep.id);
    q->bind(4, visits);
    store::bind_optional(*q, 5, clean_goal);
    q->bind(6, by.id);
    q->bind(7, now);
    q->bind(8, now);
    q->exec();
}

std::vector<Plan> plans(Session& s, text::Day day) {
    auto q = s.prepare(R"sql(
SELECT p.day, p.rep_id, r.handle, r.name, p.visits, p.goal, b.handle
FROM plan p JOIN rep r ON r.id = p.rep_id JOIN rep b ON b.id = p.set_by
WHERE p.day = ? AND p.deleted_at IS NULL ORDER BY r.handle)sql");
    q->bind(1, text::format_day(day));
    std::vector<Plan> out;
    while (q->executeStep()) {
        Plan p;
        p.day = q->getColumn(0).getString();
        p.rep_id = q->getColumn(1).getInt64();
        p.rep = q->getColumn(2).getString();
        p.rep_name = q->getColumn(3).getString();
        p.visits = q->getColumn(4).getInt64();
        p.goal = store::optional_text(*q, 5);
        p.set_by = q->getColumn(6).getString();
        out.push_back(std::move(p));
    }
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
    auto q = s.prepare(R"sql(
INSERT INTO meeting_note (uuid, day, rep_id, kind, text, author_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, text::format_day(day));
    q->bind(3, subject.id);
    q->bind(4, kind);
    q->bind(5, clean_text(note, "text"));
    q->bind(6, author.id);
    q->bind(7, now);
    q->bind(8, now);
    q->exec();
}

std::vector<Note> notes(Session& s, text::Day day) {
    auto q = s.prepare(R"sql(
SELECT n.id, n.day, n.rep_id, r.handle, n.kind, n.text, a.handle, n.created_at
FROM meeting_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.day = ? AND n.deleted_at IS NULL ORDER BY n.id)sql");
    q->bind(1, text::format_day(day));
    std::vector<Note> out;
    while (q->executeStep()) {
        Note n;
        n.id = q->getColumn(0).getInt64();
        n.day = q->getColumn(1).getString();
        n.rep_id = q->getColumn(2).getInt64();
        n.rep = q->getColumn(3).getString();
        n.kind = q->getColumn(4).getString();
        n.text = q->getColumn(5).getString();
        n.author = q->getColumn(6).getString();
        n.created_at = q->getColumn(7).getString();
        out.push_back(std::move(n));
    }
    return out;
}

Meeting get(Session& s, text::Day day) {
    auto q = s.prepare(R"sql(
SELECT m.kind, m.markdown, m.sha256, m.records_fingerprint, c.handle, m.closed_at, a.handle,
       m.approved_at, m.approval_comment
FROM meeting m LEFT JOIN rep c ON c.id = m.closed_by LEFT JOIN rep a ON a.id = m.approved_by
WHERE m.day = ? AND m.deleted_at IS NULL)sql");
    q->bind(1, text::format_day(day));
    Meeting m;
    m.day = text::format_day(day);
    if (!q->executeStep()) return m;
    m.kind = q->getColumn(0).getString();
    m.markdown = store::optional_text(*q, 1);
    m.sha256 = store::optional_text(*q, 2);
    m.records_fingerprint = store::optional_text(*q, 3);
    m.closed_by = store::optional_text(*q, 4);
    m.closed_at = store::optional_text(*q, 5);
    m.approved_by = store::optional_text(*q, 6);
    m.approved_at = store::optional_text(*q, 7);
    m.approval_comment = store::optional_text(*q, 8);
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
    ensure_row(s, day);
    auto q = s.prepare("UPDATE meeting SET kind = ?, updated_at = ? WHERE day = ?");
    q->bind(1, chosen);
    q->bind(2, s.now_utc());
    q->bind(3, text::format_day(day));
    q->exec();
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
    ensure_row(s, day);
    auto q = s.prepare(R"sql(
UPDATE meeting SET markdown = ?, sha256 = ?, records_fingerprint = ?, closed_by = ?,
       closed_at = ?, updated_at = ?
WHERE day = ?)sql");
    std::string now = s.now_utc();
    q->bind(1, markdown);
    q->bind(2, text::sha256_hex(markdown));
    q->bind(3, meeting_fingerprint::of_day(s.store, day));
    q->bind(4, by.id);
    q->bind(5, now);
    q->bind(6, now);
    q->bind(7, text::format_day(day));
    q->exec();
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
    auto q = s.prepare(R"sql(
UPDATE meeting SET approved_by = ?, approved_at = ?, approval_comment = ?, updated_at = ?
WHERE day = ?)sql");
    std::string now = s.now_utc();
    q->bind(1, by.id);
    q->bind(2, now);
    q->bind(3, clean_text(comment, "--comment"));
    q->bind(4, now);
    q->bind(5, text::format_day(day));
    q->exec();
}

bool records_changed_since_closing(Session& s, const Meeting& meeting) {
    if (meeting.status == "open") return false;
    return meeting_fingerprint::of_day(s.store, text::parse_iso_day(meeting.day)) !=
           meeting.records_fingerprint;
}

std::vector<AlteredArchive> altered_archives(Session& s) {
    auto q = s.prepare(
        "SELECT day, markdown, sha256 FROM meeting WHERE markdown IS NOT NULL ORDER BY day");
    std::vector<AlteredArchive> altered;
    while (q->executeStep()) {
        std::string recorded = store::optional_text(*q, 2).value_or("");
        std::string actual = text::sha256_hex(q->getColumn(1).getString());
        if (actual != recorded)
            altered.push_back(
                {q->getColumn(0).getString(), std::move(recorded), std::move(actual)});
    }
    return altered;
}

std::vector<DayLine> days(Session& s, text::Day since, text::Day until) {
    auto q = s.prepare(R"sql(
WITH d AS (
    SELECT day FROM visit WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2
    UNION SELECT day FROM meeting_note WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2
    UNION SELECT day FROM plan WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2
    UNION SELECT day FROM meeting WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2)
SELECT d.day, COALESCE(m.kind, 'daily'),
       CASE WHEN m.approved_at IS NOT NULL THEN 'approved'
            WHEN m.closed_at IS NOT NULL THEN 'closed' ELSE 'open' END,
       (SELECT COUNT(DISTINCT v.rep_id) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL),
       (SELECT COUNT(*) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL),
       (SELECT COUNT(*) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL
                                       AND v.outcome = 'intent'),
       (SELECT COUNT(*) FROM visit v WHERE v.day = d.day AND v.deleted_at IS NULL
                                       AND v.outcome = 'order'),
       (SELECT COUNT(*) FROM meeting_note n WHERE n.day = d.day AND n.deleted_at IS NULL)
FROM d LEFT JOIN meeting m ON m.day = d.day AND m.deleted_at IS NULL
ORDER BY d.day DESC)sql");
    q->bind(1, text::format_day(since));
    q->bind(2, text::format_day(until));
    std::vector<DayLine> out;
    while (q->executeStep()) {
        DayLine line;
        line.day = q->getColumn(0).getString();
        line.kind = q->getColumn(1).getString();
        line.status = q->getColumn(2).getString();
        line.reps = q->getColumn(3).getInt64();
        line.visits = q->getColumn(4).getInt64();
        line.intents = q->getColumn(5).getInt64();
        line.orders = q->getColumn(6).getInt64();
        line.notes = q->getColumn(7).getInt64();
        out.push_back(std::move(line));
    }
    return out;
}

}  // namespace fieldbook::meetings
