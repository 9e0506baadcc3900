#pragma once
// Pieces the meeting summary's text and Markdown forms share: the visit table, the headings and
// the outcome counts.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/meeting_report.hpp"
#include "render/rows.hpp"

namespace fieldbook::render::meeting_parts {

// "refused 0 · absent 1 · ..." in the order of the outcome scale.
std::string outcome_counts(const std::array<std::int64_t, 6>& counts);

// The visit table: on the terminal long cells are cut; in the written summary nothing is.
std::vector<Column> visit_columns(bool for_terminal);
Row visit_row(const visits::Visit& v, const text::TimeZone& zone);

std::string render_rows(Format format, const std::vector<Column>& columns,
                        const std::vector<Row>& rows);

const char* note_title(const std::string& kind, bool sharing);
std::string quota_text(std::int64_t quota);
std::string rep_heading(const meeting_report::RepSection& r);

}  // namespace fieldbook::render::meeting_parts
