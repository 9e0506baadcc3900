#include "context.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>

#include "domain/write_rule.hpp"
#include "errors.hpp"
#include "store/failure.hpp"
#include "store/location.hpp"
#include "store/sync/sync.hpp"
#include "text/dates.hpp"
#include "text/unicode.hpp"

namespace fieldbook::app {

namespace fs = std::filesystem;

Context::Context(GlobalOptions& opts, Environment environment,
                 std::vector<std::string> command_line, std::istream& input, std::ostream& error)
    : options(opts),
      env(std::move(environment)),
      in(input),
      out(data_),
      err(error),
      command_line_(std::move(command_line)) {}

Context::~Context() = default;

const Config& Context::config() {
    if (!config_) {
        if (!options.config.empty())
            config_ = load_config(options.config, true);
        else if (env.config && !env.config->empty())
            config_ = load_config(*env.config, true);
        else
            config_ = load_config(config_dir() / "config.toml", false);
    }
    return *config_;
}

fs::path Context::config_dir() {
    if (env.xdg_config && !env.xdg_config->empty()) return fs::path(*env.xdg_config) / "fieldbook";
    if (env.home) return fs::path(*env.home) / ".config" / "fieldbook";
    throw UsageError("cannot find a config directory: set HOME or XDG_CONFIG_HOME");
}

fs::path Context::db_path() {
    if (!options.db.empty()) return options.db;
    if (env.db && !env.db->empty()) return *env.db;
    if (config().db) {
        // As in a shell: ~ is the home directory; a relative path is beside the config file.
        fs::path configured = *config().db;
        std::string text = configured.string();
        if (store::is_server_url(text)) return text;
        if ((text == "~" || text.rfind("~/", 0) == 0) && env.home)
            return fs::path(*env.home) / text.substr(std::min<std::size_t>(2, text.size()));
        if (configured.is_relative()) return config().source.parent_path() / configured;
        return configured;
    }
    if (env.xdg_data && !env.xdg_data->empty())
        return fs::path(*env.xdg_data) / "fieldbook" / "fieldbook.db";
    if (env.home) return fs::path(*env.home) / ".local" / "share" / "fieldbook" / "fieldbook.db";
    throw UsageError("cannot find a place for the store: pass --db PATH or set HOME");
}

Session& Context::session() {
    return open(false, true);
}
Session& Context::create_session() {
    return open(true, true);
}
Session& Context::unchanged_session() {
    return open(false, false);
}

int Context::lock_timeout_ms() const {
    return static_cast<int>(options.lock_timeout_seconds * 1000.0 + 0.5);
}

void Context::rethrow_store_failure() {
    if (store_) store_->rethrow_failure();
    store::rethrow_failure({.file = db_path(), .lock_timeout_ms = lock_timeout_ms()});
}

Session& Context::open(bool create, bool upgrade) {
    if (session_) return *session_;
    fs::path path = db_path();
    store::OpenOptions how{.lock_timeout_ms = lock_timeout_ms(), .upgrade = upgrade};
    store_ = std::make_unique<store::Store>(store::Store::open(path.string(), how, create));
    if (store_->caveat()) note(fmt::format("warning: {}", *store_->caveat()));
    zone_ = team_zone(store_.get());
    if (options.format == "xlsx")
        store_->refuse_writes(
            "--format xlsx is for commands that list rows; this one records something");
    uuids_ = std::make_unique<UuidGenerator>(clock());
    // A laptop that pulled changes stamped later than its clock stamps its own after them.
    if (!create)
        if (auto seen = store::sync::seen_clock(*store_)) uuids_->observe(*seen);
    session_ = std::make_unique<Session>(Session{*store_, clock(), *uuids_, *zone_});
    // One id per invocation, drawn apart from the records' ids so that it shifts none of them.
    // The command line goes into the log, which others read (and sync carries): never a
    // password given in a server URL.
    std::vector<std::string> logged_argv;
    for (const auto& argument : command_line_)
        logged_argv.push_back(store::redacted_argument(argument));
    session_->author = {.command_uuid = UuidGenerator(clock()).next(), .argv = logged_argv};
    // A mistyped --as is an error on every command, not only on those that write.
    if (!create && !options.as.empty()) reps::require(*session_, options.as, "--as");
    if (!create) login_rep();
    return *session_;
}

// The team's day is the one in its time zone: the config's, else the store's (set by
// `init --timezone`), else the system's. Before the store is open (FIELDBOOK_NOW is read when
// the session is made, after it), only the config and the system's count.
text::TimeZone Context::team_zone(store::Store* store) {
    if (config().timezone) return text::TimeZone::named(*config().timezone, "config timezone");
    if (store) {
        if (auto name = store->meta("timezone")) {
            try {
                return text::TimeZone::named(*name, "store timezone");
            } catch (const UsageError& e) {
                // A zone this machine's tz database does not know (an older tzdata than the
                // store's maker had): the config's setting comes first and gets round it.
                throw UsageError(e.what(), "set `timezone` in the config file");
            }
        }
    }
    return text::TimeZone::system(env.tz);
}

const text::TimeZone& Context::zone() {
    if (!zone_) zone_ = team_zone(store_.get());
    return *zone_;
}

void Context::apply_timezone() {
    zone_ = team_zone(&session().store);
}

const Clock& Context::clock() {
    if (!clock_) {
        if (env.now && !env.now->empty())
            clock_ = std::make_unique<FixedClock>(
                text::parse_iso_instant(*env.now, zone(), "FIELDBOOK_NOW"));
        else
            clock_ = std::make_unique<SystemClock>();
    }
    return *clock_;
}

text::Day Context::today() {
    return session().today();
}

reps::Rep Context::actor() {
    reps::Rep acting = find_actor();
    // From here on the changes this command makes are logged as the acting rep's, and each
    // is checked against what that rep may change.
    session().author.actor = acting.handle;
    session().tx().guard_with(write_rule::for_actor(acting));
    return acting;
}

// On a team server a rep logs in as themself: what they read and do is theirs, and --as
// cannot make it someone else's.
std::optional<reps::Rep> Context::login_rep() {
    Session& s = *session_;
    auto login = s.store.login_role();
    if (!login) return std::nullopt;
    auto rep = reps::find(s, *login);
    if (!rep) return std::nullopt;
    if (!options.as.empty() && reps::require(s, options.as, "--as").id != rep->id)
        throw UsageError(
            fmt::format("--as: this server connection is {}'s, not {}'s", rep->handle, options.as),
            fmt::format("connect as {} to act as them", options.as));
    return rep;
}

reps::Rep Context::find_actor() {
    Session& s = session();
    if (auto rep = login_rep()) return *rep;
    if (!options.as.empty()) return reps::require(s, options.as, "--as");
    if (env.user && !env.user->empty()) return reps::require(s, *env.user, "FIELDBOOK_USER");
    if (config().me) return reps::require(s, *config().me, "config me");
    if (auto owner = s.store.meta("owner")) return reps::require(s, *owner, "store owner");
    auto team = reps::list(s, false);
    if (team.size() == 1) return team.front();
    std::vector<std::string> handles;
    for (auto& r : team) handles.push_back(r.handle);
    if (handles.empty())
        throw UsageError("no rep is registered in this store",
                         "run `fieldbook init --me HANDLE --name NAME`");
    throw UsageError(
        fmt::format("who is acting? pass --as HANDLE (known: {})", fmt::join(handles, ", ")),
        "or set FIELDBOOK_USER, or `me` in the config file");
}

std::optional<reps::Rep> Context::actor_if_team() {
    if (reps::list(session(), true).empty()) return std::nullopt;
    return actor();
}

render::Format Context::format() {
    return options.format.empty() ? render::Format::table : render::parse_format(options.format);
}

std::unique_ptr<render::RowWriter> Context::row_writer() {
    const render::Format f = format();
    // Two workbooks back to back in one file would be no workbook at all.
    if (f == render::Format::xlsx && ++workbooks_ > 1)
        throw Error("this command prints more than one listing, and an xlsx file holds one",
                    "use --format csv or json");
    return render::make_row_writer(f, out, {.color = color(), .excel = options.excel});
}

bool Context::output_is_terminal() const {
    return output_ ? output_->is_terminal() : env.stdout_tty;
}

bool Context::output_is(const fs::path& file) const {
    if (options.output.empty() || options.output == "-") return false;
    auto resolved = [](const fs::path& p) {
        std::error_code ec;
        fs::path r = fs::weakly_canonical(p, ec);
        return ec ? fs::absolute(p) : r;
    };
    std::error_code ec;
    return resolved(options.output) == resolved(file) || fs::equivalent(options.output, file, ec);
}

// Renaming a listing over the store (or its WAL) would destroy it without a word.
void Context::refuse_output_onto_store() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::path file = db_path();
        file += suffix;
        if (output_is(file))
            throw UsageError(
                fmt::format("--output {} is the store's own file; writing there would destroy it",
                            options.output),
                "choose another file name");
    }
}

