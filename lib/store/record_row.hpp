#pragma once
// One row of a read, its columns found by name, not by position: a query can gain or reorder
// columns without a mapper elsewhere silently reading the wrong one.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.hpp"

namespace fieldbook::store {

class Row {
  public:
    Row(std::shared_ptr<const std::vector<std::string>> columns, Values values);

    // The value of a column; a name the query did not select is a SystemError (a bug, not
    // something a user typed).
    const Value& operator[](std::string_view column) const;
    bool is_null(std::string_view column) const;
    std::int64_t integer(std::string_view column) const;
    double real(std::string_view column) const;
    std::string text(std::string_view column) const;
    std::optional<std::int64_t> optional_integer(std::string_view column) const;
    std::optional<std::string> optional_text(std::string_view column) const;

    const std::vector<std::string>& columns() const { return *columns_; }
    const Values& values() const { return values_; }

  private:
    std::shared_ptr<const std::vector<std::string>> columns_;
    Values values_;
};

}  // namespace fieldbook::store
