// PgConnection against a real server: the throwaway cluster of ctest's pg_cluster fixture.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "pg_test_db.hpp"
#include "store/location.hpp"
#include "store/postgres/pg_connection.hpp"

using namespace fieldbook;
using store::Row;
using store::Value;
using store::Values;
using store::postgres::PgConnection;
using store::postgres::PgError;

namespace {

// The rows of a query, whole, for tests that look at a few.
std::vector<Row> all(PgConnection& db, std::string_view sql, const Values& params = {}) {
    std::vector<Row> rows;
    db.each(sql, params, [&](const Row& r) { rows.push_back(r); });
    return rows;
}

Value one(PgConnection& db, std::string_view sql, const Values& params = {}) {
    auto rows = all(db, sql, params);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].values().size() == 1);
    return rows[0].values()[0];
}

// The SQLSTATE of the PgError that f throws, "" when it throws none.
template <class F>
std::string sqlstate_of(F&& f) {
    try {
        f();
    } catch (const PgError& e) {
        return e.sqlstate();
    }
    return "";
}

}  // namespace

TEST_CASE("pg connection: placeholders are numbered, a ? in a literal is left alone") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    auto rows = all(db, "SELECT ? AS a, '?' AS b, ? AS c, 'it''s ?' AS d -- ?\n", {"x", "y"});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].text("a") == "x");
    CHECK(rows[0].text("b") == "?");
    CHECK(rows[0].text("c") == "y");
    CHECK(rows[0].text("d") == "it's ?");
    CHECK(rows[0].columns() == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("pg connection: a value of each kind comes back as it went in") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script(
        "CREATE TABLE t (id bigserial PRIMARY KEY, n bigint, small integer, r double precision, "
        "s text, flag boolean)");
    const std::int64_t big = std::numeric_limits<std::int64_t>::max();
    const std::string chinese = "成都市武侯区 — 客户 «ünïcödé» 😀";
    // An integer parameter is a bigint, which a boolean column takes only cast (there is no
    // assignment cast from bigint to boolean); an integer column of any width takes it as is.
    CHECK(db.exec("INSERT INTO t (n, small, r, s, flag) VALUES (?, ?, ?, ?, CAST(? AS int) <> 0)",
                  {big, std::int64_t{-7}, 0.1, chinese, std::int64_t{1}}) == 1);
    CHECK(db.exec("INSERT INTO t (n, small, r, s, flag) VALUES (?, ?, ?, ?, ?)",
                  {std::int64_t{std::numeric_limits<std::int64_t>::min()}, {}, -1e300, "", {}}) ==
          1);
    auto rows = all(db, "SELECT n, small, r, s, flag FROM t ORDER BY id");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["n"] == Value(big));
    CHECK(rows[0]["small"] == Value(std::int64_t{-7}));
    CHECK(rows[0]["r"] == Value(0.1));  // exactly: the shortest text that reads back the same
    CHECK(rows[0]["s"] == Value(chinese));
    CHECK(rows[0]["flag"] == Value(std::int64_t{1}));  // a boolean reads as 1 or 0
    CHECK(rows[1]["n"] == Value(std::numeric_limits<std::int64_t>::min()));
    CHECK(rows[1].is_null("small"));
    CHECK(rows[1]["r"] == Value(-1e300));
    CHECK(rows[1]["s"] == Value(std::string()));  // empty text is not null
    CHECK(rows[1].is_null("flag"));

    // Text in a numeric context is read as the number it spells, as SQLite compares it.
    CHECK(one(db, "SELECT count(*) AS n FROM t WHERE small = ?", {"-7"}) == Value(std::int64_t{1}));
    // Reals that text cannot spell in digits.
    CHECK(std::isnan(std::get<double>(one(db, "SELECT ?::float8 + 0", {std::nan("")}))));
    CHECK(one(db, "SELECT ? * 2", {std::numeric_limits<double>::infinity()}) ==
          Value(std::numeric_limits<double>::infinity()));
    // Any other type (timestamptz, varchar, uuid...) reads as its text.
    CHECK(one(db, "SELECT '2026-11-26'::date") == Value(std::string("2026-11-26")));
}