void Context::open_output() {
    const bool to_stdout = options.output.empty() || options.output == "-";
    // Reports with formats of their own (meeting report: txt, md, ...) check --format
    // themselves, so only the combinations that concern the destination are checked here.
    if (options.excel && options.format != "csv")
        throw UsageError("--excel goes with --format csv",
                         "--format csv --excel writes CSV for spreadsheets; --format xlsx "
                         "--output FILE.xlsx writes a workbook");
    const bool xlsx = options.format == "xlsx";
    if (xlsx && to_stdout)
        throw UsageError("--format xlsx writes a workbook file, not text",
                         "add --output FILE.xlsx, or choose a text format such as json or html");
    if (!to_stdout) refuse_output_onto_store();
    output_ = to_stdout ? OutputFile::standard_output() : OutputFile::open(options.output);
    if (xlsx && output_->is_terminal())
        throw UsageError(fmt::format("--format xlsx: {} is a terminal", options.output),
                         "give --output a file name, such as visits.xlsx");
    data_.rdbuf(output_->buffer());
}

void Context::finish_output() {
    if (!output_) return;
    if (options.format == "xlsx" && workbooks_ == 0)
        throw Error("this command prints no listing to put in an xlsx workbook",
                    "--format xlsx works with commands that list rows");
    data_.flush();
    output_->commit();
}

void Context::abandon_output() noexcept {
    if (!output_) return;
    if (options.output.empty() || options.output == "-") data_.flush();
    data_.rdbuf(nullptr);
    output_.reset();
}

bool Context::color() {
    if (options.color == "always") return true;
    if (options.color == "never") return false;
    return output_is_terminal() && !env.no_color;
}

std::string Context::prompt(std::string_view question, std::string_view default_answer) {
    out.flush();
    if (default_answer.empty())
        err << question << ": ";
    else
        err << question << " [" << default_answer << "]: ";
    err.flush();
    std::string line;
    if (!std::getline(in, line))
        throw UsageError(fmt::format("{}: no answer (input ended)", question));
    std::string answer = text::clean_input(line, question);
    if (text::match_key(answer).empty()) return std::string(default_answer);
    return answer;
}

bool Context::confirm(std::string_view question) {
    std::string answer = text::match_key(prompt(fmt::format("{} (y/N)", question), "n"));
    return answer == "y" || answer == "yes" || answer == "是";
}

void Context::note(std::string_view message) {
    if (options.quiet) return;
    // Data is buffered; on a shared terminal the listing must come before the note about it.
    out.flush();
    err << message << '\n';
}

}  // namespace fieldbook::app
