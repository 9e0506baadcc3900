#pragma once
// Reading CSV as spreadsheets write it (RFC 4180): quoted fields may hold commas, doubled
// quotes and line breaks; records end in CRLF or LF; a leading UTF-8 byte order mark (Excel's
// "CSV UTF-8") is skipped. Each record keeps the physical line it starts on, so problems can
// be reported where an editor shows them.
//
// The input is read as a stream, one record at a time, and no field or record is held beyond
// its limit: a file of any size, even one field of hundreds of megabytes, is read in memory
// that does not grow with it.
#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace fieldbook::text {

struct CsvRecord {
    std::size_t line = 0;  // 1-based physical line of the record's first character
    std::vector<std::string> fields;
};

// Beyond these a file is not a table of records typed by people: reading stops there.
struct CsvLimits {
    std::size_t field_bytes = 64 * 1024;
    std::size_t record_bytes = 1024 * 1024;
    std::size_t fields = 1000;  // per record
};

// Malformed input, stopped at `line`: a quote inside an unquoted field, text after a closing
// quote, a quoted field still open at the end of the input, a CR alone outside quotes, or a
// field or record over its limit (`column`, 1-based, says which field when it is one). Nothing
// is guessed: a stray quote usually means a broken export, and guessing would shift every
// later column.
class CsvError : public UsageError {
  public:
    CsvError(std::size_t line, const std::string& problem, std::optional<std::size_t> column = {})
        : UsageError(problem), line_(line), column_(column) {}
    std::size_t line() const { return line_; }
    std::optional<std::size_t> column() const { return column_; }

  private:
    std::size_t line_;
    std::optional<std::size_t> column_;
};

// Records one at a time from a stream. An empty input (or a lone BOM) has none. A blank line
// is a record with one empty field. Bytes are passed through as they are (UTF-8 is the
// caller's check); a CR inside quotes stays in the field, CRLF included.
class CsvReader {
  public:
    explicit CsvReader(std::istream& in, CsvLimits limits = {});
    // The next record; nullopt at the end of the input. Throws CsvError, and SystemError when
    // the stream fails.
    std::optional<CsvRecord> next();

  private:
    bool ensure(std::size_t count);
    int peek(std::size_t ahead = 0);  // the byte `ahead` past the next, -1 past the end
    char take();
    void append(std::string& field, char c, std::size_t column, std::size_t line);
    CsvError lone_cr() const;
    void take_break();
    std::string unquoted(std::size_t column);
    std::string quoted(std::size_t column);

    std::istream& in_;
    CsvLimits limits_;
    std::vector<char> buffer_;
    std::size_t pos_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    bool started_ = false;
    bool seen_line_feed_ = false;
    std::size_t line_ = 1;
    std::size_t record_line_ = 1;
    std::size_t record_bytes_ = 0;
};

// Every record of an in-memory text (tests, small inputs).
std::vector<CsvRecord> read_csv(std::string_view data, CsvLimits limits = {});

}  // namespace fieldbook::text
