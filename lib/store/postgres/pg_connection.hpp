#pragma once
// One connection to a PostgreSQL server, over libpq's C API: statements with the store's `?`
// placeholders and Values in, Rows of Values out, the server's errors as PgErrors. What a store
// needs of the engine and no more; transactions are statements like any other (BEGIN, COMMIT).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "store/record_row.hpp"
#include "store/value.hpp"

// libpq's connection, declared as libpq-fe.h does, so that a file using this one needs neither
// libpq's header nor its include path: libpq stays private to the library.
extern "C" {
typedef struct pg_conn PGconn;
}

namespace fieldbook::store::postgres {

// An error the server reported (or libpq, for the connection itself), with its SQLSTATE, so
// that a caller can tell a unique violation (23505) from a lost connection (08...). The message
// never holds the connection string, which may carry a password.
class PgError : public SystemError {
  public:
    PgError(const std::string& what, std::string sqlstate, std::string hint = {})
        : SystemError(what, std::move(hint)), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }

  private:
    std::string sqlstate_;
};

class PgConnection {
  public:
    // conninfo: anything libpq accepts, a URL (postgresql://user@host/db) or key=value pairs.
    // The client encoding is always UTF-8, whatever conninfo says: the store's text is UTF-8.
    explicit PgConnection(const std::string& conninfo);

    // Several statements separated by `;`, no parameters, no rows (a schema, BEGIN, COMMIT).
    void exec_script(std::string_view sql);
    // One statement with `?` placeholders; on_row is called for each row as it arrives, so a
    // big listing is never held whole in memory. on_row may run statements of its own on this
    // connection (a row's details): the rows still to come are then read ahead and kept, as
    // libpq takes no new statement before the last one's results are all in.
    void each(std::string_view sql, const Values& params,
              const std::function<void(const Row&)>& on_row);
    // One statement with `?` placeholders; the number of rows it inserted, updated or deleted.
    std::int64_t exec(std::string_view sql, const Values& params);

    PGconn* handle() const { return conn_.get(); }

  private:
    struct Finish {
        void operator()(PGconn* c) const;
    };
    struct Stream;
    // Reads the rest of the innermost query still receiving rows into its buffer, so that the
    // connection can take another statement.
    void read_ahead();
    // The name of the statement prepared for this text and these parameter types, or null
    // when it is not to be prepared.
    const std::string* prepare(const std::string& sql, const std::vector<unsigned int>& types);

    std::unique_ptr<PGconn, Finish> conn_;
    std::vector<Stream*> streams_;  // the queries whose rows are being handed out, innermost last
    // Statement text and types -> the name it is prepared under ("" when run once so far).
    std::map<std::string, std::string> prepared_;
    std::size_t statements_prepared_ = 0;
};

// The statement with each `?` placeholder numbered as PostgreSQL wants it ($1, $2, ...), leaving
// alone a `?` in a 'string literal', a "quoted identifier" or a comment. Standard literals only:
// the store's SQL has no E'\'' escapes or $$dollar quotes$$, which would need a lexer of their own.
std::string numbered_placeholders(std::string_view sql);

}  // namespace fieldbook::store::postgres
