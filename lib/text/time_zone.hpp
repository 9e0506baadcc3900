#pragma once
// A time zone as a value: the team's zone travels in the Session, so that one process can keep
// several teams' days apart and nothing depends on the process's TZ. Zones come from the
// system's tz database (/usr/share/zoneinfo, read through Howard Hinnant's date/tz, as GCC 12's
// <chrono> has no time zone database); nothing is downloaded, and the environment is never
// read here: the app passes what TZ says.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "clock.hpp"

namespace date {
class time_zone;
}

namespace fieldbook::text {

class TimeZone {
  public:
    // An IANA name ("Asia/Shanghai", "America/New_York", "UTC"). An unknown name is a
    // UsageError naming `what`, the setting it came from ("--timezone", "config timezone").
    static TimeZone named(std::string_view name, std::string_view what);
    static TimeZone utc();
    // The system's zone. `tz` is the TZ variable as the app found it: a zone name, also with
    // POSIX's leading ':' or as a path into /usr/share/zoneinfo; empty means UTC (as in the C
    // library). Without TZ, the zone /etc/localtime names, or UTC when there is none.
    static TimeZone system(const std::optional<std::string>& tz);

    std::string_view name() const;

    // The wall-clock time here at an instant.
    std::chrono::local_seconds to_local(Instant at) const;
    // The instant a wall-clock time here stands for. Twice a year that is not one instant, and
    // the choice is the one RFC 5545 (iCalendar) makes, so that a typed time is never refused:
    // - a time skipped when clocks go forward (02:30 on a spring-forward night in New York)
    //   is read with the offset before the change, i.e. shifted forward by the gap (03:30);
    //   so the local midnight a zone skips gives the day's first instant;
    // - a time that happens twice when clocks go back (01:30 on a fall-back night in New York)
    //   is the first of the two (still on summer time).
    Instant to_instant(std::chrono::local_seconds local) const;

    bool operator==(const TimeZone& other) const { return zone_ == other.zone_; }

  private:
    explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}

    // Owned by the tz database, which lives as long as the process and never changes.
    const date::time_zone* zone_;
};

}  // namespace fieldbook::text