TEST_CASE("pg connection: a text value with a NUL is refused, not cut short") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    CHECK(sqlstate_of([&] { one(db, "SELECT ?", {std::string("a\0b", 3)}); }) == "22021");
}

TEST_CASE("pg connection: SUM over bigint is an integer, a fractional numeric a real") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script("CREATE TABLE t (cents bigint); INSERT INTO t VALUES (150), (250), (NULL)");
    // PostgreSQL's SUM(bigint) is numeric; the store reads it as SQLite gives it.
    CHECK(one(db, "SELECT sum(cents) AS total FROM t") == Value(std::int64_t{400}));
    CHECK(one(db, "SELECT sum(cents) AS total FROM t WHERE cents > ?", {std::int64_t{1000}}) ==
          Value());
    CHECK(one(db, "SELECT 2.50::numeric") == Value(2.5));
    CHECK(one(db, "SELECT 2.00::numeric(6, 2)") == Value(2.0));
    CHECK(one(db, "SELECT count(*) FROM t") == Value(std::int64_t{3}));
    // Beyond an integer's range, an error rather than a rounded real.
    CHECK(sqlstate_of([&] { one(db, "SELECT 99999999999999999999::numeric"); }) == "22003");
}

TEST_CASE("pg connection: rows stream one at a time") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    const std::int64_t n = 200000;
    std::int64_t seen = 0, sum = 0, padded = 0;
    db.each("SELECT g AS i, repeat('x', 50) AS pad FROM generate_series(1, ?) AS g", {n},
            [&](const Row& r) {
                ++seen;
                sum += r.integer("i");
                padded += r.text("pad").size() == 50;
            });
    CHECK(seen == n);
    CHECK(sum == n * (n + 1) / 2);
    CHECK(padded == n);

    // A reader that stops early (by throwing) leaves the connection ready for the next query.
    struct Enough {};
    std::int64_t read = 0;
    CHECK_THROWS_AS(db.each("SELECT g AS i FROM generate_series(1, 100000) AS g", {},
                            [&](const Row&) {
                                if (++read == 10) throw Enough{};
                            }),
                    Enough);
    CHECK(read == 10);
    CHECK(one(db, "SELECT 42") == Value(std::int64_t{42}));

    // A statement with no rows calls nothing.
    db.each("SELECT 1 WHERE false", {}, [](const Row&) { FAIL("no row expected"); });
}

TEST_CASE("pg connection: a failing statement throws PgError with its SQLSTATE") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script("CREATE TABLE t (code text PRIMARY KEY)");
    db.exec("INSERT INTO t VALUES (?)", {"A1"});
    try {
        db.exec("INSERT INTO t VALUES (?)", {"A1"});
        FAIL("a duplicate key was accepted");
    } catch (const PgError& e) {
        CHECK(e.sqlstate() == "23505");
        CHECK(std::string(e.what()).find("duplicate key") != std::string::npos);
        // The detail names the key.
        CHECK(std::string(e.what()).find("(code)=(A1)") != std::string::npos);
    }
    CHECK(sqlstate_of([&] { all(db, "SELECT * FROM missing WHERE id = ?", {std::int64_t{1}}); }) ==
          "42P01");
    CHECK(sqlstate_of([&] { db.exec_script("CREATE TABLE u (a int); SELEC 1"); }) == "42601");
    // The script stopped at its error, and the statements before it in its implicit
    // transaction were rolled back with it.
    CHECK(sqlstate_of([&] { db.exec("SELECT * FROM u", {}); }) == "42P01");
    // An error in the middle of streamed rows (division by zero at the third) is thrown after
    // the rows before it.
    std::int64_t rows = 0;
    CHECK(sqlstate_of([&] {
              db.each("SELECT 1 / (3 - g) AS x FROM generate_series(1, 5) AS g", {},
                      [&](const Row&) { ++rows; });
          }) == "22012");
    CHECK(rows == 2);
    // A PgError is a SystemError: main maps it like any failure of the store.
    CHECK_THROWS_AS(db.exec("SELECT * FROM missing", {}), SystemError);
    // The wrong number of values for the placeholders is a bug, said before the server sees it.
    CHECK_THROWS_AS(db.exec("SELECT ?, ?", {"one"}), SystemError);
    // The connection is fine after all of that.
    CHECK(db.exec("INSERT INTO t VALUES (?)", {"B2"}) == 1);
}

