#include "store/postgres/pg_connection.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

namespace fieldbook::store::postgres {
namespace {

// libpq is opened when a command first connects to a server, not when fieldbook starts: linked
// in, it and the libraries it needs (Kerberos, LDAP, GnuTLS...) would make the dynamic loader
// relocate some ten million instructions' worth of symbols at every start of every command,
// most of which only ever open a store file. The table is filled once and never changes: the
// loader's own bookkeeping, not state of fieldbook's.
struct Libpq {
    decltype(&::PQclear) PQclear;
    decltype(&::PQcmdTuples) PQcmdTuples;
    decltype(&::PQconnectdbParams) PQconnectdbParams;
    decltype(&::PQconninfoFree) PQconninfoFree;
    decltype(&::PQconninfoParse) PQconninfoParse;
    decltype(&::PQdb) PQdb;
    decltype(&::PQerrorMessage) PQerrorMessage;
    decltype(&::PQexec) PQexec;
    decltype(&::PQexecParams) PQexecParams;
    decltype(&::PQfinish) PQfinish;
    decltype(&::PQfname) PQfname;
    decltype(&::PQfreemem) PQfreemem;
    decltype(&::PQftype) PQftype;
    decltype(&::PQgetResult) PQgetResult;
    decltype(&::PQgetisnull) PQgetisnull;
    decltype(&::PQgetlength) PQgetlength;
    decltype(&::PQgetvalue) PQgetvalue;
    decltype(&::PQhost) PQhost;
    decltype(&::PQnfields) PQnfields;
    decltype(&::PQntuples) PQntuples;
    decltype(&::PQport) PQport;
    decltype(&::PQresultErrorField) PQresultErrorField;
    decltype(&::PQresultErrorMessage) PQresultErrorMessage;
    decltype(&::PQresultStatus) PQresultStatus;
    decltype(&::PQsendQueryParams) PQsendQueryParams;
    decltype(&::PQprepare) PQprepare;
    decltype(&::PQsendQueryPrepared) PQsendQueryPrepared;
    decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
    decltype(&::PQsetSingleRowMode) PQsetSingleRowMode;
    decltype(&::PQstatus) PQstatus;
};

const Libpq& libpq() {
    static const Libpq api = [] {
        void* library = ::dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
        if (!library)
            throw PgError(
                fmt::format("postgres: cannot load the PostgreSQL client library: {}", ::dlerror()),
                "08001", "install it (Debian: apt-get install libpq5)");
        Libpq loaded{};
        auto resolve = [&](auto& function, const char* name) {
            function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(
                ::dlsym(library, name));
            if (!function)
                throw PgError(fmt::format("postgres: libpq.so.5 has no {}", name), "08001");
        };
        resolve(loaded.PQclear, "PQclear");
        resolve(loaded.PQcmdTuples, "PQcmdTuples");
        resolve(loaded.PQconnectdbParams, "PQconnectdbParams");
        resolve(loaded.PQconninfoFree, "PQconninfoFree");
        resolve(loaded.PQconninfoParse, "PQconninfoParse");
        resolve(loaded.PQdb, "PQdb");
        resolve(loaded.PQerrorMessage, "PQerrorMessage");
        resolve(loaded.PQexec, "PQexec");
        resolve(loaded.PQexecParams, "PQexecParams");
        resolve(loaded.PQfinish, "PQfinish");
        resolve(loaded.PQfname, "PQfname");
        resolve(loaded.PQfreemem, "PQfreemem");
        resolve(loaded.PQftype, "PQftype");
        resolve(loaded.PQgetResult, "PQgetResult");
        resolve(loaded.PQgetisnull, "PQgetisnull");
        resolve(loaded.PQgetlength, "PQgetlength");
        resolve(loaded.PQgetvalue, "PQgetvalue");
        resolve(loaded.PQhost, "PQhost");
        resolve(loaded.PQnfields, "PQnfields");
        resolve(loaded.PQntuples, "PQntuples");
        resolve(loaded.PQport, "PQport");
        resolve(loaded.PQresultErrorField, "PQresultErrorField");
        resolve(loaded.PQresultErrorMessage, "PQresultErrorMessage");
        resolve(loaded.PQresultStatus, "PQresultStatus");
        resolve(loaded.PQsendQueryParams, "PQsendQueryParams");
        resolve(loaded.PQprepare, "PQprepare");
        resolve(loaded.PQsendQueryPrepared, "PQsendQueryPrepared");
        resolve(loaded.PQsetNoticeProcessor, "PQsetNoticeProcessor");
        resolve(loaded.PQsetSingleRowMode, "PQsetSingleRowMode");
        resolve(loaded.PQstatus, "PQstatus");
        return loaded;
    }();
    return api;
}

// Type OIDs of pg_type (catalog/pg_type_d.h, which is the server's header, not libpq's).
constexpr Oid bool_oid = 16;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid text_oid = 25;
constexpr Oid oid_oid = 26;
constexpr Oid float4_oid = 700;
constexpr Oid float8_oid = 701;
constexpr Oid numeric_oid = 1700;
// "Unknown": the server infers the type from where the parameter stands, as for a quoted literal.
constexpr Oid unknown_oid = 0;

struct Clear {
    void operator()(PGresult* r) const { libpq().PQclear(r); }
};
using Result = std::unique_ptr<PGresult, Clear>;

std::string field(const PGresult* r, int code) {
    const char* v = libpq().PQresultErrorField(r, code);
    return v ? v : "";
}

// libpq's own messages end in a newline and may run over several lines; the first is the point.
std::string first_line(std::string_view message) {
    auto end = message.find('\n');
    return std::string(message.substr(0, end));
}

PgError result_error(PGconn* conn, const PGresult* r) {
    std::string sqlstate = r ? field(r, PG_DIAG_SQLSTATE) : "";
    std::string message = r ? field(r, PG_DIAG_MESSAGE_PRIMARY) : "";
    if (message.empty())
        message = first_line(r ? libpq().PQresultErrorMessage(r) : libpq().PQerrorMessage(conn));
    if (message.empty()) message = first_line(libpq().PQerrorMessage(conn));
    // An error libpq made itself (the connection dropped mid-query) has no SQLSTATE:
    // connection_failure says what happened.
    if (sqlstate.empty() && libpq().PQstatus(conn) == CONNECTION_BAD) sqlstate = "08006";
    std::string detail = r ? field(r, PG_DIAG_MESSAGE_DETAIL) : "";
    std::string what = detail.empty() ? fmt::format("postgres: {}", message)
                                      : fmt::format("postgres: {} ({})", message, detail);
    return PgError(what, sqlstate, r ? field(r, PG_DIAG_MESSAGE_HINT) : "");
}

bool is_ok(const PGresult* r) {
    auto status = libpq().PQresultStatus(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
           status == PGRES_SINGLE_TUPLE || status == PGRES_EMPTY_QUERY;
}

// libpq echoes a malformed connection string's offending part between double quotes, and that
// part may be a password (`postgresql://me:secret@[host`): everything quoted goes.
std::string without_quoted(std::string_view message) {
    std::string out;
    bool quoted = false;
    for (char c : message) {
        if (c == '"') {
            out += quoted ? "\"" : "\"...";
            quoted = !quoted;
        } else if (!quoted) {
            out += c;
        }
    }
    return out;
}

// A message with every occurrence of the password (if any) masked, for libpq's connection
// errors, which are not known to quote it but are libpq's to change.
std::string masked(std::string message, const std::string& password) {
    if (password.empty()) return message;
    for (auto at = message.find(password); at != std::string::npos;
         at = message.find(password, at + 3))
        message.replace(at, password.size(), "***");
    return message;
}

constexpr const char* url_hint =
    "a PostgreSQL store is named by a URL such as postgresql://user@host/dbname or "
    "postgresql:///dbname?host=/socket/directory";

// Where a connection went (or tried to go), in words: a host, or the directory of a unix socket.
std::string where(PGconn* conn) {
    const char* host = libpq().PQhost(conn);
    const char* db = libpq().PQdb(conn);
    std::string place = !host || !*host  ? "the default socket"
                        : host[0] == '/' ? fmt::format("socket directory {}", host)
                                         : fmt::format("host {}", host);
    const char* port = libpq().PQport(conn);
    if (host && *host && host[0] != '/' && port && *port) place += fmt::format(" port {}", port);
    return fmt::format("database {} on {}", db ? db : "?", place);
}

// The parameters as libpq takes them: text, with a type for each (see types below).
struct Params {
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<Oid> types;
};

std::string double_text(double d) {
    // PostgreSQL's float8 input reads "NaN", "Infinity" and "-Infinity"; to_chars writes the
    // shortest text that reads back as the same double.
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, end);
}

// The placeholders of a statement, numbered, and for each whether it is the operand of
// IS [NOT] NULL.
struct Numbered {
    std::string sql;
    std::vector<bool> null_test;
};

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Whether sql at `at` (after blanks) starts with the word `word`, case-insensitively; `at` moves
// past it when it does.
bool skip_word(std::string_view sql, std::size_t& at, std::string_view word) {
    std::size_t i = at;
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (sql.size() - i < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (std::tolower(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    if (i + word.size() < sql.size() && is_word_char(sql[i + word.size()])) return false;
    at = i + word.size();
    return true;
}

bool null_test_follows(std::string_view sql, std::size_t after) {
    std::size_t at = after;
    if (!skip_word(sql, at, "is")) return false;
    skip_word(sql, at, "not");
    return skip_word(sql, at, "null");
}

Numbered number(std::string_view sql) {
    Numbered out;
    out.sql.reserve(sql.size() + 16);
    std::size_t i = 0;
    // Copies a quoted run starting at i up to and including its closing quote; a doubled quote
    // inside is the quote itself, so it neither ends the run nor starts another.
    auto copy_quoted = [&](char quote) {
        out.sql += sql[i++];
        while (i < sql.size()) {
            char c = sql[i++];
            out.sql += c;
            if (c == quote) {
                if (i < sql.size() && sql[i] == quote) {
                    out.sql += sql[i++];
                    continue;
                }
                return;
            }
        }
    };
    while (i < sql.size()) {
        char c = sql[i];
        if (c == '\'' || c == '"') {
            copy_quoted(c);
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            auto end = sql.find('\n', i);
            end = end == std::string_view::npos ? sql.size() : end;
            out.sql.append(sql.substr(i, end - i));
            i = end;
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            auto end = sql.find("*/", i + 2);
            end = end == std::string_view::npos ? sql.size() : end + 2;
            out.sql.append(sql.substr(i, end - i));
            i = end;
        } else if (c == '?') {
            out.null_test.push_back(null_test_follows(sql, i + 1));
            out.sql += fmt::format("${}", out.null_test.size());
            ++i;
        } else {
            out.sql += c;
            ++i;
        }
    }
    return out;
}

// Integers and reals go typed, so that `? + 1` or `LIMIT ?` mean the number given. Text goes as
// "unknown", as a quoted literal would: the server takes the type the context wants, so
// `id = ?` with the text "42" compares a bigint id, as SQLite (which the domain's SQL was
// written for) does. Where the context wants none the server refuses ("could not determine
// data type of parameter", 42P18); the one such place in the store's SQL is `? IS NULL` (and
// IS NOT NULL), whose operand is typed as text there when it is text or null (a null's type
// does not matter to the test; text is what the value would be compared as elsewhere). A
// statement cannot be retried with other types instead: its failure would already have ended the
// transaction it runs in. Elsewhere (concat(?, ...)), the SQL casts: CAST(? AS text).
Params params_of(const Numbered& sql, const Values& values) {
    if (values.size() != sql.null_test.size())
        throw SystemError(
            fmt::format("postgres: the statement has {} placeholders, given {} values",
                        sql.null_test.size(), values.size()));
    Params p;
    p.text.reserve(values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
        const Value& v = values[k];
        Oid untyped = sql.null_test[k] ? text_oid : unknown_oid;
        if (std::holds_alternative<std::monostate>(v)) {
            p.text.emplace_back();
            p.types.push_back(untyped);
        } else if (auto i = std::get_if<std::int64_t>(&v)) {
            p.text.push_back(std::to_string(*i));
            p.types.push_back(int8_oid);
        } else if (auto d = std::get_if<double>(&v)) {
            p.text.push_back(double_text(*d));
            p.types.push_back(float8_oid);
        } else {
            const auto& s = std::get<std::string>(v);
            // Text parameters are C strings to libpq, and PostgreSQL's text has no NUL at all:
            // one would cut the value short without a word.
            if (s.find('\0') != std::string::npos)
                throw PgError("postgres: text with a NUL character cannot be stored", "22021");
            p.text.push_back(s);
            p.types.push_back(untyped);
        }
    }
    for (std::size_t k = 0; k < values.size(); ++k)
        p.values.push_back(is_null(values[k]) ? nullptr : p.text[k].c_str());
    return p;
}

template <class T>
std::optional<T> parse_number(std::string_view s) {
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

double parse_double(std::string_view s) {
    // from_chars reads "NaN", "Infinity" and "-Infinity" too (case-insensitively, as strtod).
    if (auto d = parse_number<double>(s)) return *d;
    throw PgError(fmt::format("postgres: cannot read {} as a number", s), "22P02");
}

// A column's text as the Value its type means.
Value value_at(const PGresult* r, int row, int column) {
    if (libpq().PQgetisnull(r, row, column)) return {};
    std::string_view text(libpq().PQgetvalue(r, row, column),
                          static_cast<std::size_t>(libpq().PQgetlength(r, row, column)));
    switch (libpq().PQftype(r, column)) {
        case int2_oid:
        case int4_oid:
        case int8_oid:
        case oid_oid:
            if (auto i = parse_number<std::int64_t>(text)) return *i;
            throw PgError(fmt::format("postgres: cannot read {} as an integer", text), "22P02");
        case bool_oid:
            return std::int64_t{text == "t" ? 1 : 0};
        case float4_oid:
        case float8_oid:
            return parse_double(text);
        case numeric_oid:
            // A numeric of scale 0 is an integer: SUM over a bigint column returns numeric, and
            // the store's callers read it as an integer, as SQLite gives it. One
            // written with a decimal point (a numeric(p, s) column) is a real, whether or not
            // its fraction is zero, so a column's values do not change kind from row to row.
            if (text.find_first_of(".eEIN") == std::string_view::npos) {
                if (auto i = parse_number<std::int64_t>(text)) return *i;
                throw PgError(fmt::format("postgres: {} is out of the range of an integer", text),
                              "22003");
            }
            return parse_double(text);  // also NaN and +-Infinity
        default:
            return std::string(text);
    }
}

// Takes what is left of a query's results, so that the connection is ready for the next one
// whether the rows were all read or not.
void drain(PGconn* conn) {
    while (PGresult* r = libpq().PQgetResult(conn)) libpq().PQclear(r);
}

}  // namespace

void PgConnection::Finish::operator()(PGconn* c) const {
    libpq().PQfinish(c);
}

PgConnection::PgConnection(const std::string& conninfo) {
    char* parse_error = nullptr;
    PQconninfoOption* options = libpq().PQconninfoParse(conninfo.c_str(), &parse_error);
    if (!options) {
        std::string message = parse_error ? first_line(parse_error) : "out of memory";
        libpq().PQfreemem(parse_error);
        throw PgError(
            fmt::format("postgres: the connection URL is malformed: {}", without_quoted(message)),
            "08001", url_hint);
    }
    std::string password;
    for (auto* o = options; o->keyword; ++o)
        if (std::string_view(o->keyword) == "password" && o->val) password = o->val;
    libpq().PQconninfoFree(options);

    // conninfo is expanded in place of dbname, and the keywords after it win over what it says:
    // the store's text is UTF-8 whatever the server's or the environment's default.
    const char* keywords[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
    const char* values[] = {conninfo.c_str(), "UTF8", "fieldbook", nullptr};
    conn_.reset(libpq().PQconnectdbParams(keywords, values, 1));
    if (!conn_) throw PgError("postgres: out of memory for a connection", "08001");
    if (libpq().PQstatus(conn_.get()) != CONNECTION_OK) {
        // libpq's message names the server and why it refused ("No such file or directory",
        // "password authentication failed", "database ... does not exist"); its first line is
        // the point.
        std::string why = masked(first_line(libpq().PQerrorMessage(conn_.get())), password);
        throw PgError(fmt::format("postgres: cannot connect to {}: {}", where(conn_.get()), why),
                      "08001",
                      "is the server running, and does the database exist? "
                      "Otherwise check the URL; " +
                          std::string(url_hint));
    }
    // libpq prints the server's notices (DROP ... IF EXISTS of nothing, say) on stderr by
    // default; the library prints nothing.
    libpq().PQsetNoticeProcessor(
        conn_.get(), [](void*, const char*) {}, nullptr);
}

void PgConnection::exec_script(std::string_view sql) {
    read_ahead();
    // PQexec's simple-query protocol is the one that takes several statements at once; it keeps
    // only the last result, and stops at the first error, which is the one that result holds.
    Result r(libpq().PQexec(conn_.get(), std::string(sql).c_str()));
    if (!r || !is_ok(r.get())) throw result_error(conn_.get(), r.get());
}

struct PgConnection::Stream {
    std::shared_ptr<std::vector<std::string>> columns;
    std::deque<Values> rows;  // received and not yet handed out
    bool receiving = true;    // results are still to come from the server
    std::optional<PgError> failure;

    // Takes one result of the query: its rows, or the error it reports.
    void take(PGconn* conn, const PGresult* r) {
        auto status = libpq().PQresultStatus(r);
        if (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK) {
            int ncolumns = libpq().PQnfields(r);
            if (!columns && libpq().PQntuples(r) > 0) {
                columns = std::make_shared<std::vector<std::string>>();
                for (int c = 0; c < ncolumns; ++c) columns->push_back(libpq().PQfname(r, c));
            }
            for (int row = 0; row < libpq().PQntuples(r); ++row) {
                Values values;
                values.reserve(static_cast<std::size_t>(ncolumns));
                for (int c = 0; c < ncolumns; ++c) values.push_back(value_at(r, row, c));
                rows.push_back(std::move(values));
            }
        } else if (!is_ok(r) && !failure) {
            failure = result_error(conn, r);
        }
    }
};

void PgConnection::read_ahead() {
    if (streams_.empty() || !streams_.back()->receiving) return;
    Stream& stream = *streams_.back();
    while (Result r{libpq().PQgetResult(conn_.get())}) stream.take(conn_.get(), r.get());
    stream.receiving = false;
}

void PgConnection::each(std::string_view sql, const Values& values,
                        const std::function<void(const Row&)>& on_row) {
    read_ahead();
    Numbered numbered = number(sql);
    Params p = params_of(numbered, values);
    PGconn* conn = conn_.get();
    const int count = static_cast<int>(p.values.size());
    const std::string* prepared = prepare(numbered.sql, p.types);
    bool sent = prepared
                    ? libpq().PQsendQueryPrepared(conn, prepared->c_str(), count, p.values.data(),
                                                  nullptr, nullptr, 0)
                    : libpq().PQsendQueryParams(conn, numbered.sql.c_str(), count, p.types.data(),
                                                p.values.data(), nullptr, nullptr, 0);
    if (!sent) throw result_error(conn, nullptr);
    // Single-row mode: each row comes as a result of its own, as the server sends it, rather
    // than all of them at the end. If it cannot be set, the rows come at once: still correct.
    libpq().PQsetSingleRowMode(conn);

    // Whatever happens below (an error, on_row throwing), the rest of the results are taken
    // before leaving, or the connection would refuse the next statement. The rows left are
    // read, not cancelled: a cancel would abort the caller's transaction, which on_row's
    // exception does not mean by itself.
    Stream stream;
    streams_.push_back(&stream);
    struct Leave {
        PgConnection& connection;
        Stream& stream;
        ~Leave() {
            if (stream.receiving) drain(connection.conn_.get());
            connection.streams_.pop_back();
        }
    } guard{*this, stream};

    for (;;) {
        if (stream.rows.empty()) {
            if (!stream.receiving) break;
            Result r{libpq().PQgetResult(conn)};
            if (!r) {
                stream.receiving = false;
                break;
            }
            stream.take(conn, r.get());
            continue;
        }
        Values row = std::move(stream.rows.front());
        stream.rows.pop_front();
        on_row(Row(stream.columns, std::move(row)));
    }
    if (stream.failure) throw *stream.failure;
}

// A statement run again is parsed and planned once per connection: a command runs the same few
// statements for every row it writes (a sync, an import), and on a server with row-level
// security the planning is the larger part of a small statement's cost. Prepared on its second
// run (preparing costs a round trip, which a statement run once would not win back), keyed by
// the text and the parameters' types, which a prepared statement fixes. The cache is bounded:
// statements that differ by the number of their parameters (IN lists) would otherwise fill it.
const std::string* PgConnection::prepare(const std::string& sql, const std::vector<Oid>& types) {
    constexpr std::size_t kMostPrepared = 200;
    std::string key = sql;
    for (Oid type : types) key += fmt::format("|{}", type);
    auto known = prepared_.find(key);
    if (known == prepared_.end()) {
        // Seen once: an empty name.
        if (prepared_.size() < kMostPrepared) prepared_.emplace(std::move(key), std::string());
        return nullptr;
    }
    if (!known->second.empty()) return &known->second;
    std::string name = fmt::format("fieldbook_{}", ++statements_prepared_);
    Result r(libpq().PQprepare(conn_.get(), name.c_str(), sql.c_str(),
                               static_cast<int>(types.size()), types.data()));
    // A statement the server refuses to plan fails here as it would when run.
    if (!r || !is_ok(r.get())) throw result_error(conn_.get(), r.get());
    known->second = std::move(name);
    return &known->second;
}

std::int64_t PgConnection::exec(std::string_view sql, const Values& values) {
    read_ahead();
    Numbered numbered = number(sql);
    Params p = params_of(numbered, values);
    Result r(libpq().PQexecParams(conn_.get(), numbered.sql.c_str(),
                                  static_cast<int>(p.values.size()), p.types.data(),
                                  p.values.data(), nullptr, nullptr, 0));
    if (!r || !is_ok(r.get())) throw result_error(conn_.get(), r.get());
    // Empty for a statement that counts no rows (CREATE ..., BEGIN).
    std::string_view affected = libpq().PQcmdTuples(r.get());
    if (affected.empty()) return 0;
    return parse_number<std::int64_t>(affected).value_or(0);
}

std::string numbered_placeholders(std::string_view sql) {
    return number(sql).sql;
}

}  // namespace fieldbook::store::postgres
