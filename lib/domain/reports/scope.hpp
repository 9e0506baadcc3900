#pragma once
// What every report reads: a period of calendar days (either end open), perhaps one rep, and
// the day it is read on, which ages balances and ends open periods.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/session.hpp"
#include "store/value.hpp"
#include "text/dates.hpp"

namespace fieldbook::reports {

struct Scope {
    std::optional<text::Day> since;
    std::optional<text::Day> until;
    std::optional<std::int64_t> rep_id;
    std::optional<std::string> rep;  // the same rep's handle
    text::Day today;
};

// SQL conditions and their values, built up in the order they appear in the statement.
class Conditions {
  public:
    // `column` between since and until, each end when given.
    void period(const std::string& column, const Scope& scope);
    void rep(const std::string& column, const Scope& scope);
    const std::string& sql() const { return sql_; }
    // The values of sql()'s `?`, in order.
    const store::Values& values() const { return values_; }

  private:
    std::string sql_;
    store::Values values_;
};

// Whole days from `from` to `to` (stored YYYY-MM-DD days); negative when `to` is earlier.
std::int64_t days_between(const std::string& from, const std::string& to);

// A percentage of a whole, or nothing when the whole is zero.
std::optional<double> percent(std::int64_t part, std::int64_t whole);

}  // namespace fieldbook::reports