TEST_CASE("pg connection: a statement run again is prepared and answers alike") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script("CREATE TABLE t (id bigint PRIMARY KEY, name text)");
    for (std::int64_t i = 1; i <= 5; ++i)
        all(db, "INSERT INTO t (id, name) VALUES (?, ?)", {i, "行" + std::to_string(i)});
    // Run once, not prepared; from the second run on, prepared on this connection.
    std::int64_t prepared = 0;
    db.each("SELECT COUNT(*) AS n FROM pg_prepared_statements", {},
            [&](const Row& r) { prepared = r.integer("n"); });
    CHECK(prepared == 1);
    for (std::int64_t i = 1; i <= 5; ++i)
        CHECK(one(db, "SELECT name FROM t WHERE id = ?", {i}) == Value{"行" + std::to_string(i)});
    // Other parameter types are another statement: a null where a number was.
    CHECK(all(db, "SELECT name FROM t WHERE id = ?", {Value{}}).empty());
    // A statement that fails, on its first run and on its prepared runs alike.
    for (int run = 0; run < 3; ++run)
        CHECK(sqlstate_of([&] {
                  all(db, "SELECT * FROM missing WHERE id = ?", {std::int64_t{1}});
              }) == "42P01");
    // A prepared statement outlives a rolled-back transaction, and sees the table as it is.
    db.exec_script("BEGIN");
    CHECK(one(db, "SELECT name FROM t WHERE id = ?", {std::int64_t{2}}) == Value{"行2"});
    db.exec_script("ROLLBACK");
    db.exec_script("ALTER TABLE t ADD COLUMN note text");
    CHECK(one(db, "SELECT name FROM t WHERE id = ?", {std::int64_t{3}}) == Value{"行3"});
}

TEST_CASE("pg connection: ? IS NULL takes text and null values") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script(
        "CREATE TABLE t (id bigint, name text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, "
        "NULL)");
    // The store's optional filter: no type can be inferred for the first ?, so it goes as text.
    const char* filter = "SELECT count(*) AS n FROM t WHERE (? IS NULL OR name = ?)";
    CHECK(one(db, filter, {Value(), Value()}) == Value(std::int64_t{3}));
    CHECK(one(db, filter, {"a", "a"}) == Value(std::int64_t{1}));
    const char* by_id = "SELECT count(*) AS n FROM t WHERE (? is   not\n null AND id = ?)";
    CHECK(one(db, by_id, {std::int64_t{2}, std::int64_t{2}}) == Value(std::int64_t{1}));
    CHECK(one(db, by_id, {"2", "2"}) == Value(std::int64_t{1}));
    CHECK(one(db, by_id, {Value(), Value()}) == Value(std::int64_t{0}));
    // IS NOT DISTINCT FROM a column takes the column's type.
    CHECK(one(db, "SELECT count(*) AS n FROM t WHERE name IS NOT DISTINCT FROM ?", {Value()}) ==
          Value(std::int64_t{1}));
    CHECK(one(db, "SELECT count(*) AS n FROM t WHERE ? IS NOT DISTINCT FROM id", {"1"}) ==
          Value(std::int64_t{1}));
    // A bare ? in a select list is text.
    CHECK(one(db, "SELECT ? AS x", {Value()}) == Value());
}

