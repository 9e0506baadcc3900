#include "config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include "errors.hpp"
#include "templates/source.hpp"
#include "text/time_zone.hpp"
#include "text/unicode.hpp"

namespace fieldbook {
namespace {

std::string position(const std::filesystem::path& path, const toml::source_region& where) {
    return fmt::format("{}:{}:{}", path.string(), where.begin.line, where.begin.column);
}

std::optional<std::string> string_value(const std::filesystem::path& path, const toml::node& node,
                                        std::string_view key) {
    if (auto v = node.value<std::string>()) {
        if (!text::is_valid_utf8(*v))
            throw UsageError(
                fmt::format("{}: {}: not valid UTF-8", position(path, node.source()), key));
        return *v;
    }
    throw UsageError(fmt::format("{}: {} must be a string", position(path, node.source()), key));
}

std::int64_t whole_number(const std::filesystem::path& path, const toml::node& node,
                          std::string_view key, std::int64_t min, std::int64_t max) {
    auto v = node.value_exact<std::int64_t>();
    if (!v || *v < min || *v > max)
        throw UsageError(fmt::format("{}: {} must be a whole number from {} to {}",
                                     position(path, node.source()), key, min, max));
    return *v;
}

double weight(const std::filesystem::path& path, const toml::node& node, std::string_view key) {
    std::optional<double> v;
    if (auto whole = node.value_exact<std::int64_t>())
        v = static_cast<double>(*whole);
    else
        v = node.value_exact<double>();
    if (!v || !(*v >= -100 && *v <= 100))
        throw UsageError(fmt::format("{}: priority.{} must be a number from -100 to 100",
                                     position(path, node.source()), key));
    return *v;
}

void read_priority(const std::filesystem::path& path, const toml::node& node,
                   PriorityWeights& weights) {
    const toml::table* table = node.as_table();
    if (table == nullptr)
        throw UsageError(fmt::format("{}: priority must be a table ([priority])",
                                     position(path, node.source())));
    for (auto& [key, value] : *table) {
        double* target = key == "size"       ? &weights.size
                         : key == "stage"    ? &weights.stage
                         : key == "inside"   ? &weights.inside
                         : key == "idle"     ? &weights.idle
                         : key == "referral" ? &weights.referral
                         : key == "load"     ? &weights.load
                                             : nullptr;
        if (target == nullptr)
            throw UsageError(fmt::format(
                "{}: unknown key 'priority.{}' (known: size, stage, inside, idle, referral, load)",
                position(path, key.source()), key.str()));
        *target = weight(path, value, key.str());
    }
}

}  // namespace

Config load_config(const std::filesystem::path& path, bool must_exist) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (must_exist) throw UsageError(fmt::format("config: no file at {}", path.string()));
        return Config{};
    }
    return parse_config(templates::read(path));
}

Config parse_config(const templates::Source& source) {
    Config config;
    const std::filesystem::path path = source.name;
    toml::table table = templates::parse(source);
    config.source = path;
    for (auto& [key, node] : table) {
        if (key == "db")
            config.db = string_value(path, node, key.str());
        else if (key == "me")
            config.me = string_value(path, node, key.str());
        else if (key == "timezone") {
            config.timezone = string_value(path, node, key.str());
            check_timezone(*config.timezone, position(path, node.source()) + ": timezone");
        } else if (key == "stale_days")
            config.stale_days = whole_number(path, node, key.str(), 1, 365);
        else if (key == "chars_per_minute")
            config.chars_per_minute = whole_number(path, node, key.str(), 30, 600);
        else if (key == "words_per_minute")
            config.words_per_minute = whole_number(path, node, key.str(), 30, 600);
        else if (key == "abc_a")
            config.abc_a = whole_number(path, node, key.str(), 1, 99);
        else if (key == "abc_b")
            config.abc_b = whole_number(path, node, key.str(), 2, 100);
        else if (key == "suggest_min_customers")
            config.suggest_min_customers = whole_number(path, node, key.str(), 1, 1000);
        else if (key == "after_sales_days")
            config.after_sales_days = whole_number(path, node, key.str(), 0, 365);
        else if (key == "priority")
            read_priority(path, node, config.priority);
        else
            throw UsageError(fmt::format(
                "{}: unknown key '{}' (known: db, me, timezone, stale_days, chars_per_minute, "
                "words_per_minute, abc_a, abc_b, suggest_min_customers, after_sales_days, "
                "[priority])",
                position(path, key.source()), key.str()));
    }
    if (config.abc_a >= config.abc_b)
        throw UsageError(fmt::format("{}:1:1: abc_a ({}) must be below abc_b ({})", path.string(),
                                     config.abc_a, config.abc_b));
    return config;
}

void check_timezone(const std::string& name, std::string_view what) {
    text::TimeZone::named(name, what);
}

}  // namespace fieldbook
