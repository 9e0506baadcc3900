#include "domain/reports/scope.hpp"

namespace fieldbook::reports {

void Conditions::period(const std::string& column, const Scope& scope) {
    if (scope.since) {
        sql_ += " AND " + column + " >= ?";
        values_.emplace_back(text::format_day(*scope.since));
    }
    if (scope.until) {
        sql_ += " AND " + column + " <= ?";
        values_.emplace_back(text::format_day(*scope.until));
    }
}

void Conditions::rep(const std::string& column, const Scope& scope) {
    if (!scope.rep_id) return;
    sql_ += " AND " + column + " = ?";
    values_.emplace_back(*scope.rep_id);
}

std::int64_t days_between(const std::string& from, const std::string& to) {
    return (text::parse_iso_day(to) - text::parse_iso_day(from)).count();
}

std::optional<double> percent(std::int64_t part, std::int64_t whole) {
    if (whole == 0) return std::nullopt;
    return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace fieldbook::reports
