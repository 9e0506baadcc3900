// Amounts of money (--amount, --paid, --cost, catalog prices) and the --items list an order
// is priced from.
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/catalog.hpp"
#include "domain/money.hpp"
#include "domain/orders.hpp"
#include "errors.hpp"
#include "require.hpp"

namespace fieldbook::embedded {
extern const std::string_view catalog_toml;
}  // namespace fieldbook::embedded

using namespace fieldbook;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const catalog::Catalog shipped =
        catalog::parse({"catalog.toml", std::string(embedded::catalog_toml)});
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    if (auto cents = money::parse(input)) {
        require(*cents >= 0, "an amount is not negative");
        // Within the 15 characters parse reads (far beyond any amount the callers allow).
        const std::string written = money::format(*cents);
        require(written.size() > 15 || money::parse(written) == cents, "an amount round-trips");
    }
    try {
        const money::Cents cents = orders::parse_amount(input, "--amount");
        require(cents >= 0, "a typed amount is not negative");
        require(orders::parse_amount(money::format(cents), "--amount") == cents,
                "a typed amount round-trips");
    } catch (const UsageError&) {
    }
    try {
        for (const auto& line : orders::price(shipped, orders::parse_items(input))) {
            require(line.quantity > 0, "an item has a positive quantity");
            require(line.unit_price > 0 && line.unit_price <= line.list_price,
                    "a tier never raises the price");
            require(line.total == line.unit_price * line.quantity, "a line's total is exact");
        }
    } catch (const UsageError&) {
    }
    return 0;
}