TEST_CASE("pg connection: exec counts the rows a statement changed") {
    testing::PgTestDb test_db;
    PgConnection db(test_db.url());
    db.exec_script("CREATE TABLE t (id bigint, name text)");
    CHECK(db.exec("INSERT INTO t SELECT g, ? FROM generate_series(1, 5) AS g", {"x"}) == 5);
    CHECK(db.exec("UPDATE t SET name = ? WHERE id > ?", {"y", std::int64_t{2}}) == 3);
    CHECK(db.exec("DELETE FROM t WHERE name = ?", {"none"}) == 0);
    CHECK(db.exec("CREATE INDEX t_id ON t (id)", {}) == 0);
    // Several statements and a transaction through the simple-query protocol.
    db.exec_script("BEGIN; DELETE FROM t; ROLLBACK");
    CHECK(one(db, "SELECT count(*) FROM t") == Value(std::int64_t{5}));
    // Server notices (DROP ... IF EXISTS of nothing) are not printed: doctest would show them
    // only as stray output, so this checks nothing but that it runs.
    db.exec_script("DROP TABLE IF EXISTS nothing_here");
}

TEST_CASE("pg connection: a failed connection names where, never the password") {
    // A database that does not exist, on the test cluster's socket, with a password in the URL.
    std::string url = testing::pg_url_of(testing::pg_cluster_url(), "no_such_db");
    url.replace(url.find("postgres@"), 9, "postgres:S3cretPw@");
    try {
        PgConnection db(url);
        FAIL("connected to a database that does not exist");
    } catch (const PgError& e) {
        std::string what = e.what();
        CHECK(e.sqlstate() == "08001");
        CHECK(what.find("S3cretPw") == std::string::npos);
        CHECK(e.hint().find("S3cretPw") == std::string::npos);
        CHECK(what.find("no_such_db") != std::string::npos);
        CHECK(what.find("socket directory /") != std::string::npos);
        CHECK(!e.hint().empty());
    }
    // No server at all at that socket directory.
    try {
        PgConnection db("postgresql://me:S3cretPw@/fb?host=/nonexistent/dir");
        FAIL("connected to nothing");
    } catch (const PgError& e) {
        std::string what = e.what();
        CHECK(what.find("S3cretPw") == std::string::npos);
        CHECK(what.find("/nonexistent/dir") != std::string::npos);
        CHECK(what.find("database fb") != std::string::npos);
    }
    // A malformed URL: libpq would echo it, password and all.
    try {
        PgConnection db("postgresql://me:S3cretPw@[::1/fb");
        FAIL("a malformed URL was accepted");
    } catch (const PgError& e) {
        CHECK(std::string(e.what()).find("S3cretPw") == std::string::npos);
        CHECK(std::string(e.what()).find("malformed") != std::string::npos);
    }
    try {
        PgConnection db("host=/tmp password=S3cretPw dbname");
        FAIL("a malformed conninfo was accepted");
    } catch (const PgError& e) {
        CHECK(std::string(e.what()).find("S3cretPw") == std::string::npos);
    }
}

TEST_CASE("pg connection: a postgres:/// URL with the socket directory as host") {
    testing::PgTestDb test_db;
    PgConnection admin(test_db.url());
    // Another role (the cluster trusts any role on its socket), named as a query parameter.
    admin.exec_script("CREATE ROLE fb_reader LOGIN");
    std::string cluster = testing::pg_cluster_url();
    std::string url =
        "postgres:///" + test_db.name() + cluster.substr(cluster.find('?')) + "&user=fb_reader";
    CHECK(store::is_server_url(url));
    {
        PgConnection db(url);
        CHECK(one(db, "SELECT current_user") == Value(std::string("fb_reader")));
        CHECK(one(db, "SELECT current_database()") == Value(test_db.name()));
        CHECK(one(db, "SHOW client_encoding") == Value(std::string("UTF8")));
    }
    admin.exec_script("DROP ROLE fb_reader");
}
