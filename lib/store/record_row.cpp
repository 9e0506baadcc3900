#include "store/record_row.hpp"

#include <fmt/format.h>

#include "errors.hpp"

namespace fieldbook::store {
namespace {

[[noreturn]] void wrong_type(std::string_view column, std::string_view wanted) {
    throw SystemError(fmt::format("store: column {} is not {}", column, wanted));
}

}  // namespace

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, Values values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

const Value& Row::operator[](std::string_view column) const {
    for (std::size_t i = 0; i < columns_->size(); ++i)
        if ((*columns_)[i] == column) return values_[i];
    throw SystemError(fmt::format("store: the query has no column {}", column));
}

bool Row::is_null(std::string_view column) const {
    return store::is_null((*this)[column]);
}

std::int64_t Row::integer(std::string_view column) const {
    const Value& v = (*this)[column];
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    wrong_type(column, "an integer");
}

double Row::real(std::string_view column) const {
    const Value& v = (*this)[column];
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    wrong_type(column, "a number");
}

std::string Row::text(std::string_view column) const {
    const Value& v = (*this)[column];
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    wrong_type(column, "text");
}

std::optional<std::int64_t> Row::optional_integer(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return integer(column);
}

std::optional<std::string> Row::optional_text(std::string_view column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
}

}  // namespace fieldbook::store
