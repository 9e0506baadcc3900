#include <fmt/format.h>

#include <algorithm>

#include "render/negotiation_brief.hpp"
#include "render/negotiation_brief_parts.hpp"
#include "text/unicode.hpp"
#include "text/wrap.hpp"

namespace fieldbook::render {

namespace {

void heading(std::string& out, std::string_view title) {
    out += fmt::format("\n{}\n{}\n", title, std::string(text::display_width(title), '-'));
}

// A small table: each column as wide as its widest cell, two spaces apart.
void table(std::string& out, const std::vector<Row>& rows) {
    std::vector<int> widths;
    for (const auto& r : rows) {
        widths.resize(std::max(widths.size(), r.size()), 0);
        for (std::size_t i = 0; i < r.size(); ++i)
            widths[i] = std::max(widths[i], text::display_width(r[i].value_or("")));
    }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            std::string value = r[i].value_or("");
            std::replace(value.begin(), value.end(), '\n', ' ');
            line += i + 1 == r.size() ? value : text::pad_to_width(value, widths[i]) + "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += "  " + line + "\n";
    }
}

}  // namespace

std::string negotiation_brief_text(const negotiation::Sheet& sheet, int width) {
    using namespace brief_parts;
    std::string out = title(sheet) + "\n";
    auto known = facts(sheet);
    int label_width = 0;
    for (const auto& f : known) label_width = std::max(label_width, text::display_width(f.first));
    for (const auto& [label, value] : known)
        out += text::pad_to_width(label, label_width) + "  " + value + "\n";
    heading(out, kContactsHeading);
    if (sheet.contacts.empty()) out += std::string("  ") + kEmpty + "\n";
    table(out, contact_rows(sheet));
    heading(out, kVisitsHeading);
    if (sheet.last_visits.empty()) out += std::string("  ") + kEmpty + "\n";
    table(out, visit_rows(sheet));
    for (const auto& section : negotiation::kSections) {
        heading(out, section.heading);
        auto lines = section_lines(sheet, section);
        if (lines.empty()) out += std::string("  ") + kEmpty + "\n";
        bool list = section.section == negotiation::Section::unmet_needs;
        for (const auto& line : lines) {
            // A list item's continuation lines stay under its text.
            std::string_view lead = list ? "  - " : "  ";
            for (const auto& wrapped : text::wrap(line, std::max(20, width - 4))) {
                out += std::string(lead) + wrapped + "\n";
                if (list) lead = "    ";
            }
        }
    }
    return out;
}

}  // namespace fieldbook::render
