#pragma once
// The TOML files a user edits (the config, opening scripts, the catalog): reading them, and
// errors that point at the exact place, "FILE:LINE:COLUMN: what is wrong", whether the problem
// is TOML syntax or the file's own rules.
#include <toml++/toml.h>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace fieldbook::templates {

struct Source {
    std::string name;  // what messages call it: the user's path, or "data/x.toml (built in)"
    std::string text;
};

// Files are at most this big: the largest shipped one is a few kilobytes.
constexpr std::size_t kMaxBytes = 1 << 20;

// The file at `path`, read up to kMaxBytes: anything longer (a device or a pipe that never
// ends, too) is a UsageError. SystemError when it cannot be read.
Source read(const std::filesystem::path& path);

// The user's own copy in `config_dir` when there is one, else the built-in text.
Source locate(const std::filesystem::path& config_dir, std::string_view file_name,
              std::string_view built_in);

// The one way a TOML file is parsed. Before the parser sees the text it must be at most
// kMaxBytes, valid UTF-8 (else the position of the first bad byte) and pass prescan(): nested
// at most kMaxNesting deep, and nothing the parser cannot classify (prescan.hpp).
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
