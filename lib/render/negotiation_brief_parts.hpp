#pragma once
// What every form of the negotiation brief prints, before each form lays it out.
#include <string>
#include <utility>
#include <vector>

#include "domain/negotiation_brief.hpp"
#include "render/rows.hpp"

namespace fieldbook::render::brief_parts {

std::string title(const negotiation::Sheet& sheet);
// Label and value: where the customer is, its status and owner, what is still owed.
std::vector<std::pair<std::string, std::string>> facts(const negotiation::Sheet& sheet);

std::vector<Column> contact_columns();
std::vector<Row> contact_rows(const negotiation::Sheet& sheet);
std::vector<Column> visit_columns();
std::vector<Row> visit_rows(const negotiation::Sheet& sheet);

// A section's text as its lines: the unmet needs one item a line ("碎纸机 × 20"), others as
// written; none when the section is empty.
std::vector<std::string> section_lines(const negotiation::Sheet& sheet,
                                       const negotiation::SectionInfo& section);

inline constexpr const char* kContactsHeading = "联系人 Contacts";
inline constexpr const char* kVisitsHeading = "最近拜访 Last visits";
inline constexpr const char* kEmpty = "—";

}  // namespace fieldbook::render::brief_parts
