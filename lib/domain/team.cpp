#include "domain/team.hpp"

#include <fmt/format.h>

#include "domain/permissions.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
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
SELECT t.id, r.handle AS rep, t.text, t.due_day, t.done_at, a.handle AS assigned_by
FROM rep_task t JOIN rep r ON r.id = t.rep_id JOIN rep a ON a.id = t.assigned_by
WHERE t.deleted_at IS NULL)sql";

Task read_task(const store::Row& row) {
    return {row.integer("id"),
            row.text("rep"),
            row.text("text"),
            row.optional_text("due_day"),
            row.optional_text("done_at"),
            row.text("assigned_by")};
}

}  // namespace

std::int64_t add_task(Session& s, const reps::Rep& by, const reps::Rep& rep,
                      const std::string& task, std::optional<text::Day> due) {
    permissions::require(s, by,
                         {.action = "rep task add",
                          .kind = permissions::Kind::task_assignment,
                          .record = "give tasks"});
    return s.tx()
        .insert("rep_task",
                {{"rep_id", rep.id},
                 {"text", clean_text(task)},
                 {"due_day", due ? store::Value(text::format_day(*due)) : store::Value()},
                 {"assigned_by", by.id}})
        .id;
}

Task complete_task(Session& s, const reps::Rep& by, std::string_view id) {
    auto key = text::parse_id(id);
    if (!key)
        throw UsageError(
            fmt::format("id: '{}' is not a task id (see `fieldbook rep task list`)", id));
    auto row = s.tx().one(std::string(kTaskSelect) + " AND t.id = ?", {*key});
    if (!row) throw NotFound(fmt::format("no task with id {}", *key));
    Task task = read_task(*row);
    permissions::require(s, by,
                         {.action = "rep task done",
                          .kind = permissions::Kind::task,
                          .record = fmt::format("task #{}", task.id),
                          .owner = task.rep});
    if (task.done_at) throw UsageError(fmt::format("task #{} is already done", task.id));
    task.done_at = s.now_utc();
    s.tx().update("rep_task", task.id, {{"done_at", *task.done_at}});
    return task;
}

void list_tasks(Session& s, std::optional<std::int64_t> rep_id, bool open_only,
                const std::function<void(const Task&)>& each) {
    std::string sql = kTaskSelect;
    if (rep_id) sql += " AND t.rep_id = ?";
    if (open_only) sql += " AND t.done_at IS NULL";
    // NULLS FIRST, as SQLite sorts them by itself: a task without a due day comes first on
    // every engine.
    sql += " ORDER BY t.done_at IS NOT NULL, t.due_day NULLS FIRST, t.id";
    store::Values params;
    if (rep_id) params.emplace_back(*rep_id);
    s.tx().each(sql, params, [&](const store::Row& row) { each(read_task(row)); });
}

Noted add_note(Session& s, const reps::Rep& by, const reps::Rep& rep, const std::string& kind_text,
               const std::string& note) {
    permissions::require(s, by,
                         {.action = "rep note",
                          .kind = permissions::Kind::conduct_note,
                          .record = "write notes on conduct"});
    static constexpr std::string_view kKinds[] = {"commend", "coach", "warn"};
    std::string kind = vocab::parse("--kind", kind_text, kKinds);
    store::Tx& tx = s.tx();
    Noted noted{tx.insert("rep_note", {{"rep_id", rep.id},
                                       {"kind", kind},
                                       {"text", clean_text(note)},
                                       {"author_id", by.id}})
                    .id,
                0};
    noted.warnings = tx.one(
                           "SELECT COUNT(*) AS n FROM rep_note "
                           "WHERE rep_id = ? AND kind = 'warn' AND deleted_at IS NULL",
                           {rep.id})
                         ->integer("n");
    return noted;
}

void list_notes(Session& s, std::optional<std::int64_t> rep_id,
                const std::function<void(const Note&)>& each) {
    std::string sql = R"sql(
SELECT n.id, r.handle AS rep, n.kind, n.text, a.handle AS author, n.created_at
FROM rep_note n JOIN rep r ON r.id = n.rep_id JOIN rep a ON a.id = n.author_id
WHERE n.deleted_at IS NULL)sql";
    if (rep_id) sql += " AND n.rep_id = ?";
    sql += " ORDER BY n.id";
    store::Values params;
    if (rep_id) params.emplace_back(*rep_id);
    s.tx().each(sql, params, [&](const store::Row& row) {
        each({row.integer("id"), row.text("rep"), row.text("kind"), row.text("text"),
              row.text("author"), row.text("created_at")});
    });
}

}  // namespace fieldbook::team
