// The date and time parsers (--date, --since, --until, --next, --due, FIELDBOOK_NOW, stored
// days).
#include <cstdint>
#include <string>
#include <string_view>

#include "errors.hpp"
#include "require.hpp"
#include "text/dates.hpp"

using namespace fieldbook;
using fuzz::require;

namespace {

// Runs one parser; the only failure it may report is its own error type.
template <class Parse>
void attempt(Parse&& parse) {
    try {
        parse();
    } catch (const UsageError&) {
    } catch (const SystemError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    // The team's zone as the CLI tests have it.
    static const text::TimeZone zone = text::TimeZone::named("Asia/Shanghai", "zone");
    const Instant now = text::parse_iso_instant("2026-11-26T10:00:00+08:00", zone, "now");
    const text::Day today = text::local_day(now, zone);

    attempt([&] {
        const text::Day day = text::parse_day(input, today, text::Toward::past, "--date");
        // Whatever was typed, the day found prints as one that reads back as itself.
        require(text::parse_iso_day(text::format_day(day)) == day, "a parsed day round-trips");
    });
    attempt([&] { text::parse_day(input, today, text::Toward::future, "--next"); });
    attempt([&] {
        const text::Day day = text::parse_coming_day(input, today, "--due");
        require(day >= today, "a coming day is not in the past");
    });
    attempt([&] { text::format_local_time(text::parse_instant(input, now, zone, "--at"), zone); });
    attempt([&] {
        const Instant at = text::parse_past_instant(input, now, zone, "--at");
        require(at <= now + std::chrono::minutes{5}, "a past instant is not in the future");
    });
    attempt([&] { text::format_utc(text::parse_iso_instant(input, zone, "FIELDBOOK_NOW")); });
    attempt([&] {
        const text::Day day = text::parse_iso_day(input);
        require(text::parse_iso_day(text::format_day(day)) == day, "a stored day round-trips");
    });
    // --since and --until: the input split at its first line break.
    attempt([&] {
        const std::size_t cut = input.find('\n');
        const std::string since(input.substr(0, cut));
        const std::optional<std::string> until =
            cut == std::string_view::npos ? std::nullopt
                                          : std::optional<std::string>(input.substr(cut + 1));
        const text::Period period = text::parse_period(since, until, today);
        require(!period.since || !period.until || *period.since <= *period.until,
                "a period does not end before it starts");
    });
    return 0;
}
