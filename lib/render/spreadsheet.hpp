#pragma once
// What a spreadsheet makes of a cell's text: a formula to run, a number, a date. Used to make
// CSV safe to open in Excel (--excel) and to type the cells of an xlsx workbook.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fieldbook::render {

// Starts with a character that makes Excel, LibreOffice or Google Sheets read the cell as a
// formula (or DDE command): = + - @, tab or carriage return (OWASP, CSV injection).
bool starts_formula(std::string_view s);

// The cell with a single quote in front when it starts_formula; the quote makes a spreadsheet
// show the text as it is, and is visible, so the data is not silently changed.
std::string neutralise_formula(std::string_view s);

// A plain decimal such as "42", "-12.50" or "12,345.00" (commas only between groups of three
// digits) as a number; anything else (exponents, "1.2.3", "12,34", "½", "") is not one.
std::optional<double> plain_number(std::string_view s);

// A calendar day written YYYY-MM-DD that a spreadsheet can hold (1900 or later).
std::optional<std::chrono::year_month_day> iso_date(std::string_view s);

}  // namespace fieldbook::render
