#include "templates/source.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <system_error>

#include "errors.hpp"
#include "templates/prescan.hpp"
#include "text/unicode.hpp"

namespace fieldbook::templates {
namespace {

std::string reason(int error) {
    return std::generic_category().message(error);
}

[[noreturn]] void too_large(std::string_view name) {
    throw UsageError(fmt::format("{}:1:1: file is larger than 1 MiB", name));
}

// Line and column (in characters) of the first byte that is not part of valid UTF-8.
std::optional<std::pair<std::size_t, std::size_t>> first_invalid_byte(std::string_view text) {
    std::size_t line = 1, column = 1, i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = byte < 0x80         ? 1
                             : byte >> 5 == 0x6  ? 2
                             : byte >> 4 == 0xE  ? 3
                             : byte >> 3 == 0x1E ? 4
                                                 : 0;
        if (length == 0 || i + length > text.size() || !text::is_valid_utf8(text.substr(i, length)))
            return std::pair{line, column};
        if (byte == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += length;
    }
    return std::nullopt;
}

}  // namespace

Source read(const std::filesystem::path& path) {
    Source source{path.string(), {}};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) throw SystemError(fmt::format("cannot read {}: {}", source.name, reason(errno)));
    // Read by pieces and stop one byte past the limit: a size from stat would say nothing of
    // /dev/zero or a pipe, and the file may grow while it is read.
    std::array<char, 65536> piece{};
    int error = 0;
    while (source.text.size() <= kMaxBytes) {
        const ssize_t n = ::read(fd, piece.data(), piece.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        source.text.append(piece.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (error != 0)
        throw SystemError(fmt::format("cannot read {}: {}", source.name, reason(error)));
    if (source.text.size() > kMaxBytes) too_large(source.name);
    return source;
}

Source locate(const std::filesystem::path& config_dir, std::string_view file_name,
              std::string_view built_in) {
    std::filesystem::path own = config_dir / file_name;
    std::error_code ec;
    if (!std::filesystem::exists(own, ec))
        return {fmt::format("data/{} (built in)", file_name), std::string(built_in)};
    return read(own);
}

toml::table parse(const Source& source) {
    if (source.text.size() > kMaxBytes) too_large(source.name);
    if (auto bad = first_invalid_byte(source.text))
        throw UsageError(
            fmt::format("{}:{}:{}: not valid UTF-8", source.name, bad->first, bad->second));
    if (auto refusal = prescan(source.text))
        throw UsageError(fmt::format("{}:{}:{}: {}", source.name, refusal->at.line,
                                     refusal->at.column, refusal->reason));
    try {
        return toml::parse(std::string_view{source.text}, std::string_view{source.name});
    } catch (const toml::parse_error& e) {
        fail(source, e.source(), e.description());
    }
}

void fail(const Source& source, const toml::source_region& where, std::string_view message) {
    throw UsageError(
        fmt::format("{}:{}:{}: {}", source.name, where.begin.line, where.begin.column, message));
}

void check_keys(const Source& source, const toml::table& table,
                std::initializer_list<std::string_view> allowed) {
    for (auto& [key, value] : table) {
        bool known = false;
        for (auto name : allowed) known = known || key.str() == name;
        if (!known) {
            std::string list;
            for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
            fail(source, key.source(),
                 fmt::format("unknown key '{}' (known: {})", key.str(), list));
        }
    }
}

std::optional<std::string> optional_text(const Source& source, const toml::table& table,
                                         std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto value = node->value<std::string>()) return *value;
    fail(source, node->source(), fmt::format("{} must be text in quotes", key));
}

std::string required_text(const Source& source, const toml::table& table, std::string_view key) {
    auto value = optional_text(source, table, key);
    if (!value || text::match_key(*value).empty())
        fail(source, table.source(), fmt::format("missing {}", key));
    return *value;
}

std::optional<std::int64_t> optional_integer(const Source& source, const toml::table& table,
                                             std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::nullopt;
    if (auto value = node->value_exact<std::int64_t>()) return *value;
    fail(source, node->source(), fmt::format("{} must be a whole number", key));
}

}  // namespace fieldbook::templates
