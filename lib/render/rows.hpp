#pragma once
// The one rendering layer: a listing is a header plus rows of cells, written as it streams
// to an output format. Table output must see all rows to align them, so it buffers; the
// machine formats (csv, tsv, json) write each row as it comes; an xlsx workbook is written
// whole at end().
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace fieldbook::render {

enum class Format { table, csv, tsv, json, md, html, xlsx };

// Parses "table", "csv", ...; throws UsageError naming the value and the accepted forms.
Format parse_format(std::string_view name);

struct Column {
    std::string name;      // stable snake_case name: CSV header, JSON key, table heading
    bool numeric = false;  // right-aligned in tables, a JSON number when the cell is one
    int max_width = 40;    // table cells wider than this are cut with "…"
};

// A cell is absent (SQL NULL: empty in CSV, null in JSON) or text.
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

struct RenderOptions {
    bool color = false;  // ANSI styling of table headings; never in machine formats
    // CSV for spreadsheets: a UTF-8 byte order mark first (so Excel reads Chinese as UTF-8),
    // and text that a spreadsheet would run as a formula neutralised (neutralise_formula).
    // A plain number in a numeric column is data and stays as it is.
    bool excel = false;
};

class RowWriter {
  public:
    virtual ~RowWriter() = default;
    virtual void begin(const std::vector<Column>& columns) = 0;
    virtual void row(const Row& cells) = 0;
    virtual void end() = 0;
};

std::unique_ptr<RowWriter> make_row_writer(Format format, std::ostream& out,
                                           RenderOptions options = {});

// Quoting helpers, exposed for writers elsewhere (reports) and for tests.
std::string csv_field(std::string_view s);    // RFC 4180 quoting when needed
std::string html_escape(std::string_view s);  // text safe in HTML elements and attributes

}  // namespace fieldbook::render
