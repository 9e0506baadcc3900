#include "text/time_zone.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <stdexcept>

#include "errors.hpp"

namespace fieldbook::text {
namespace {

// Where date/tz reads the system's database (it does not follow TZDIR).
constexpr std::string_view kZoneInfo = "/usr/share/zoneinfo";

// Loaded once, on first use; a missing database is the system's failure, not the user's.
void require_database() {
    try {
        date::get_tzdb();
    } catch (const std::runtime_error& e) {
        throw SystemError(
            fmt::format("cannot read the time zone database in {}: {}", kZoneInfo, e.what()),
            "install the tzdata package");
    }
}

// A control character (a NUL from "\u0000" in TOML above all) is shown as an escape, as it was
// written, so that "Asia/Shanghai\u0000x" does not pass for Asia/Shanghai in the message.
std::string shown(std::string_view name) {
    std::string out;
    for (unsigned char c : name)
        out += c < 0x20 || c == 0x7F ? fmt::format("\\u{:04X}", c)
                                     : std::string(1, static_cast<char>(c));
    return out;
}

}  // namespace

TimeZone TimeZone::named(std::string_view name, std::string_view what) {
    require_database();
    // Looked up among the database's names, never opened as a path: "../../etc/passwd" and
    // "posix/..." are simply not names of zones.
    try {
        return TimeZone(date::locate_zone(name));
    } catch (const std::runtime_error&) {
        throw UsageError(fmt::format("{}: unknown time zone '{}' (e.g. Asia/Shanghai; see {})",
                                     what, shown(name), kZoneInfo));
    }
}

TimeZone TimeZone::utc() {
    return named("UTC", "UTC");
}

TimeZone TimeZone::system(const std::optional<std::string>& tz) {
    if (tz) {
        std::string_view name = *tz;
        if (name.empty()) return utc();
        if (name.front() == ':') name.remove_prefix(1);
        std::string prefix = fmt::format("{}/", kZoneInfo);
        if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
        try {
            return named(name, "TZ");
        } catch (UsageError& e) {
            // A POSIX rule such as "CST-8" names no zone of the database.
            throw UsageError(e.what(), "give TZ a zone name, or set `timezone` in the config");
        }
    }
    require_database();
    try {
        return TimeZone(date::current_zone());
    } catch (const std::runtime_error&) {
        // No /etc/localtime: the C library takes UTC then, and so does fieldbook.
        return utc();
    }
}

std::string_view TimeZone::name() const {
    return zone_->name();
}

std::chrono::local_seconds TimeZone::to_local(Instant at) const {
    date::sys_info info = zone_->get_info(at);
    return std::chrono::local_seconds{at.time_since_epoch() + info.offset};
}

Instant TimeZone::to_instant(std::chrono::local_seconds local) const {
    date::local_seconds wall{local.time_since_epoch()};
    date::local_info info = zone_->get_info(wall);
    // unique: the one offset; nonexistent: `first` is the offset before the gap, which shifts
    // the time forward by the gap; ambiguous: `first` is the earlier of the two instants.
    return Instant{local.time_since_epoch() - info.first.offset};
}

}  // namespace fieldbook::text
