#pragma once
// The product catalog sheet: prices, specs, models and bulk-discount tiers.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/money.hpp"
#include "templates/source.hpp"

namespace fieldbook::catalog {

// From `min` units on, either a percentage off the list price or a unit price.
struct Tier {
    std::int64_t min = 0;
    std::optional<std::int64_t> discount_basis_points;  // 5% = 500, 7.5% = 750
    std::optional<money::Cents> unit_price;
};

struct Product {
    std::string sku;
    std::string name;
    std::string category;  // key
    std::string brand;
    std::string model;
    std::string spec;
    std::string unit;
    money::Cents price = 0;
    std::vector<Tier> tiers;  // ascending by min
};

struct Catalog {
    std::string currency = "CNY";
    std::vector<std::pair<std::string, std::string>> categories;  // key, title; sheet order
    std::vector<Product> products;
};

// Reads and checks data/catalog.toml (or the user's copy). Errors name FILE:LINE:COLUMN:
// a missing or malformed price, a negative discount, tiers out of order or raising the price,
// an unknown key or category, a duplicate SKU.
Catalog parse(const templates::Source& source);

// The unit price for an order of `quantity` (the best tier reached; a percentage is rounded
// half up to the cent).
money::Cents unit_price(const Product& product, std::int64_t quantity);

// "≥10 95折" style description of a tier, for the sheet.
std::string describe(const Tier& tier);

struct Filter {
    std::optional<std::string> search;  // a substring of SKU, name, brand, model or spec
    // Key or title, or a part of one that only one category has (文件 for 文件管理); a part
    // several have is a UsageError naming them.
    std::optional<std::string> category;
};
std::vector<const Product*> select(const Catalog& catalog, const Filter& filter);
const Product& find(const Catalog& catalog, std::string_view sku);

}  // namespace fieldbook::catalog
