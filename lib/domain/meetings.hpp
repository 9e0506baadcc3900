#pragma once
// The end-of-day meeting's records: tomorrow's quota per rep, the notes of the meeting, and
// the archived summary with its approval.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::meetings {

struct Plan {
    std::string day;
    std::int64_t rep_id = 0;
    std::string rep;
    std::string rep_name;
    std::int64_t visits = 0;
    std::optional<std::string> goal;
    std::string set_by;
};

struct Note {
    std::int64_t id = 0;
    std::string day;
    std::int64_t rep_id = 0;
    std::string rep;
    std::string kind;  // self-review, tool-feedback, idea, manager
    std::string text;
    std::string author;
    std::string created_at;
};

struct Meeting {
    std::string day;
    std::string kind = "daily";   // daily or sharing
    std::string status = "open";  // open, closed, approved
    std::optional<std::string> markdown;
    std::optional<std::string> sha256;
    // The day's records when it was closed (meeting_fingerprint.hpp), or the marker of a day
    // already changed when the store was upgraded to keep such fingerprints.
    std::optional<std::string> records_fingerprint;
    std::optional<std::string> closed_by;
    std::optional<std::string> closed_at;
    std::optional<std::string> approved_by;
    std::optional<std::string> approved_at;
    std::optional<std::string> approval_comment;
};

// The next day that is not a Saturday or Sunday.
text::Day next_working_day(text::Day day);

// Inside a write transaction. `by` must be a manager or leader; a second plan for the same
// rep and day replaces the first.
void set_plan(Session& s, const reps::Rep& by, const reps::Rep& rep, text::Day day,
              std::int64_t visits, const std::optional<std::string>& goal);
std::vector<Plan> plans(Session& s, text::Day day);
// The closed (or approved) days whose archived summary lists the plans for `day` (its "plan for"
// section: the days whose next working day `day` is), oldest first.
std::vector<std::string> closed_days_showing_plans_for(Session& s, text::Day day);

// Inside a write transaction. A rep writes their own notes; a manager or a leader writes for
// anyone, and a manager alone writes notes of kind "manager" (see permissions.hpp). A closed
// day takes no more notes.
void add_note(Session& s, const reps::Rep& author, const reps::Rep& subject, text::Day day,
              const std::string& kind, const std::string& text);
std::vector<Note> notes(Session& s, text::Day day);

Meeting get(Session& s, text::Day day);
// Inside a write transaction: marks the day's meeting an experience-sharing session (or back).
void set_kind(Session& s, const reps::Rep& by, text::Day day, const std::string& kind);
// Inside a write transaction, manager only: archives the rendered summary with its SHA-256,
// and the fingerprint of the day's records as they are in this transaction; immutable after.
void close(Session& s, const reps::Rep& by, text::Day day, const std::string& markdown);
// Whether the day's records differ from those the archived summary was made from (false for a
// day not closed).
bool records_changed_since_closing(Session& s, const Meeting& meeting);
// Inside a write transaction, leader only: review and instructions on a closed summary.
void approve(Session& s, const reps::Rep& by, text::Day day, const std::string& comment);

struct DayLine {
    std::string day;
    std::string kind;
    std::string status;
    std::int64_t reps = 0;
    std::int64_t visits = 0;
    std::int64_t intents = 0;
    std::int64_t orders = 0;  // order records of the day, not cancelled
    std::int64_t notes = 0;
};
// Days with visits, notes, plans, orders or a meeting record, newest first.
std::vector<DayLine> days(Session& s, text::Day since, text::Day until);

// An archived summary whose text no longer has the SHA-256 recorded when it was archived:
// it was changed afterwards, outside fieldbook.
struct AlteredArchive {
    std::string day;
    std::string recorded_sha256;
    std::string actual_sha256;
};
std::vector<AlteredArchive> altered_archives(Session& s);

}  // namespace fieldbook::meetings
