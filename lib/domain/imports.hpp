#pragma once
// Bulk import of customers and visits from CSV, as spreadsheets and other stores export them.
// Every row goes through the same domain functions as `customer add` and `visit add`, inside
// one transaction: all rows are checked (each seeing the rows before it) and then kept, or,
// if any row has a problem or this is a dry run, nothing is.
#include <cstddef>
#include <functional>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/reps.hpp"
#include "domain/session.hpp"

namespace fieldbook::imports {

enum class Kind { customers, visits };

// A column the importer knows: its canonical name and the headings accepted for it (English
// variants and the Chinese a spreadsheet would carry). Matching ignores case, width and
// whether words are joined by '_', '-' or a space.
struct Column {
    std::string_view name;
    std::vector<std::string_view> aliases;
    bool required = false;
};

// The columns of each kind, and the derived columns: those an export prints besides the
// fields (its own ids and values computed from visits and orders), which an import skips so
// that a `customer list`, `report customers`, `visit list` or `report visits` CSV file
// imports back into another store.
std::span<const Column> columns(Kind kind);
std::span<const std::string_view> derived_columns(Kind kind);

struct Problem {
    std::size_t line = 0;  // physical line where the record starts
    std::string message;   // "field: problem"
};

// Problems kept to be shown; the rest are only counted.
constexpr std::size_t kProblemsKept = 100;

struct Options {
    bool dry_run = false;
    // Create customers that look like existing ones (as `visit add --new`); a name equal to a
    // known one after normalisation is still that customer.
    bool allow_lookalikes = false;
    // Who logged a visit whose row names no rep.
    std::optional<reps::Rep> default_rep;
    // The opening script a visit's `script` names, as the caller knows them (NotFound or
    // UsageError when unknown); absent, any text is kept.
    std::function<std::string(std::string_view)> script_name;
};

struct Result {
    std::size_t added = 0;                     // rows written (or that would be, on a dry run)
    std::size_t present = 0;                   // rows already in the store, left as they are
    std::size_t customers_created = 0;         // visits: customers created on the way
    std::size_t problem_count = 0;             // when not 0, nothing was written
    std::vector<Problem> problems;             // the first kProblemsKept of them, by line
    std::vector<std::string> skipped_columns;  // derived columns, as the header names them
};

// Reads `data` as a stream, record by record, in one write transaction: memory does not grow
// with the file (fields and records over text::CsvLimits stop the reading with a problem).
// Malformed CSV stops the reading at its line; every row's problems up to there are collected.
Result run(Session& s, Kind kind, std::istream& data, const Options& options);
// The same for a file's bytes already in memory.
Result run(Session& s, Kind kind, std::string_view data, const Options& options);

}  // namespace fieldbook::imports
