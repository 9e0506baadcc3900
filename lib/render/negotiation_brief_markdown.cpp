#include <sstream>

#include "render/negotiation_brief.hpp"
#include "render/negotiation_brief_parts.hpp"

namespace fieldbook::render {

namespace {

void table(std::ostream& out, const std::vector<Column>& columns, const std::vector<Row>& rows) {
    auto writer = make_row_writer(Format::md, out);
    writer->begin(columns);
    for (const auto& r : rows) writer->row(r);
    writer->end();
}

}  // namespace

std::string negotiation_brief_markdown(const negotiation::Sheet& sheet) {
    using namespace brief_parts;
    std::ostringstream out;
    out << "# " << title(sheet) << "\n\n";
    for (const auto& [label, value] : facts(sheet)) out << "- " << label << ": " << value << '\n';
    out << "\n## " << kContactsHeading << "\n\n";
    if (sheet.contacts.empty())
        out << kEmpty << '\n';
    else
        table(out, contact_columns(), contact_rows(sheet));
    out << "\n## " << kVisitsHeading << "\n\n";
    if (sheet.last_visits.empty())
        out << kEmpty << '\n';
    else
        table(out, visit_columns(), visit_rows(sheet));
    for (const auto& section : negotiation::kSections) {
        out << "\n## " << section.heading << "\n\n";
        auto lines = section_lines(sheet, section);
        if (lines.empty()) out << kEmpty << '\n';
        bool list = section.section == negotiation::Section::unmet_needs;
        // Lines typed apart stay apart: a hard line break ("  ") at the end of each.
        for (std::size_t i = 0; i < lines.size(); ++i)
            out << (list ? "- " : "") << lines[i]
                << (list || i + 1 == lines.size() ? "\n" : "  \n");
    }
    return out.str();
}

}  // namespace fieldbook::render
