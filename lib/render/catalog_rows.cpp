#include "render/catalog_rows.hpp"

#include <fmt/format.h>

#include "domain/money.hpp"

namespace fieldbook::render {
namespace {

std::string tiers_text(const catalog::Product& p) {
    std::string out;
    for (const auto& tier : p.tiers) out += (out.empty() ? "" : " / ") + catalog::describe(tier);
    return out;
}

}  // namespace

std::vector<Column> catalog_columns(bool with_quantity) {
    std::vector<Column> c = {{"category"}, {"sku"},         {"name", false, 24},
                             {"brand"},    {"model"},       {"spec", false, 26},
                             {"unit"},     {"price", true}, {"tiers", false, 34}};
    if (with_quantity) {
        c.push_back({"quantity", true});
        c.push_back({"unit_price", true});
        c.push_back({"total", true});
    }
    return c;
}

Row catalog_row(const catalog::Product& p, const std::string& category,
                std::optional<std::int64_t> quantity) {
    Row r = {category,     p.sku, p.name, p.brand, p.model, p.spec, p.unit, money::format(p.price),
             tiers_text(p)};
    if (quantity) {
        money::Cents each = catalog::unit_price(p, *quantity);
        r.push_back(std::to_string(*quantity));
        r.push_back(money::format(each));
        r.push_back(money::format(each * *quantity));
    }
    return r;
}

}  // namespace fieldbook::render
