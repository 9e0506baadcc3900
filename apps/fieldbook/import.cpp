// fieldbook import: customers and visits from CSV, all or nothing, problems by line.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "commands.hpp"
#include "domain/imports.hpp"
#include "domain/scripts.hpp"
#include "errors.hpp"
#include "templates.hpp"

namespace fieldbook::app {
namespace {

struct ImportOptions {
    std::string file;
    bool dry_run = false;
    bool allow_lookalikes = false;
};

std::string read_all(Context& ctx, const std::string& file) {
    std::ostringstream data;
    if (file == "-") {
        data << ctx.in.rdbuf();
        return data.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw SystemError(fmt::format("import: cannot read {}: {}", file, std::strerror(EISDIR)));
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw SystemError(fmt::format("import: cannot read {}: {}", file, std::strerror(errno)));
    data << in.rdbuf();
    if (in.bad()) throw SystemError(fmt::format("import: cannot read {}", file));
    return data.str();
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

void run_import(Context& ctx, imports::Kind kind, const ImportOptions& o) {
    std::string label = o.file == "-" ? "stdin" : o.file;
    if (o.file != "-" && ctx.output_is(o.file))
        throw UsageError(fmt::format("--output {} is the file being imported", ctx.options.output),
                         "choose another file name");
    std::string data = read_all(ctx, o.file);
    Session& s = ctx.session();
    imports::Options options{.dry_run = o.dry_run, .allow_lookalikes = o.allow_lookalikes};
    std::optional<std::vector<scripts::Script>> known_scripts;
    if (kind == imports::Kind::visits) {
        options.default_rep = ctx.actor();
        // The same names `visit add --script` takes, read only when a row names a script.
        options.script_name = [&](std::string_view name) {
            if (!known_scripts) known_scripts = load_scripts(ctx);
            return scripts::find(*known_scripts, name).name;
        };
    }
    auto result = imports::run(s, kind, data, options);
    if (!result.problems.empty()) {
        for (const auto& p : result.problems)
            ctx.err << fmt::format("{}:{}: {}\n", label, p.line, p.message);
        throw UsageError(fmt::format("import: {} in {}, nothing imported",
                                     count(result.problems.size(), "problem", "problems"), label));
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
        "kind and note) is left alone, so importing a file twice adds nothing the second time.");
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
