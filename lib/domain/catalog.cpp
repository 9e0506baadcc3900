#include "domain/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::catalog {
namespace {

using templates::fail;

constexpr money::Cents kMaxPrice = 100'000'000;  // a million yuan

// A price written as "128.00", 128 or 128.5; floats are accepted only when they are whole cents.
money::Cents read_price(const templates::Source& source, const toml::node& node,
                        std::string_view what) {
    std::optional<money::Cents> cents;
    if (auto text = node.value<std::string>()) {
        cents = money::parse(*text);
        if (!cents && !text->empty() && text->front() == '-')
            fail(source, node.source(), fmt::format("{} must not be negative", what));
    } else if (auto whole = node.value_exact<std::int64_t>()) {
        if (*whole < 0) fail(source, node.source(), fmt::format("{} must not be negative", what));
        // Too much is too much before it is turned into cents, which could overflow.
        cents = *whole > kMaxPrice / 100 ? kMaxPrice + 1 : *whole * 100;
    } else if (auto real = node.value_exact<double>()) {
        if (*real < 0) fail(source, node.source(), fmt::format("{} must not be negative", what));
        double scaled = *real * 100.0;
        if (scaled > static_cast<double>(kMaxPrice))  // inf too; NaN is no amount, below
            cents = kMaxPrice + 1;
        else if (std::abs(scaled - std::round(scaled)) < 1e-6)
            cents = static_cast<money::Cents>(std::llround(scaled));
    }
    if (cents && *cents > kMaxPrice)
        fail(source, node.source(), fmt::format("{} is more than a million yuan", what));
    if (!cents)
        fail(source, node.source(),
             fmt::format("{} must be an amount in yuan with at most two decimals, e.g. \"128.00\"",
                         what));
    return *cents;
}

std::int64_t read_discount(const templates::Source& source, const toml::node& node) {
    double percent = 0;
    if (auto whole = node.value_exact<std::int64_t>())
        percent = static_cast<double>(*whole);
    else if (auto real = node.value_exact<double>())
        percent = *real;
    else
        fail(source, node.source(), "discount must be a percentage, e.g. 5 or 7.5");
    if (percent < 0) fail(source, node.source(), "discount must not be negative");
    // Written so that NaN, which fails every comparison, fails this one too.
    if (!(percent > 0 && percent < 100))
        fail(source, node.source(), "discount must be more than 0 and less than 100 (percent)");
    double basis_points = percent * 100.0;
    if (std::abs(basis_points - std::round(basis_points)) > 1e-6)
        fail(source, node.source(), "discount has more than two decimals");
    return std::llround(basis_points);
}

std::vector<Tier> read_tiers(const templates::Source& source, const toml::node& node,
                             const Product& product) {
    const toml::array* list = node.as_array();
    if (list == nullptr)
        fail(source, node.source(), "tiers must be a list like [ { min = 10, discount = 5 } ]");
    std::vector<Tier> tiers;
    money::Cents previous_price = product.price;
    for (const toml::node& item : *list) {
        const toml::table* t = item.as_table();
        if (t == nullptr) fail(source, item.source(), "a tier must be a table { min = N, ... }");
        templates::check_keys(source, *t, {"min", "discount", "price"});
        Tier tier;
        auto min = templates::optional_integer(source, *t, "min");
        if (!min) fail(source, item.source(), "tier without min (the quantity it starts at)");
        if (*min < 2) fail(source, t->get("min")->source(), "tier min must be 2 or more");
        if (!tiers.empty() && *min <= tiers.back().min)
            fail(source, t->get("min")->source(),
                 fmt::format("tiers out of order: min {} after min {}", *min, tiers.back().min));
        tier.min = *min;
        const toml::node* discount = t->get("discount");
        const toml::node* price = t->get("price");
        if ((discount == nullptr) == (price == nullptr))
            fail(source, item.source(), "a tier has either a discount or a price, not both");
        if (discount) tier.discount_basis_points = read_discount(source, *discount);
        if (price) tier.unit_price = read_price(source, *price, "tier price");
        Product probe = product;
        probe.tiers = {tier};
        money::Cents effective = unit_price(probe, tier.min);
        if (effective >= previous_price && tier.unit_price)
            fail(source, price->source(),
                 fmt::format("tier price {} is not below the price before it ({})",
                             money::format(effective), money::format(previous_price)));
        if (effective > previous_price)
            fail(source, item.source(),
                 fmt::format("tier at {} raises the unit price to {}", tier.min,
                             money::format(effective)));
        previous_price = effective;
        tiers.push_back(tier);
    }
    return tiers;
}

}  // namespace

