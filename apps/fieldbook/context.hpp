#pragma once
// What every command handler gets: the global options, the config, the store (opened on first
// use, so `--help` and usage errors never touch it), the clock, the acting rep and the output.
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "clock.hpp"
#include "config.hpp"
#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "text/rows.hpp"

namespace fieldbook::app {

struct GlobalOptions {
    std::string db;
    std::string as;
    std::string config;
    std::string format;
    std::string color = "auto";
    bool no_input = false;
    bool quiet = false;
};

// The process environment as the program found it, read once in main.
struct Environment {
    std::optional<std::string> db;          // FIELDBOOK_DB
    std::optional<std::string> user;        // FIELDBOOK_USER
    std::optional<std::string> config;      // FIELDBOOK_CONFIG
    std::optional<std::string> now;         // FIELDBOOK_NOW
    std::optional<std::string> home;        // HOME
    std::optional<std::string> xdg_data;    // XDG_DATA_HOME
    std::optional<std::string> xdg_config;  // XDG_CONFIG_HOME
    bool no_color = false;                  // NO_COLOR set and not empty
    bool stdin_tty = false;
    bool stdout_tty = false;
    bool stderr_tty = false;
    int columns = 0;  // the terminal's width when stdout is one (or COLUMNS), else 0
};

class Context {
  public:
    Context(GlobalOptions& options, Environment env, std::istream& in, std::ostream& out,
            std::ostream& err);
    ~Context();

    GlobalOptions& options;
    const Environment env;
    std::istream& in;
    std::ostream& out;
    std::ostream& err;

    const Config& config();
    std::filesystem::path db_path();
    std::filesystem::path config_dir();

    // The store, which must exist (a read or write command); fails with a hint to run init.
    Session& session();
    // The store, created when missing (init, demo).
    Session& create_session();

    // Re-reads the team's time zone after the store's setting changed.
    void apply_timezone();
    const Clock& clock();
    text::Day today();
    // The rep acting: --as, FIELDBOOK_USER, config `me`, the store's owner, or the only rep.
    reps::Rep actor();

    text::Format format();
    // Width to wrap prose to: the terminal's, else 80.
    int text_width() const { return env.columns > 0 ? env.columns : 80; }
    std::unique_ptr<text::RowWriter> row_writer();
    bool color();
    bool can_prompt() const { return env.stdin_tty && !options.no_input; }
    // Asks one line on stderr; an empty answer takes the default.
    std::string prompt(std::string_view question, std::string_view default_answer = {});
    bool confirm(std::string_view question);
    // A message for people (stderr), silenced by --quiet.
    void note(std::string_view message);

  private:
    Session& open(bool create);
    void apply_timezone(store::Store& store);

    std::optional<Config> config_;
    std::unique_ptr<Clock> clock_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<UuidGenerator> uuids_;
    std::unique_ptr<Session> session_;
};

}  // namespace fieldbook::app
