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
// "orders 1 (1280.00) · collected 2 (1500.00) · past due 1 (300.00) · collection calls 1"
std::string money_line(const meeting_report::Money& m);
// "#3 锦城律师事务所 (zhang) 1280.00, paid 500.00"
std::string order_line(const meeting_report::DayOrder& o);
// "锦城律师事务所 (zhang, visit #5): order outcome, no order recorded"
std::string not_recorded_line(const visits::Visit& v);

}  // namespace fieldbook::render::meeting_parts
