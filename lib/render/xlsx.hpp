#pragma once
// A listing as an Excel workbook: one sheet, a bold frozen header row, typed cells.
#include <memory>
#include <ostream>

#include "render/rows.hpp"

namespace fieldbook::render {

// Cells of a numeric column that are plain numbers (thousands commas allowed) become number
// cells, YYYY-MM-DD days become date cells, and everything else a string cell, never a
// formula. The workbook is complete only at end(), which writes its bytes to `out`.
std::unique_ptr<RowWriter> make_xlsx_writer(std::ostream& out);

}  // namespace fieldbook::render
