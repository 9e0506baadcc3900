#pragma once
// The product catalog as the sheet handed over at the door: Markdown with one section per
// category, or a printable HTML page.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "domain/catalog.hpp"
#include "render/catalog_rows.hpp"

namespace fieldbook::render {

// `products` as catalog::select returns them (grouped by category, in the sheet's order). The
// section heading names the category, so the rows leave it out.
void write_catalog_sheet_markdown(std::ostream& out, const catalog::Catalog& cat,
                                  const std::vector<const catalog::Product*>& products,
                                  std::optional<std::int64_t> quantity);
void write_catalog_sheet_html(std::ostream& out, const catalog::Catalog& cat,
                              const std::vector<const catalog::Product*>& products,
                              std::optional<std::int64_t> quantity);

}  // namespace fieldbook::render
