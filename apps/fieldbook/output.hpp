#pragma once
// Turning domain values into cells, and printing one record (`show`) in any format.
#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "context.hpp"
#include "render/rows.hpp"

namespace fieldbook::app {

inline render::Cell cell(const std::optional<std::string>& v) {
    return v;
}
inline render::Cell cell(const std::string& v) {
    return v;
}
inline render::Cell cell(std::int64_t v) {
    return std::to_string(v);
}
inline render::Cell cell(const std::optional<std::int64_t>& v) {
    return v ? std::optional(std::to_string(*v)) : std::nullopt;
}
inline render::Cell cell(bool v) {
    return std::string(v ? "yes" : "no");
}
// Shares, rates and medians: one decimal, absent when there is nothing to divide.
inline render::Cell one_decimal(const std::optional<double>& v) {
    return v ? std::optional(fmt::format("{:.1f}", *v)) : std::nullopt;
}

using Field = std::pair<render::Column, render::Cell>;

// For people, one "field  value" line each; for machines, one row (CSV) or one object (JSON).
void print_record(Context& ctx, const std::vector<Field>& fields);

}  // namespace fieldbook::app
