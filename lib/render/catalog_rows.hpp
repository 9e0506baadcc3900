#pragma once
// The product catalog as a listing: its columns and one row per product.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/catalog.hpp"
#include "render/rows.hpp"

namespace fieldbook::render {

// With a quantity, the unit price at that quantity (after its tier) and the total follow.
std::vector<Column> catalog_columns(bool with_quantity);
Row catalog_row(const catalog::Product& p, const std::string& category,
                std::optional<std::int64_t> quantity);

}  // namespace fieldbook::render
