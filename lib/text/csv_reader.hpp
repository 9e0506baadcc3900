#pragma once
// Reading CSV as spreadsheets write it (RFC 4180): quoted fields may hold commas, doubled
// quotes and line breaks; records end in CRLF or LF; a leading UTF-8 byte order mark (Excel's
// "CSV UTF-8") is skipped. Each record keeps the physical line it starts on, so problems can
// be reported where an editor shows them.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace fieldbook::text {

struct CsvRecord {
    std::size_t line = 0;  // 1-based physical line of the record's first character
    std::vector<std::string> fields;
};

// Malformed quoting: a quote inside an unquoted field, text after a closing quote, or a
// quoted field still open at the end of the input. Nothing is guessed: a stray quote usually
// means a broken export, and guessing would shift every later column.
class CsvError : public UsageError {
  public:
    CsvError(std::size_t line, const std::string& problem) : UsageError(problem), line_(line) {}
    std::size_t line() const { return line_; }

  private:
    std::size_t line_;
};

// The records in order; an empty input (or a lone BOM) has none. A blank line is a record
// with one empty field. Bytes are passed through as they are (UTF-8 is the caller's check).
std::vector<CsvRecord> read_csv(std::string_view data);

}  // namespace fieldbook::text
