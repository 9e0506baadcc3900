#include "output.hpp"

#include <algorithm>
#include <ostream>

#include "text/unicode.hpp"

namespace fieldbook::app {

void print_record(Context& ctx, const std::vector<Field>& fields) {
    if (ctx.format() != render::Format::table) {
        auto writer = ctx.row_writer();
        std::vector<render::Column> columns;
        render::Row row;
        for (auto& [column, value] : fields) {
            columns.push_back(column);
            row.push_back(value);
        }
        writer->begin(columns);
        writer->row(row);
        writer->end();
        return;
    }
    int width = 0;
    for (auto& [column, value] : fields) width = std::max(width, text::display_width(column.name));
    for (auto& [column, value] : fields) {
        if (!value || value->empty()) continue;
        ctx.out << text::pad_to_width(column.name, width) << "  ";
        // Continuation lines of a multi-line note stay under the value column.
        std::string indented;
        for (char ch : *value) {
            indented += ch;
            if (ch == '\n') indented += std::string(static_cast<std::size_t>(width) + 2, ' ');
        }
        ctx.out << indented << '\n';
    }
}

}  // namespace fieldbook::app
