#pragma once
// Markdown to an HTML fragment (cmark-gfm, with its tables): the one way the printable pages
// (the meeting summary, the negotiation brief) are made from their Markdown.
#include <string>
#include <string_view>

namespace fieldbook::render {

// Safe mode: raw HTML in anyone's text is not passed through.
std::string markdown_html(std::string_view markdown);

}  // namespace fieldbook::render
