#pragma once
// The end-of-day meeting report written out: for the terminal, as the written Markdown summary
// (what `meeting close` archives, byte for byte), as HTML (from the Markdown) and as JSON.
#include <string>

#include "domain/meeting_report.hpp"

namespace fieldbook::render {

std::string meeting_summary_text(const meeting_report::Report& report);
std::string meeting_summary_markdown(const meeting_report::Report& report);
std::string meeting_summary_json(const meeting_report::Report& report);
// A printable page around the CommonMark rendering of the Markdown summary.
std::string meeting_summary_html(const std::string& markdown, const std::string& title);

}  // namespace fieldbook::render
