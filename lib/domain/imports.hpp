#pragma once
// Bulk import of customers and visits from CSV, as spreadsheets and other stores export them.
// Every row goes through the same domain functions as `customer add` and `visit add`, inside
// one transaction: all rows are checked (each seeing the rows before it) and then kept, or,
// if any row has a problem or this is a dry run, nothing is.
#include <cstddef>
#include <functional>
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

// The columns of each kind, and those read but not imported (an export's own ids and
// computed columns, so that a `list --format csv` file imports back).
std::span<const Column> columns(Kind kind);
std::span<const std::string_view> ignored_columns(Kind kind);

struct Problem {
    std::size_t line = 0;  // physical line where the record starts
    std::string message;   // "field: problem"
};

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
    std::size_t added = 0;              // rows written (or that would be, on a dry run)
    std::size_t present = 0;            // rows already in the store, left as they are
    std::size_t customers_created = 0;  // visits: customers created on the way
    std::vector<Problem> problems;      // when not empty, nothing was written
};

// `data` is the file's bytes. Malformed CSV stops the reading at its line (one problem);
// otherwise every row's problems are collected.
Result run(Session& s, Kind kind, std::string_view data, const Options& options);

}  // namespace fieldbook::imports
