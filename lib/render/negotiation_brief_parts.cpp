#include "render/negotiation_brief_parts.hpp"

#include <fmt/format.h>

#include "domain/money.hpp"

namespace fieldbook::render::brief_parts {

std::string title(const negotiation::Sheet& sheet) {
    return fmt::format("谈判简报 · {} (#{})", sheet.customer.name, sheet.customer.id);
}

std::vector<std::pair<std::string, std::string>> facts(const negotiation::Sheet& sheet) {
    const auto& c = sheet.customer;
    std::string where = c.building.value_or("");
    // Floors are kept as typed (12, 12F, 12楼): labelled rather than suffixed.
    if (c.floor) where += (where.empty() ? "" : ", ") + std::string("floor ") + *c.floor;
    if (c.room) where += (where.empty() ? "" : ", ") + std::string("room ") + *c.room;
    std::vector<std::pair<std::string, std::string>> out;
    out.emplace_back("地址 Where", where.empty() ? kEmpty : where);
    out.emplace_back("状态 Status", c.status);
    out.emplace_back("负责人 Owner", c.owner.value_or(kEmpty));
    if (c.industry) out.emplace_back("行业 Industry", *c.industry);
    out.emplace_back("未结订单 Open orders", sheet.open_orders == 0
                                                 ? std::string("0")
                                                 : fmt::format("{}, balance {}", sheet.open_orders,
                                                               money::format(sheet.balance_cents)));
    return out;
}

std::vector<Column> contact_columns() {
    return {{"name"}, {"role"}, {"title"}, {"phone"}};
}

std::vector<Row> contact_rows(const negotiation::Sheet& sheet) {
    std::vector<Row> rows;
    for (const auto& p : sheet.contacts) rows.push_back({p.name, p.role, p.title, p.phone});
    return rows;
}

std::vector<Column> visit_columns() {
    return {{"day"}, {"rep"}, {"outcome"}, {"contact"}, {"note", false, 60}};
}

std::vector<Row> visit_rows(const negotiation::Sheet& sheet) {
    std::vector<Row> rows;
    for (const auto& v : sheet.last_visits)
        rows.push_back({v.day, v.rep, v.outcome, v.contact, v.note});
    return rows;
}

std::vector<std::string> section_lines(const negotiation::Sheet& sheet,
                                       const negotiation::SectionInfo& section) {
    const auto& value = sheet.brief[section.section];
    std::vector<std::string> lines;
    if (!value) return lines;
    if (section.section == negotiation::Section::unmet_needs) {
        for (const auto& need : negotiation::parse_needs(*value))
            lines.push_back(need.volume ? fmt::format("{} × {}", need.item, *need.volume)
                                        : need.item);
        return lines;
    }
    std::size_t start = 0;
    for (;;) {
        auto end = value->find('\n', start);
        lines.push_back(value->substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

}  // namespace fieldbook::render::brief_parts
