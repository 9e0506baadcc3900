#pragma once
// The team record: learning assignments for reps, and the manager's notes on guidance and
// conduct (commendation, coaching, warnings).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::team {

struct Task {
    std::int64_t id = 0;
    std::string rep;
    std::string text;
    std::optional<std::string> due_day;
    std::optional<std::string> done_at;
    std::string assigned_by;
};

// Inside a write transaction; a manager or leader assigns.
std::int64_t add_task(Session& s, const reps::Rep& by, const reps::Rep& rep,
                      const std::string& text, std::optional<text::Day> due);
// Inside a write transaction: the rep themself or a manager marks it done.
Task complete_task(Session& s, const reps::Rep& by, std::string_view id);
void list_tasks(Session& s, std::optional<std::int64_t> rep_id, bool open_only,
                const std::function<void(const Task&)>& each);

struct Note {
    std::int64_t id = 0;
    std::string rep;
    std::string kind;  // commend, coach, warn
    std::string text;
    std::string author;
    std::string created_at;
};

struct Noted {
    std::int64_t id = 0;
    std::int64_t warnings = 0;  // the rep's warnings so far, this one included
};
// Inside a write transaction; a manager writes.
Noted add_note(Session& s, const reps::Rep& by, const reps::Rep& rep, const std::string& kind,
               const std::string& text);
void list_notes(Session& s, std::optional<std::int64_t> rep_id,
                const std::function<void(const Note&)>& each);

// The plan's rule: at the third warning the matter goes to leadership.
constexpr std::int64_t kWarningsBeforeEscalation = 3;

}  // namespace fieldbook::team
