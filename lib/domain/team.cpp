#include "domain/team.hpp"

#include <fmt/format.h>

#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/row.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::team {
namespace {

std::string clean_text(const std::string& value) {
    std::string cleaned = text::clean_input(value, "text");
    if (text::match_key(cleaned).empty()) throw UsageError("text: must not be empty");
    return cleaned;
}

constexpr const char* kTaskSelect = R"sql(
SELECT t.id, r.handle, t.text, t.due_day, t.done_at, a.handle
FROM rep_task t JOIN rep r ON r.id = t.rep_id JOIN rep a ON a.id = t.assigned_by
WHERE t.deleted_at IS NULL)sql";

Task read_task(SQLite::Statement& row) {
    return {row.getColumn(0).getInt64(),  row.getColumn(1).getString(),
            row.getColumn(2).getString(), store::optional_text(row, 3),
            store::optional_text(row, 4), row.getColumn(5).getString()};
}

}  // namespace

std::int64_t add_task(Session& s, const reps::Rep& by, const reps::Rep& rep,
                      const std::string& task, std::optional<text::Day> due) {
    permissions::require(s, by,
                         {.action = "rep task add",
                          .kind = permissions::Kind::task_assignment,
                          .record = "give tasks"});
    auto q = s.prepare(R"sql(
INSERT INTO rep_task (uuid, rep_id, text, due_day, assigned_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, rep.id);
    q->bind(3, clean_text(task));
    store::bind_optional(*q, 4, due ? std::optional(text::format_day(*due)) : std::nullopt);
    q->bind(5, by.id);
    q->bind(6, now);
    q->bind(7, now);
    q->exec();
    return s.db().getLastInsertRowid();
}

Task complete_task(Session& s, const reps::Rep& by, std::string_view id) {
    auto key = text::parse_id(id);
    if (!key)
        throw UsageError(
            fmt::format("id: '{}' is not a task id (see `fieldbook rep task list`)", id));
    auto q = s.prepare(std::string(kTaskSelect) + " AND t.id = ?");
    q->bind(1, *key);
    if (!q->executeStep()) throw NotFound(fmt::format("no task with id {}", *key));
    Task task = read_task(*q);
    permissions::require(s, by,
                         {.action = "rep task done",
                          .kind = permissions::Kind::task,
                          .record = fmt::format("task #{}", task.id),
                          .owner = task.rep});
    if (task.done_at) throw UsageError(fmt::format("task #{} is already done", task.id));
    auto done = s.prepare("UPDATE rep_task SET done_at = ?, updated_at = ? WHERE id = ?");
    std::string now = s.now_utc();
    done->bind(1, now);
    done->bind(2, now);
    done->bind(3, task.id);
    done->exec();
    task.done_at = now;
    return task;
}

void list_tasks(Session& s, std::optional<std::int64_t> rep_id, bool open_only,
                const std::function<void(const Task&)>& each) {
    std::string sql = kTaskSelect;
    if (rep_id) sql += " AND t.rep_id = ?";
    if (open_only) sql += " AND t.done_at IS NULL";
    sql += " ORDER BY t.done_at IS NOT NULL, t.due_day, t.id";
    auto q = s.prepare(sql);
    if (rep_id) q->bind(1, *rep_id);
    while (q->executeStep()) each(read_task(*q));
}

Noted add_note(Session& s, const reps::Rep& by, const reps::Rep& rep, const std::string& kind_text,
               const std::string& note) {
    permissions::require(s, by,
                         {.action = "rep note",
                          .kind = permissions::Kind::conduct_note,
                          .record = "write notes on conduct"});
    static constexpr std::string_view kKinds[] = {"commend", "coach", "warn"};
    std::string kind = vocab::parse("--kind", kind_text, kKinds);
    auto q = s.prepare(R"sql(
INSERT INTO rep_note (uuid, rep_id, kind, text, author_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?))sql");
    std::string now = s.now_utc();
    q->bind(1, s.uuids.next());
    q->bind(2, rep.id);
    q->bind(3, kind);
    q->bind(4, clean_text(note));
    q->bind(5, by.id);
    q->bind(6, now);
    q->bind(7, now);
    q->exec();
    Noted noted{s.db().getLastInsertRowid(), 0};
    auto count = s.prepare(
        "SELECT COUNT(*) FROM rep_note WHERE rep_id = ? AND kind = 'warn' AND deleted_at IS NULL");
    count->bind(1, rep.id);
    count->executeStep();
    noted.warnings = count->getColumn(0).getInt64();
    return noted;
}

void list_notes(Session& s, std::optional<std::int64_t> rep_id,
                const std::function<void(const Note&)>& each) {
    std::string sql = R"sql(
SELECT n.id, r.handle, n.kind, n.text, a.handle, n.created_at
FROM rep_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.deleted_at IS NULL)sql";
    if (rep_id) sql += " AND n.rep_id = ?";
    sql += " ORDER BY n.id";
    auto q = s.prepare(sql);
    if (rep_id) q->bind(1, *rep_id);
    while (q->executeStep())
        each({q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getString(),
              q->getColumn(3).getString(), q->getColumn(4).getString(),
              q->getColumn(5).getString()});
}

}  // namespace fieldbook::team
