// fieldbook: field-sales record keeping from the terminal.
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "context.hpp"
#include "errors.hpp"
#include "output_file.hpp"
#include "text/unicode.hpp"

namespace {

using namespace fieldbook;

std::optional<std::string> getenv_string(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

app::Environment read_environment() {
    app::Environment env;
    env.db = getenv_string("FIELDBOOK_DB");
    env.user = getenv_string("FIELDBOOK_USER");
    env.config = getenv_string("FIELDBOOK_CONFIG");
    env.now = getenv_string("FIELDBOOK_NOW");
    env.tz = getenv_string("TZ");
    env.home = getenv_string("HOME");
    env.xdg_data = getenv_string("XDG_DATA_HOME");
    env.xdg_config = getenv_string("XDG_CONFIG_HOME");
    env.visual = getenv_string("VISUAL");
    env.editor = getenv_string("EDITOR");
    env.tmpdir = getenv_string("TMPDIR");
    auto no_color = getenv_string("NO_COLOR");
    env.no_color = no_color && !no_color->empty();
    env.stdin_tty = ::isatty(STDIN_FILENO) == 1;
    env.stdout_tty = ::isatty(STDOUT_FILENO) == 1;
    env.stderr_tty = ::isatty(STDERR_FILENO) == 1;
    winsize size{};
    if (env.stdout_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        env.columns = size.ws_col;
    else if (auto columns = getenv_string("COLUMNS"))
        env.columns = std::atoi(columns->c_str());
    return env;
}

void add_global_options(CLI::App& cli, app::GlobalOptions& options) {
    auto* global = "Global options";
    cli.add_option("--db", options.db, "Store file (env FIELDBOOK_DB, config db)")->group(global);
    cli.add_option("--as", options.as, "Act as this rep handle (env FIELDBOOK_USER, config me)")
        ->group(global);
    cli.add_option("--config", options.config,
                   "Config file (env FIELDBOOK_CONFIG; default "
                   "$XDG_CONFIG_HOME/fieldbook/config.toml)")
        ->group(global);
    cli.add_option("--format", options.format,
                   "Output of listings: table, csv, tsv, json, md, html or xlsx (with --output)")
        ->group(global);
    cli.add_option("--output", options.output,
                   "Write the data to FILE instead of standard output; FILE is replaced only "
                   "when the command succeeds")
        ->type_name("FILE")
        ->group(global);
    cli.add_flag("--excel", options.excel,
                 "With --format csv: CSV for spreadsheets (byte order mark, formula-like text "
                 "quoted with ')")
        ->group(global);
    cli.add_option("--color", options.color,
                   "Colour: auto (on a terminal, unless NO_COLOR), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->group(global);
    cli.add_flag("--no-input", options.no_input, "Never prompt; fail on what is missing")
        ->group(global);
    cli.add_flag("-q,--quiet", options.quiet, "Print no messages, only data")->group(global);
    cli.add_option("--lock-timeout", options.lock_timeout_seconds,
                   "Seconds a write waits for another fieldbook command writing to the store "
                   "(default 15)")
        ->type_name("SECONDS")
        ->check(CLI::Range(0.0, 86400.0))
        ->group(global);
}

int report(app::Context& ctx, const Error& e) {
    ctx.abandon_output();
    // Messages quote what was typed or read; it is shown, never obeyed by the terminal.
    std::cerr << "fieldbook: error: " << text::printable(e.what()) << '\n';
    if (!e.hint().empty()) std::cerr << "hint: " << text::printable(e.hint()) << '\n';
    return e.exit_code();
}

std::string known_commands(CLI::App& app) {
    std::string known;
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
        known += (known.empty() ? "" : ", ") + sub->get_name();
    return known;
}

// CLI11 reports a mistyped command as "A subcommand is required"; name the word instead.
std::optional<std::string> unknown_command(CLI::App& cli, int argc, char** argv) {
    CLI::App* app = &cli;
    std::string path = "fieldbook";
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (word.rfind("-", 0) == 0) {
            const CLI::Option* option = app->get_option_no_throw(word);
            if (option == nullptr) option = cli.get_option_no_throw(word);
            bool takes_value = option != nullptr && option->get_items_expected_max() > 0;
            if (takes_value && word.find('=') == std::string::npos) ++i;
            continue;
        }
        CLI::App* next = nullptr;
        for (CLI::App* sub : app->get_subcommands([](CLI::App*) { return true; }))
            if (sub->check_name(word)) next = sub;
        if (next == nullptr) {
            if (app->get_require_subcommand_min() == 0) return std::nullopt;
            return "unknown command '" + word + "' for " + path +
                   " (commands: " + known_commands(*app) + ")";
        }
        app = next;
        path += " " + word;
    }
    if (app->get_require_subcommand_min() == 0) return std::nullopt;
    return path + " needs a command (" + known_commands(*app) + ")";
}

// --help and --version are output like any other: a write that fails (a full disk, /dev/full)
// is exit 1 with the reason, not a silent 0.
int print_requested(CLI::App& cli, const CLI::Error& request) {
    auto out = OutputFile::standard_output();
    std::ostream stream(out->buffer());
    const int code = cli.exit(request, stream, std::cerr);
    stream.flush();
    try {
        out->commit();
    } catch (const Error& e) {
        std::cerr << "fieldbook: error: " << e.what() << '\n';
        return 1;
    }
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    // Whatever the umask, what fieldbook creates (store, backups, exports) is the user's alone.
    ::umask(077);

    CLI::App cli{
        "fieldbook: field-sales record keeping for door-to-door teams.\n"
        "Log visits floor by floor, follow up prospects, run the end-of-day meeting.",
        "fieldbook"};
    cli.set_version_flag("--version", FIELDBOOK_VERSION);
    cli.require_subcommand(1);
    cli.fallthrough();  // global options are accepted after the subcommand too
    cli.footer(
        "Exit status: 0 success, 1 failure (store, I/O, not found), 2 usage or invalid "
        "input (nothing written).\nSee fieldbook(1) and `fieldbook COMMAND --help`.");

    app::GlobalOptions options;
    add_global_options(cli, options);
    app::Context ctx(options, read_environment(), std::vector<std::string>(argv, argv + argc),
                     std::cin, std::cerr);
    // After parsing, before the command runs: a bad --output stops it before it writes.
    cli.parse_complete_callback([&ctx] { ctx.open_output(); });

    app::setup_init(cli, ctx);
    app::setup_rep(cli, ctx);
    app::setup_customer(cli, ctx);
    app::setup_contact(cli, ctx);
    app::setup_visit(cli, ctx);
    app::setup_followup(cli, ctx);
    app::setup_meeting(cli, ctx);
    app::setup_order(cli, ctx);
    app::setup_rank(cli, ctx);
    app::setup_report(cli, ctx);
    app::setup_import(cli, ctx);
    app::setup_demo(cli, ctx);
    app::setup_log(cli, ctx);
    app::setup_undo(cli, ctx);
    app::setup_db(cli, ctx);
    app::setup_server(cli, ctx);
    app::setup_sync(cli, ctx);

    // The one place errors become messages and exit codes.
    try {
        cli.parse(argc, argv);
        // Commands run inside parse; only a command that succeeded gets its output committed.
        ctx.finish_output();
        return 0;
    } catch (const CLI::CallForHelp& e) {
        return print_requested(cli, e);
    } catch (const CLI::CallForAllHelp& e) {
        return print_requested(cli, e);
    } catch (const CLI::CallForVersion& e) {
        return print_requested(cli, e);
    } catch (const CLI::ParseError& e) {
        std::string message = unknown_command(cli, argc, argv).value_or(e.what());
        std::cerr << "fieldbook: error: " << text::printable(message) << "\n"
                  << "hint: see `fieldbook --help` or `fieldbook COMMAND --help`\n";
        return 2;
    } catch (const Error& e) {
        return report(ctx, e);
    } catch (const std::exception&) {
        // The store's engine failing outside Store::read/write (opening the store): lib/store
        // says what that means; anything else is reported as it is.
        try {
            ctx.rethrow_store_failure();
        } catch (const Error& meaning) {
            return report(ctx, meaning);
        } catch (const std::exception& e) {
            ctx.abandon_output();
            std::cerr << "fieldbook: error: " << e.what() << '\n';
            return 1;
        }
    }
}
