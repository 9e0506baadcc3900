#pragma once
// What every command handler gets: the global options, the config, the store (opened on first
// use, so `--help` and usage errors never touch it), the clock, the team's time zone, the acting
// rep and the output.
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clock.hpp"
#include "config.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "output_file.hpp"
#include "render/rows.hpp"
#include "text/time_zone.hpp"

namespace fieldbook::app {

struct GlobalOptions {
    std::string db;
    std::string as;
    std::string config;
    std::string format;
    std::string output;  // --output FILE; empty (or "-") for standard output
    bool excel = false;  // --excel: CSV for spreadsheets
    std::string color = "auto";
    bool no_input = false;
    bool quiet = false;
    // --lock-timeout: how long a write waits for another command's write to finish.
    double lock_timeout_seconds = store::kDefaultLockTimeoutMs / 1000.0;
};

// The process environment as the program found it, read once in main.
struct Environment {
    std::optional<std::string> db;          // FIELDBOOK_DB
    std::optional<std::string> user;        // FIELDBOOK_USER
    std::optional<std::string> config;      // FIELDBOOK_CONFIG
    std::optional<std::string> now;         // FIELDBOOK_NOW
    std::optional<std::string> tz;          // TZ: the system's time zone, by name
    std::optional<std::string> home;        // HOME
    std::optional<std::string> xdg_data;    // XDG_DATA_HOME
    std::optional<std::string> xdg_config;  // XDG_CONFIG_HOME
    std::optional<std::string> visual;      // VISUAL: the editor, first choice
    std::optional<std::string> editor;      // EDITOR: the editor, second choice
    std::optional<std::string> tmpdir;      // TMPDIR
    bool no_color = false;                  // NO_COLOR set and not empty
    bool stdin_tty = false;
    bool stdout_tty = false;
    bool stderr_tty = false;
    int columns = 0;  // the terminal's width when stdout is one (or COLUMNS), else 0
};

class Context {
    // Declared first so that `out` can be bound to it: a stream whose destination is known only
    // once the options are parsed (open_output).
    std::ostream data_{nullptr};

  public:
    // command_line: the invocation as typed, which the operation log keeps with every change.
    Context(GlobalOptions& options, Environment env, std::vector<std::string> command_line,
            std::istream& in, std::ostream& err);
    ~Context();

    GlobalOptions& options;
    const Environment env;
    std::istream& in;
    std::ostream& out;  // data: standard output or --output FILE, from open_output on
    std::ostream& err;

    // Checks the output options and opens the data's destination. Runs after parsing and
    // before the command, so that a bad combination or an unwritable file stops it first.
    void open_output();
    // Called once the command succeeded: reports any write error, and puts an --output file
    // in place. Without this call (an error), an existing file is left untouched.
    void finish_output();
    // Called when the command failed: what it printed to standard output stays printed (a
    // check lists what it checked, then fails), while an --output file is left untouched.
    void abandon_output() noexcept;

    const Config& config();
    std::filesystem::path db_path();
    std::filesystem::path config_dir();

    // The store, which must exist (a read or write command); fails with a hint to run init.
    Session& session();
    // The store, created when missing (init, demo).
    Session& create_session();
    // The store as it is, never upgraded nor written (db check).
    Session& unchanged_session();
    int lock_timeout_ms() const;
    // Called while an exception is handled: throws the Error that a failure of the store's
    // engine means, from lib/store (the store's own account when it is open: a lock, a full
    // disk, damage...), or rethrows any other exception unchanged.
    [[noreturn]] void rethrow_store_failure();

    // The team's time zone: the config's `timezone`, else the store's (`init --timezone`), else
    // the system's (TZ, else /etc/localtime). The session carries it.
    const text::TimeZone& zone();
    // Re-reads the team's time zone after the store's setting changed.
    void apply_timezone();
    const Clock& clock();
    text::Day today();
    // The rep acting: --as, FIELDBOOK_USER, config `me`, the store's owner, or the only rep.
    reps::Rep actor();
    // The same, or none while no rep is registered: the team's first rep needs nobody's leave.
    std::optional<reps::Rep> actor_if_team();

    render::Format format();
    // Width to wrap prose to: the terminal's, else 80.
    int text_width() const { return env.columns > 0 ? env.columns : 80; }
    std::unique_ptr<render::RowWriter> row_writer();
    bool color();
    // Whether the data goes to a terminal: standard output's, or an --output that is one.
    bool output_is_terminal() const;
    // Whether --output names this file (by any path or link).
    bool output_is(const std::filesystem::path& file) const;
    bool can_prompt() const { return env.stdin_tty && !options.no_input; }
    // Asks one line on stderr; an empty answer takes the default.
    std::string prompt(std::string_view question, std::string_view default_answer = {});
    bool confirm(std::string_view question);
    // A message for people (stderr), silenced by --quiet.
    void note(std::string_view message);

    // On a team server, the rep this connection logs in as (none on a store file, or for a
    // login that is no rep, such as the database's owner); --as naming another is refused.
    std::optional<reps::Rep> login_rep();

  private:
    Session& open(bool create, bool upgrade);
    reps::Rep find_actor();
    void refuse_output_onto_store();
    text::TimeZone team_zone(store::Store* store);

    std::vector<std::string> command_line_;
    std::optional<Config> config_;
    // Assigned in place when the zone is re-read, so that the session's reference follows.
    std::optional<text::TimeZone> zone_;
    std::unique_ptr<Clock> clock_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<UuidGenerator> uuids_;
    std::unique_ptr<Session> session_;
    std::unique_ptr<OutputFile> output_;
    int workbooks_ = 0;
};

}  // namespace fieldbook::app
