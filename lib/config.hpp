#pragma once
// The user's config file (TOML). Every key is known; a typo is an error with its position.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fieldbook {

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
};

// Reads the config at `path`. A missing file is an empty config unless `must_exist` (the user
// named it). Errors are UsageError "FILE:LINE:COLUMN: what is wrong".
Config load_config(const std::filesystem::path& path, bool must_exist);

// Throws UsageError unless `name` is a time zone known to the system (e.g. Asia/Shanghai).
void check_timezone(const std::string& name, std::string_view what);

}  // namespace fieldbook
