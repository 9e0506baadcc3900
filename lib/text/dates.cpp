#include "text/dates.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::text {
namespace {

using namespace std::chrono;

constexpr std::string_view kDayForms =
    "today, yesterday, tomorrow, +3d, -1w, a weekday name (mon, monday, 周一), or YYYY-MM-DD";

// The wall-clock time of day at an instant in the zone.
hh_mm_ss<seconds> local_clock(Instant at, const TimeZone& zone) {
    local_seconds wall = zone.to_local(at);
    return hh_mm_ss<seconds>{wall - floor<days>(wall)};
}

std::optional<int> to_int(std::string_view s) {
    int value = 0;
    if (s.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::optional<Day> iso_day(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto y = to_int(s.substr(0, 4)), m = to_int(s.substr(5, 2)), d = to_int(s.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

// "HH:MM" or "HH:MM:SS" -> seconds since midnight.
std::optional<int> clock_time(std::string_view s) {
    if (s.size() != 5 && s.size() != 8) return std::nullopt;
    if (s[2] != ':' || (s.size() == 8 && s[5] != ':')) return std::nullopt;
    auto h = to_int(s.substr(0, 2)), m = to_int(s.substr(3, 2));
    auto sec = s.size() == 8 ? to_int(s.substr(6, 2)) : std::optional<int>{0};
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 59) return std::nullopt;
    return *h * 3600 + *m * 60 + *sec;
}

std::optional<int> weekday_index(std::string_view key) {
    // Index as in std::chrono::weekday: Sunday = 0.
    static constexpr std::array<std::array<std::string_view, 4>, 7> names{{
        {"sun", "sunday", "周日", "星期日"},
        {"mon", "monday", "周一", "星期一"},
        {"tue", "tuesday", "周二", "星期二"},
        {"wed", "wednesday", "周三", "星期三"},
        {"thu", "thursday", "周四", "星期四"},
        {"fri", "friday", "周五", "星期五"},
        {"sat", "saturday", "周六", "星期六"},
    }};
    for (int i = 0; i < 7; ++i)
        for (auto name : names[i])
            if (key == name) return i;
    if (key == "周天" || key == "星期天") return 0;
    return std::nullopt;
}

std::optional<Day> relative_day(const std::string& key, Day today, Toward toward) {
    if (key == "today" || key == "今天") return today;
    if (key == "yesterday" || key == "昨天") return today - days{1};
    if (key == "tomorrow" || key == "明天") return today + days{1};
    if (auto wd = weekday_index(key)) {
        int current = static_cast<int>(weekday{today}.c_encoding());
        int delta = toward == Toward::future ? (*wd - current + 7) % 7 : -((current - *wd + 7) % 7);
        if (delta == 0) delta = toward == Toward::future ? 7 : 0;
        return today + days{delta};
    }
    // +3d, -1w, 2w: an offset in days or weeks; unsigned means the direction of `toward`.
    if (key.size() >= 2 && (key.back() == 'd' || key.back() == 'w')) {
        std::string_view number(key.data(), key.size() - 1);
        int sign = toward == Toward::future ? 1 : -1;
        if (number.front() == '+' || number.front() == '-') {
            sign = number.front() == '+' ? 1 : -1;
            number.remove_prefix(1);
        }
        auto n = to_int(number);
        if (!n || number.empty() || !std::isdigit(static_cast<unsigned char>(number.front())))
            return std::nullopt;
        if (*n > 36600) return std::nullopt;
        int count = *n * (key.back() == 'w' ? 7 : 1);
        return today + days{sign * count};
    }
    return std::nullopt;
}

// Parses an offset "Z", "+08:00", "+0800", "-05:00" into seconds east of UTC.
std::optional<int> zone_offset(std::string_view s) {
    if (s == "Z" || s == "z") return 0;
    if (s.size() != 6 && s.size() != 5) return std::nullopt;
    if (s[0] != '+' && s[0] != '-') return std::nullopt;
    auto h = to_int(s.substr(1, 2));
    auto m = to_int(s.size() == 6 ? s.substr(4, 2) : s.substr(3, 2));
    if (s.size() == 6 && s[3] != ':') return std::nullopt;
    if (!h || !m || *h > 23 || *m > 59) return std::nullopt;
    int offset = *h * 3600 + *m * 60;
    return s[0] == '-' ? -offset : offset;
}

std::optional<Instant> iso_instant(std::string_view s, const TimeZone& zone) {
    if (auto d = iso_day(s)) return local_instant(*d, 0, 0, zone);
    if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
    auto d = iso_day(s.substr(0, 10));
    if (!d) return std::nullopt;
    std::string_view rest = s.substr(11);
    std::size_t zone_at = rest.find_first_of("Zz+-");
    std::string_view time_part = rest.substr(0, zone_at);
    auto secs = clock_time(time_part);
    if (!secs) return std::nullopt;
    if (zone_at == std::string_view::npos) {
        // Through the zone's rules, so a daylight-saving change inside the day is honoured.
        return zone.to_instant(local_days{d->time_since_epoch()} + seconds{*secs});
    }
    auto offset = zone_offset(rest.substr(zone_at));
    if (!offset) return std::nullopt;
    return Instant{*d} + seconds{*secs} - seconds{*offset};
}

}  // namespace

Day local_day(Instant at, const TimeZone& zone) {
    return Day{floor<days>(zone.to_local(at)).time_since_epoch()};
}

// A day's midnight that the zone skips (clocks going forward at 00:00, as in Santiago or
// Havana) becomes the day's first instant, 01:00, by TimeZone::to_instant's rule.
Instant local_instant(Day d, int hour, int minute, const TimeZone& zone) {
    return zone.to_instant(local_days{d.time_since_epoch()} + hours{hour} + minutes{minute});
}

std::string format_day(Day d) {
    year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string format_utc(Instant at) {
    auto d = floor<days>(at);
    hh_mm_ss hms{at - d};
    return fmt::format("{}T{:02}:{:02}:{:02}Z", format_day(d), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::string format_local_time(Instant at, const TimeZone& zone) {
    return fmt::format("{} {}", format_day(local_day(at, zone)), format_local_clock(at, zone));
}

std::string format_local_clock(Instant at, const TimeZone& zone) {
    auto hms = local_clock(at, zone);
    return fmt::format("{:02}:{:02}", hms.hours().count(), hms.minutes().count());
}

DayOutOfRange::DayOutOfRange(std::string_view what, Day day)
    : UsageError(fmt::format("{}: {} is outside {} to {}", what, format_day(day),
                             format_day(kFirstDay), format_day(kLastDay))) {}

bool in_range(Day day) {
    return day >= kFirstDay && day <= kLastDay;
}

void require_in_range(Day day, std::string_view what) {
    if (!in_range(day)) throw DayOutOfRange(what, day);
}

Day parse_day(std::string_view text, Day today, Toward toward, std::string_view what) {
    std::string key = match_key(text);
    std::optional<Day> d = iso_day(key);
    if (!d) d = relative_day(key, today, toward);
    if (d) {
        require_in_range(*d, what);
        return *d;
    }
    throw UsageError(fmt::format("{}: cannot read '{}' as a date (use {})", what, text, kDayForms));
}

namespace {

std::optional<Instant> read_instant(const std::string& key, Instant now, const TimeZone& zone) {
    if (key.size() > 10 && (key[10] == ' ' || key[10] == 't')) {
        std::string iso = key;
        iso[10] = 'T';
        if (auto at = iso_instant(iso, zone)) return *at;
    }
    Day today = local_day(now, zone);
    if (auto secs = clock_time(key))
        return local_instant(today, *secs / 3600, (*secs / 60) % 60, zone);
    std::optional<Day> d = iso_day(key);
    if (!d) d = relative_day(key, today, Toward::past);
    if (d) {
        auto hms = local_clock(now, zone);
        return local_instant(*d, static_cast<int>(hms.hours().count()),
                             static_cast<int>(hms.minutes().count()), zone);
    }
    return std::nullopt;
}

}  // namespace

Instant parse_instant(std::string_view text, Instant now, const TimeZone& zone,
                      std::string_view what) {
    if (auto at = read_instant(match_key(text), now, zone)) {
        require_in_range(local_day(*at, zone), what);
        return *at;
    }
    throw UsageError(fmt::format(
        "{}: cannot read '{}' as a date and time (use {}, 'YYYY-MM-DD HH:MM' or 'HH:MM')", what,
        text, kDayForms));
}

Period parse_period(const std::optional<std::string>& since,
                    const std::optional<std::string>& until, Day today) {
    Period p;
    if (since) p.since = parse_day(*since, today, Toward::past, "--since");
    if (until) p.until = parse_day(*until, today, Toward::past, "--until");
    if (p.since && p.until && *p.since > *p.until)
        throw UsageError(fmt::format("--since {} is after --until {}", format_day(*p.since),
                                     format_day(*p.until)));
    return p;
}

Day parse_coming_day(std::string_view text, Day today, std::string_view what) {
    Day day = parse_day(text, today, Toward::future, what);
    if (day < today) throw UsageError(fmt::format("{}: {} is in the past", what, format_day(day)));
    return day;
}

Instant parse_past_instant(std::string_view text, Instant now, const TimeZone& zone,
                           std::string_view what) {
    Instant at = parse_instant(text, now, zone, what);
    if (at > now + minutes{5})
        throw UsageError(
            fmt::format("{}: '{}' ({}) is in the future", what, text, format_local_time(at, zone)));
    return at;
}

Instant parse_iso_instant(std::string_view text, const TimeZone& zone, std::string_view what) {
    if (auto at = iso_instant(text, zone)) return *at;
    throw UsageError(fmt::format(
        "{}: cannot read '{}' as an ISO 8601 time (e.g. 2026-11-26T09:30:00+08:00)", what, text));
}

Day parse_iso_day(std::string_view text) {
    if (auto d = iso_day(text)) return *d;
    throw SystemError(fmt::format("malformed stored day '{}'", text));
}

}  // namespace fieldbook::text
