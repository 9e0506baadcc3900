#include "render/rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "errors.hpp"
#include "render/json.hpp"
#include "render/spreadsheet.hpp"
#include "render/xlsx.hpp"
#include "text/unicode.hpp"

namespace fieldbook::render {
namespace {

std::string tsv_field(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string md_cell(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '|') {
            out += "\\|";
        } else if (s[i] == '\n' || s[i] == '\r') {
            if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            out += "<br>";
        } else {
            out += s[i];
        }
    }
    return out;
}

// A table cell must stay on one line. Other control characters are dropped rather than
// passed to the terminal, where stored text could otherwise smuggle in escape sequences;
// they have no width, so dropping them does not change the layout.
std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto byte = static_cast<unsigned char>(s[i]);
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
            out += ' ';
            ++i;
        } else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            out += ' ';
        } else if (byte < 0x20 || byte == 0x7F) {
            continue;
        } else if (byte == 0xC2 && i + 1 < s.size() &&
                   static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            ++i;  // a C1 control (U+0080..U+009F), which includes the 8-bit CSI
        } else {
            out += s[i];
        }
    }
    return out;
}

void trim_trailing_spaces(std::string& s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
}

// Columns are fixed at begin(); a row of another length is a bug in the caller, and writing
// it would silently shift every later cell under the wrong heading.
class WriterBase : public RowWriter {
  protected:
    explicit WriterBase(std::ostream& out) : out_(out) {}

    void check_row(const Row& cells) const {
        if (cells.size() != columns_.size()) {
            throw std::logic_error(fmt::format("row has {} cells but the listing has {} columns",
                                               cells.size(), columns_.size()));
        }
    }

    std::ostream& out_;
    std::vector<Column> columns_;
};

// CSV and TSV differ only in the separator, the line end and how a field is escaped.
class DelimitedWriter final : public WriterBase {
  public:
    DelimitedWriter(std::ostream& out, char separator, const char* line_end,
                    std::string (*escape)(std::string_view), bool excel = false)
        : WriterBase(out),
          separator_(separator),
          line_end_(line_end),
          escape_(escape),
          excel_(excel) {}

    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        if (excel_) out_ << "\xEF\xBB\xBF";
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i > 0) out_ << separator_;
            out_ << field(columns_[i].name, false);
        }
        out_ << line_end_;
    }

    void row(const Row& cells) override {
        check_row(cells);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) out_ << separator_;
            if (cells[i]) out_ << field(*cells[i], columns_[i].numeric);
        }
        out_ << line_end_;
    }

    void end() override {}

  private:
    std::string field(std::string_view text, bool numeric) const {
        if (!excel_ || (numeric && plain_number(text))) return escape_(text);
        return escape_(neutralise_formula(text));
    }

    char separator_;
    const char* line_end_;
    std::string (*escape_)(std::string_view);
    bool excel_;
};

class JsonWriter final : public WriterBase {
  public:
    explicit JsonWriter(std::ostream& out) : WriterBase(out) {}

    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        rows_ = 0;
        out_ << '[';
    }

    void row(const Row& cells) override {
        check_row(cells);
        out_ << (rows_ == 0 ? "\n" : ",\n") << json_object(columns_, cells);
        ++rows_;
    }

    void end() override { out_ << (rows_ == 0 ? "]\n" : "\n]\n"); }

  private:
    std::size_t rows_ = 0;
};

class MarkdownWriter final : public WriterBase {
  public:
    explicit MarkdownWriter(std::ostream& out) : WriterBase(out) {}

    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        out_ << '|';
        for (const Column& c : columns_) out_ << ' ' << md_cell(c.name) << " |";
        out_ << "\n|";
        for (const Column& c : columns_) out_ << (c.numeric ? " ---: |" : " --- |");
        out_ << '\n';
    }

    void row(const Row& cells) override {
        check_row(cells);
        out_ << '|';
        for (const Cell& cell : cells) out_ << ' ' << (cell ? md_cell(*cell) : "") << " |";
        out_ << '\n';
    }

    void end() override {}
};