Catalog parse(const templates::Source& source) {
    toml::table root = templates::parse(source);
    templates::check_keys(source, root, {"currency", "categories", "product"});
    Catalog catalog;
    catalog.currency = templates::optional_text(source, root, "currency").value_or("CNY");

    const toml::table* categories = root["categories"].as_table();
    if (categories == nullptr || categories->empty())
        fail(source, root.source(), "missing [categories] (key = \"title\" lines)");
    for (auto& [key, title] : *categories) {
        auto text = title.value<std::string>();
        if (!text) fail(source, title.source(), "a category title must be text in quotes");
        catalog.categories.emplace_back(std::string(key.str()), *text);
    }
    // TOML tables do not keep their order; the sheet follows the order the file was written in.
    std::vector<std::pair<std::uint32_t, std::size_t>> positions;
    for (std::size_t i = 0; i < catalog.categories.size(); ++i)
        positions.emplace_back(categories->get(catalog.categories[i].first)->source().begin.line,
                               i);
    std::sort(positions.begin(), positions.end());
    std::vector<std::pair<std::string, std::string>> ordered;
    for (auto& [line, index] : positions) ordered.push_back(catalog.categories[index]);
    catalog.categories = std::move(ordered);

    const toml::array* products = root["product"].as_array();
    if (products == nullptr || products->empty())
        fail(source, root.source(), "no [[product]] tables");
    std::set<std::string> skus;
    for (const toml::node& node : *products) {
        const toml::table* t = node.as_table();
        if (t == nullptr) fail(source, node.source(), "product must be a [[product]] table");
        templates::check_keys(
            source, *t,
            {"sku", "name", "category", "brand", "model", "spec", "unit", "price", "tiers"});
        Product p;
        p.sku = templates::required_text(source, *t, "sku");
        if (!skus.insert(text::match_key(p.sku)).second)
            fail(source, t->get("sku")->source(), fmt::format("duplicate SKU '{}'", p.sku));
        p.name = templates::required_text(source, *t, "name");
        p.category = templates::required_text(source, *t, "category");
        bool known = false;
        for (auto& [key, title] : catalog.categories) known = known || key == p.category;
        if (!known)
            fail(source, t->get("category")->source(),
                 fmt::format("category '{}' is not in [categories]", p.category));
        p.brand = templates::optional_text(source, *t, "brand").value_or("");
        p.model = templates::optional_text(source, *t, "model").value_or("");
        p.spec = templates::optional_text(source, *t, "spec").value_or("");
        p.unit = templates::optional_text(source, *t, "unit").value_or("");
        const toml::node* price = t->get("price");
        if (price == nullptr)
            fail(source, node.source(), fmt::format("product {}: missing price", p.sku));
        p.price = read_price(source, *price, "price");
        if (const toml::node* tiers = t->get("tiers")) p.tiers = read_tiers(source, *tiers, p);
        catalog.products.push_back(std::move(p));
    }
    return catalog;
}

money::Cents unit_price(const Product& product, std::int64_t quantity) {
    money::Cents price = product.price;
    for (const Tier& tier : product.tiers) {
        if (quantity < tier.min) break;
        if (tier.unit_price)
            price = *tier.unit_price;
        else
            price = (product.price * (10000 - *tier.discount_basis_points) + 5000) / 10000;
    }
    return price;
}

std::string describe(const Tier& tier) {
    if (tier.unit_price) return fmt::format("≥{} {}", tier.min, money::format(*tier.unit_price));
    // 5% off is "95折", 7.5% off is "92.5折", as a Chinese price sheet says it.
    std::int64_t left = 10000 - *tier.discount_basis_points;
    std::string zhe = fmt::format("{}.{:02}", left / 100, left % 100);
    while (zhe.back() == '0') zhe.pop_back();
    if (zhe.back() == '.') zhe.pop_back();
    return fmt::format("≥{} {}折", tier.min, zhe);
}

std::vector<const Product*> select(const Catalog& catalog, const Filter& filter) {
    std::optional<std::string> category;
    if (filter.category) {
        std::string key = text::match_key(*filter.category);
        for (auto& [k, title] : catalog.categories)
            if (k == key || text::match_key(title) == key) category = k;
        // Part of a name will do (文件 for 文件管理) when it names one category only.
        std::vector<std::string> partly;
        if (!category && !key.empty())
            for (auto& [k, title] : catalog.categories)
                if (k.find(key) != std::string::npos ||
                    text::match_key(title).find(key) != std::string::npos)
                    partly.push_back(k + " (" + title + ")");
        if (partly.size() == 1) {
            category = partly.front().substr(0, partly.front().find(" ("));
        } else if (partly.size() > 1) {
            std::string names;
            for (auto& p : partly) names += (names.empty() ? "" : ", ") + p;
            throw UsageError(fmt::format("--category: '{}' is part of {} categories: {}",
                                         *filter.category, partly.size(), names),
                             "name one of them by its key or its whole title");
        }
        if (!category) {
            std::string known;
            for (auto& [k, title] : catalog.categories)
                known += (known.empty() ? "" : ", ") + k + " (" + title + ")";
            throw UsageError(
                fmt::format("--category: no category '{}' (known: {})", *filter.category, known));
        }
    }
    std::string needle = filter.search ? text::match_key(*filter.search) : "";
    std::vector<const Product*> out;
    for (auto& [key, title] : catalog.categories) {
        if (category && key != *category) continue;
        for (const Product& p : catalog.products) {
            if (p.category != key) continue;
            if (!needle.empty()) {
                std::string hay = text::match_key(p.sku + "\n" + p.name + "\n" + p.brand + "\n" +
                                                  p.model + "\n" + p.spec);
                if (hay.find(needle) == std::string::npos) continue;
            }
            out.push_back(&p);
        }
    }
    return out;
}

const Product& find(const Catalog& catalog, std::string_view sku) {
    std::string key = text::match_key(sku);
    for (const Product& p : catalog.products)
        if (text::match_key(p.sku) == key) return p;
    throw UsageError(fmt::format("sku: no product '{}' in the catalog", sku),
                     "see `fieldbook visit catalog`");
}

}  // namespace fieldbook::catalog
