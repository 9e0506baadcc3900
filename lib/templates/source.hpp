#pragma once
// The TOML templates a manager edits (opening scripts, the catalog): where they come from, and
// errors that point at the exact place, "FILE:LINE:COLUMN: what is wrong", whether the problem
// is TOML syntax or the template's own rules.
#include <toml++/toml.h>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fieldbook::templates {

struct Source {
    std::string name;  // what messages call it: the user's path, or "data/x.toml (built in)"
    std::string text;
};

// The user's own copy in `config_dir` when there is one, else the built-in text.
Source locate(const std::filesystem::path& config_dir, std::string_view file_name,
              std::string_view built_in);

// Checks size (1 MiB at most) and UTF-8 (the position of the first bad byte), then parses.
toml::table parse(const Source& source);

[[noreturn]] void fail(const Source& source, const toml::source_region& where,
                       std::string_view message);

// Every key of `table` must be one of `allowed`; the first stranger is reported where it is.
void check_keys(const Source& source, const toml::table& table,
                std::initializer_list<std::string_view> allowed);

// Typed reads that report a missing or mistyped value at the table or at the value.
std::string required_text(const Source& source, const toml::table& table, std::string_view key);
std::optional<std::string> optional_text(const Source& source, const toml::table& table,
                                         std::string_view key);
std::optional<std::int64_t> optional_integer(const Source& source, const toml::table& table,
                                             std::string_view key);

}  // namespace fieldbook::templates