// A plain <table> for pages built around it (the printable catalog sheet, reports).
class HtmlWriter final : public WriterBase {
  public:
    explicit HtmlWriter(std::ostream& out) : WriterBase(out) {}

    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        out_ << "<table>\n<thead><tr>";
        for (const Column& c : columns_)
            out_ << (c.numeric ? "<th class=\"num\">" : "<th>") << html_escape(c.name) << "</th>";
        out_ << "</tr></thead>\n<tbody>\n";
    }

    void row(const Row& cells) override {
        check_row(cells);
        out_ << "<tr>";
        for (std::size_t i = 0; i < cells.size(); ++i)
            out_ << (columns_[i].numeric ? "<td class=\"num\">" : "<td>")
                 << (cells[i] ? html_escape(*cells[i]) : "") << "</td>";
        out_ << "</tr>\n";
    }

    void end() override { out_ << "</tbody>\n</table>\n"; }
};

class TableWriter final : public WriterBase {
  public:
    TableWriter(std::ostream& out, RenderOptions options) : WriterBase(out), options_(options) {}

    void begin(const std::vector<Column>& columns) override {
        columns_ = columns;
        rows_.clear();
    }

    // Cells are cut as they arrive so the buffer holds only what will be shown.
    void row(const Row& cells) override {
        check_row(cells);
        std::vector<std::string> shown;
        shown.reserve(cells.size());
        for (std::size_t i = 0; i < cells.size(); ++i) {
            shown.push_back(
                cells[i] ? text::truncate_to_width(one_line(*cells[i]), columns_[i].max_width)
                         : "");
        }
        rows_.push_back(std::move(shown));
    }

    void end() override {
        std::vector<std::string> heading;
        heading.reserve(columns_.size());
        for (const Column& c : columns_) heading.push_back(one_line(c.name));

        std::vector<int> widths;
        widths.reserve(columns_.size());
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            int width = text::display_width(heading[i]);
            for (const auto& r : rows_) width = std::max(width, text::display_width(r[i]));
            widths.push_back(width);
        }

        const std::string heading_line = line(heading, widths);
        if (options_.color) {
            out_ << "\x1b[1m" << heading_line << "\x1b[0m\n";
        } else {
            out_ << heading_line << '\n';
        }

        std::string rule;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            if (i > 0) rule += "  ";
            for (int w = 0; w < widths[i]; ++w) rule += "─";
        }
        trim_trailing_spaces(rule);
        out_ << rule << '\n';

        for (const auto& r : rows_) out_ << line(r, widths) << '\n';
        rows_.clear();
    }

  private:
    std::string line(const std::vector<std::string>& cells, const std::vector<int>& widths) const {
        std::string out;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) out += "  ";
            out += text::pad_to_width(cells[i], widths[i],
                                      columns_[i].numeric ? text::Align::right : text::Align::left);
        }
        // Padding a left-aligned last column, or an empty cell at the end, would leave
        // trailing blanks that show up in diffs and copied text.
        trim_trailing_spaces(out);
        return out;
    }

    RenderOptions options_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace

Format parse_format(std::string_view name) {
    if (name == "table") return Format::table;
    if (name == "csv") return Format::csv;
    if (name == "tsv") return Format::tsv;
    if (name == "json") return Format::json;
    if (name == "md") return Format::md;
    if (name == "html") return Format::html;
    if (name == "xlsx") return Format::xlsx;
    throw UsageError(fmt::format(
        "unknown format '{}' (expected table, csv, tsv, json, md, html or xlsx)", name));
}

std::unique_ptr<RowWriter> make_row_writer(Format format, std::ostream& out,
                                           RenderOptions options) {
    switch (format) {
        case Format::table:
            return std::make_unique<TableWriter>(out, options);
        case Format::csv:
            return std::make_unique<DelimitedWriter>(out, ',', "\r\n", &csv_field, options.excel);
        case Format::tsv:
            return std::make_unique<DelimitedWriter>(out, '\t', "\n", &tsv_field);
        case Format::json:
            return std::make_unique<JsonWriter>(out);
        case Format::md:
            return std::make_unique<MarkdownWriter>(out);
        case Format::html:
            return std::make_unique<HtmlWriter>(out);
        case Format::xlsx:
            return make_xlsx_writer(out);
    }
    throw std::invalid_argument(
        fmt::format("make_row_writer: bad Format value {}", static_cast<int>(format)));
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace fieldbook::render
