#pragma once
// The negotiation brief as a rep takes it along: one page naming the customer, where they
// are, whom to ask for, how the last visits went and what is still owed, then each section of
// the brief under its heading. Markdown, a printable HTML page, or plain text for a terminal.
#include <ostream>
#include <string>

#include "domain/negotiation_brief.hpp"

namespace fieldbook::render {

std::string negotiation_brief_markdown(const negotiation::Sheet& sheet);
// The Markdown above as a page (raw HTML in anyone's text is not passed through).
std::string negotiation_brief_html(const negotiation::Sheet& sheet);
// For the terminal: the same content, headings underlined, text wrapped to `width` columns.
std::string negotiation_brief_text(const negotiation::Sheet& sheet, int width);

}  // namespace fieldbook::render
