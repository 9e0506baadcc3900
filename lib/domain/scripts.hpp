#pragma once
// Opening scripts: one short text per situation, to be spoken within its time limit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "templates/source.hpp"

namespace fieldbook::scripts {

struct Script {
    std::string name;
    std::string title;
    std::string language;   // zh or en
    std::string situation;  // first-visit, revisit, referral, phone-follow-up
    std::int64_t limit_seconds = 60;
    std::optional<std::int64_t> rate;  // the script's own: characters (zh) or words (en) a minute
    std::string text;
};

// Speaking rates when a script gives none (config: chars_per_minute, words_per_minute).
struct Rates {
    std::int64_t chars_per_minute = 220;
    std::int64_t words_per_minute = 150;
};

struct Estimate {
    std::int64_t han_characters = 0;  // spoken one by one
    std::int64_t latin_words = 0;     // runs of letters and digits
    double seconds = 0;
    bool over_limit = false;
};

// Chinese is timed by characters, other text by words; the script's rate replaces the default
// of its own language.
Estimate estimate(const Script& script, const Rates& rates);

// Reads and checks data/scripts.toml (or the user's copy); errors name FILE:LINE:COLUMN.
std::vector<Script> parse(const templates::Source& source);

// The script of that name; UsageError listing the known names otherwise.
const Script& find(const std::vector<Script>& scripts, std::string_view name);

}  // namespace fieldbook::scripts
