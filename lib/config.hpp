#pragma once
// The user's config file (TOML). Every key is known; a typo is an error with its position.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fieldbook {

namespace templates {
struct Source;
}

// rank prospects: the points each unit of a term of the follow-up priority score is worth.
// A negative weight makes the term count against the prospect.
struct PriorityWeights {
    double size = 1.0;      // per ten staff (headcount, else office m² / 10), up to 200 staff
    double stage = 5.0;     // per step of the best outcome: contact 1, interest 2, intent 3
    double inside = 8.0;    // an inside contact (inside, purchaser, decision-maker) is known
    double idle = 0.5;      // per day since the last touch, up to 30 days
    double referral = 6.0;  // came by referral
    double load = -0.5;     // per open follow-up of the prospect's owner
};

struct Config {
    std::filesystem::path source;  // empty when no file was read
    std::optional<std::string> db;
    std::optional<std::string> me;
    std::optional<std::string> timezone;
    std::int64_t stale_days = 7;          // followup stale: no progress for this many days
    std::int64_t chars_per_minute = 220;  // speaking rate of Chinese scripts
    std::int64_t words_per_minute = 150;  // speaking rate of English scripts
    std::int64_t abc_a = 80;              // rank customers: class A up to this cumulative %
    std::int64_t abc_b = 95;              // class B up to this one
    PriorityWeights priority;             // [priority] table
    // rank reps --suggest: a rep's record in an industry counts from this many customers visited
    std::int64_t suggest_min_customers = 3;
    // order add: the after-sales check is planned this many days after the order; 0 plans none
    std::int64_t after_sales_days = 14;
};

// Reads the config at `path`. A missing file is an empty config unless `must_exist` (the user
// named it). Errors are UsageError "FILE:LINE:COLUMN: what is wrong".
Config load_config(const std::filesystem::path& path, bool must_exist);

// The config in `source`, its name being the file's path (relative paths in it are beside it).
Config parse_config(const templates::Source& source);

// Throws UsageError naming `what` unless `name` is a zone of the system's tz database (e.g.
// Asia/Shanghai): text::TimeZone::named.
void check_timezone(const std::string& name, std::string_view what);

}  // namespace fieldbook
