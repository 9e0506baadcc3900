#pragma once
// Calendar days and instants as users type them. Local time is always in a TimeZone passed in
// (the team's, from the Session), never the process's TZ, so a visit's local day is the team's
// day whatever the machine says. Around daylight-saving changes, local times are read as
// TimeZone::to_instant says (a skipped time moves forward, a repeated one is the first).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "clock.hpp"
#include "errors.hpp"
#include "text/time_zone.hpp"

namespace fieldbook::text {

using Day = std::chrono::sys_days;

// Which way a weekday name points: "monday" in `--since monday` is the last one, in
// `--next monday` the coming one.
enum class Toward { past, future };

// The calendar day an instant falls on in the zone.
Day local_day(Instant at, const TimeZone& zone);
// The instant of a wall-clock time on a day in the zone; hour 0, minute 0 is the day's first
// instant, also where the zone skips midnight.
Instant local_instant(Day day, int hour, int minute, const TimeZone& zone);

std::string format_day(Day day);                                   // 2026-11-26
std::string format_utc(Instant at);                                // 2026-11-26T01:30:00Z
std::string format_local_time(Instant at, const TimeZone& zone);   // 2026-11-26 09:30
std::string format_local_clock(Instant at, const TimeZone& zone);  // 09:30

// The days fieldbook takes from a user or a file, whatever the command or column: earlier ones
// are typos (0000-01-01, 1026 for 2026) or a spreadsheet's empty date, later ones typos too.
inline constexpr Day kFirstDay{std::chrono::year{2000} / 1 / 1};
inline constexpr Day kLastDay{std::chrono::year{2099} / 12 / 31};

// A day outside kFirstDay..kLastDay: "<what>: 0000-01-01 is outside 2000-01-01 to 2099-12-31".
class DayOutOfRange : public UsageError {
  public:
    DayOutOfRange(std::string_view what, Day day);
};

bool in_range(Day day);
// Throws DayOutOfRange naming `what` when the day is outside the range.
void require_in_range(Day day, std::string_view what);

// today, yesterday, tomorrow (今天 昨天 明天), +3d, -1w, 2w, weekday names (mon, monday,
// 周一, 星期一), YYYY-MM-DD. Throws UsageError naming `what`, the value and the accepted forms,
// or DayOutOfRange. `today` is the team's (Session::today()), so no zone is needed here.
Day parse_day(std::string_view text, Day today, Toward toward, std::string_view what);

// A day form (at the current local time of day), "YYYY-MM-DD HH:MM", "HH:MM" (today), or
// ISO 8601 with a zone ("2026-11-26T01:30:00Z", "...+08:00"). Local means in `zone`; the local
// day must be in range.
Instant parse_instant(std::string_view text, Instant now, const TimeZone& zone,
                      std::string_view what);

// A span of days, each end open when absent.
struct Period {
    std::optional<Day> since, until;
};

// --since and --until as typed (weekday names point to the past); --since after --until is a
// UsageError.
Period parse_period(const std::optional<std::string>& since,
                    const std::optional<std::string>& until, Day today);

// parse_day for something planned (a follow-up, a quota, a task): today or later; a day
// already past is a UsageError naming `what`.
Day parse_coming_day(std::string_view text, Day today, std::string_view what);

// parse_instant for something that has happened (a visit, a call): a time more than a few
// minutes ahead of now is a typo in the day or hour, and a UsageError.
Instant parse_past_instant(std::string_view text, Instant now, const TimeZone& zone,
                           std::string_view what);

// Strict ISO 8601 for FIELDBOOK_NOW and stored values (no range: a store keeps what it has):
// "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)", or without an offset as local time in `zone`, or a bare
// day as its first instant there.
Instant parse_iso_instant(std::string_view text, const TimeZone& zone, std::string_view what);

Day parse_iso_day(std::string_view text);  // stored YYYY-MM-DD; throws SystemError if malformed

}  // namespace fieldbook::text
