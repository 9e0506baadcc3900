// fieldbook import: customers and visits from CSV, all or nothing, problems by line.
#include <fmt/format.h>
#include <malloc.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "commands.hpp"
#include "domain/imports.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"
#include "templates.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {
namespace {

struct ImportOptions {
    std::string file;
    bool dry_run = false;
    bool allow_lookalikes = false;
};

// The file as a stream: an import reads it record by record, never whole.
std::unique_ptr<std::istream> open_input(const std::string& file) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw SystemError(fmt::format("import: cannot read {}: {}", file, std::strerror(EISDIR)));
    auto in = std::make_unique<std::ifstream>(file, std::ios::binary);
    if (!*in)
        throw SystemError(fmt::format("import: cannot read {}: {}", file, std::strerror(errno)));
    return in;
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

void run_import(Context& ctx, imports::Kind kind, const ImportOptions& o) {
    std::string label = o.file == "-" ? "stdin" : text::printable(o.file);
    if (o.file != "-" && ctx.output_is(o.file))
        throw UsageError(fmt::format("--output {} is the file being imported", ctx.options.output),
                         "choose another file name");
    // An import runs tens of thousands of statements in one transaction, and SQLite takes and
    // gives back a page-cache block (~85 KiB) around many of them. With the file no longer
    // held in memory that block sits at the top of the heap, and glibc's default (128 KiB)
    // would hand it back to the system and ask for it again each time: four times slower.
    // Memory stays the same; it is only kept instead of returned between statements.
    ::mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
    std::unique_ptr<std::istream> file;
    if (o.file != "-") file = open_input(o.file);
    std::istream& data = file ? *file : ctx.in;
    Session& s = ctx.session();
    imports::Options options{.dry_run = o.dry_run, .allow_lookalikes = o.allow_lookalikes};
    std::optional<std::vector<scripts::Script>> known_scripts;
    // Whoever imports is the import's author, in the log and for undo.
    auto importer = ctx.actor_if_team();
    if (kind == imports::Kind::visits) {
        if (!importer) importer = ctx.actor();  // a visit needs a rep: says none is registered
        options.default_rep = *importer;
        // The same names `visit add --script` takes, read only when a row names a script.
        options.script_name = [&](std::string_view name) {
            if (!known_scripts) known_scripts = load_scripts(ctx);
            return scripts::find(*known_scripts, name).name;
        };
    }
    auto result = imports::run(s, kind, data, options);
    if (result.problem_count > 0) {
        for (const auto& p : result.problems)
            ctx.err << fmt::format("{}:{}: {}\n", label, p.line, text::printable(p.message));
        if (result.problem_count > result.problems.size())
            ctx.err << fmt::format(
                "{}: ... and {} more {}\n", label, result.problem_count - result.problems.size(),
                result.problem_count - result.problems.size() == 1 ? "problem" : "problems");
        throw UsageError(fmt::format("import: {} in {}, nothing imported",
                                     count(result.problem_count, "problem", "problems"), label));
    }
    // Said once the file is read without a problem; with problems, they are what matters.
    if (!result.skipped_columns.empty()) {
        std::string names;
        for (const auto& name : result.skipped_columns)
            names += fmt::format("{}{}", names.empty() ? "" : ", ", text::printable(name));
        ctx.note(fmt::format(
            "{}: skipped derived columns (an export's ids and computed values): {}", label, names));
    }
    bool customers = kind == imports::Kind::customers;
    std::string what = customers ? count(result.added, "new customer", "new customers")
                                 : count(result.added, "new visit", "new visits");
    if (!customers && result.customers_created > 0)
        what +=
            fmt::format(" ({})", count(result.customers_created, "new customer", "new customers"));
    what += fmt::format(", {} already present", result.present);
    if (o.dry_run)
        ctx.note(fmt::format("dry run: {} has {}; nothing written", label, what));
    else
        ctx.note(fmt::format("imported {}: {}", label, what));
}

// The column names, from the importer's own table so that help cannot drift from it.
std::string column_list(imports::Kind kind) {
    std::string list;
    for (const auto& column : imports::columns(kind))
        list += fmt::format("{}{}{}", list.empty() ? "" : ", ", column.name,
                            column.required ? " (required)" : "");
    return list;
}

void add_kind(CLI::App* group, Context& ctx, imports::Kind kind, const std::string& name,
              const std::string& description, const std::string& identity) {
    auto o = std::make_shared<ImportOptions>();
    auto* cmd = group->add_subcommand(name, description);
    cmd->add_option("file", o->file, "The CSV file (UTF-8, header row first); - reads stdin")
        ->required();
    cmd->add_flag("--dry-run", o->dry_run,
                  "Check every row and say what would be imported; write nothing");
    cmd->add_flag("--new", o->allow_lookalikes,
                  "Create customers even when they look like existing ones (a name equal to a "
                  "known one is still that customer)");
    cmd->footer(
        fmt::format("Columns: {}.\nChinese headings and other names for them: see "
                    "fieldbook-import(1).\n{}",
                    column_list(kind), identity));
    cmd->callback([&ctx, kind, o] { run_import(ctx, kind, *o); });
}

}  // namespace

void setup_import(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand(
        "import", "Import customers or visits from CSV: all rows or none, problems by line");
    group->require_subcommand(1);
    group->footer(
        "Columns are named in the header row, in English or Chinese (客户, 楼宇, 楼层, 房间, "
        "行业, 人数, 负责人, 日期, 结果, 备注, ...); see fieldbook-import(1).\n"
        "A row already in the store (the same customer name; for a visit, one from before the "
        "import by the same rep at the same customer in the same minute, with the same outcome, "
        "kind and note) is left alone, so importing a file twice adds nothing the second time.\n"
        "What list, show and report commands print with --format csv imports back: their "
        "derived columns (ids, counts, revenue) are skipped and named. A field over 64 KiB or a "
        "record over 1 MiB stops the import at its line; of many problems the first 100 are "
        "listed, then the count.");
    add_kind(group, ctx, imports::Kind::customers, "customers",
             "Import customers (name required; building, floor, room, industry, owner, ...)",
             "A customer whose name is already in the store is left as it is.");
    add_kind(group, ctx, imports::Kind::visits, "visits",
             "Import visits (customer, date and outcome required; unknown customers are "
             "created)",
             "A visit by the same rep at the same customer in the same minute, with the same "
             "outcome, kind and note, as one in the store before the import is left as it is.");
}

}  // namespace fieldbook::app
