// The TOML files a user edits: config.toml, scripts.toml and catalog.toml, through the one
// loader they share (size, UTF-8 and prescan checks, then the parser) and each file's rules.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "config.hpp"
#include "domain/catalog.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"
#include "require.hpp"
#include "templates/prescan.hpp"
#include "templates/source.hpp"

using namespace fieldbook;
using fuzz::require;

namespace {

constexpr std::string_view kName = "fuzz.toml";

// Levels of tables and arrays from `node` down, counted no further than `cap` so that a tree
// deeper than the prescan allows is reported, not walked to its end.
std::size_t depth(const toml::node& node, std::size_t cap) {
    if (cap == 0) return 1;
    std::size_t below = 0;
    if (const toml::table* table = node.as_table()) {
        for (const auto& [key, value] : *table) below = std::max(below, depth(value, cap - 1));
    } else if (const toml::array* array = node.as_array()) {
        for (const toml::node& value : *array) below = std::max(below, depth(value, cap - 1));
    } else {
        return 0;
    }
    return below + 1;
}

// Every refusal points at the place: "fuzz.toml:LINE:COLUMN: ...".
void check_message(const UsageError& e) {
    const std::string_view message = e.what();
    require(message.substr(0, kName.size() + 1) == std::string(kName) + ":",
            "an error names the file");
    std::size_t at = kName.size() + 1;
    for (int number = 0; number < 2; ++number) {
        const std::size_t digits = message.find_first_not_of("0123456789", at);
        require(digits != std::string_view::npos && digits > at && message[digits] == ':',
                "an error names the line and column");
        at = digits + 1;
    }
}

template <class Read>
void attempt(Read&& read) {
    try {
        read();
    } catch (const UsageError& e) {
        check_message(e);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const templates::Source source{std::string(kName),
                                   std::string(reinterpret_cast<const char*>(data), size)};
    try {
        const toml::table root = templates::parse(source);
        // The scan counts a [header] passing through an earlier [[array]] once, not twice: a
        // tree may be up to twice as deep as the limit, never more.
        const std::size_t most = 2 * templates::kMaxNesting;
        require(depth(root, most + 1) <= most, "the prescan keeps the tree shallow");
    } catch (const UsageError& e) {
        check_message(e);
        return 0;  // refused before any file's own rules are read
    }

    attempt([&] { parse_config(source); });
    attempt([&] {
        for (const scripts::Script& script : scripts::parse(source)) {
            const auto estimate = scripts::estimate(script, {});
            require(estimate.seconds >= 0, "a script takes no negative time");
        }
    });
    attempt([&] {
        const catalog::Catalog sheet = catalog::parse(source);
        for (const catalog::Product& product : sheet.products) {
            for (std::int64_t quantity :
                 {std::int64_t{1}, std::int64_t{2}, std::int64_t{10}, std::int64_t{1000},
                  std::numeric_limits<std::int64_t>::max()}) {
                const money::Cents unit = catalog::unit_price(product, quantity);
                require(unit >= 0 && unit <= product.price, "a tier never raises the price");
            }
            for (const catalog::Tier& tier : product.tiers) catalog::describe(tier);
        }
        catalog::select(sheet, {});
    });
    return 0;
}
