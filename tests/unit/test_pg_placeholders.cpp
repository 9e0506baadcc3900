#include <doctest/doctest.h>

#include "store/postgres/pg_connection.hpp"

using fieldbook::store::postgres::numbered_placeholders;

TEST_CASE("pg placeholders: each ? is numbered in order") {
    CHECK(numbered_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") ==
          "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
    CHECK(numbered_placeholders("SELECT 1") == "SELECT 1");
    CHECK(numbered_placeholders("?") == "$1");
    CHECK(numbered_placeholders("") == "");
    std::string many = "VALUES (";
    for (int i = 0; i < 12; ++i) many += i ? ", ?" : "?";
    CHECK(numbered_placeholders(many + ")").ends_with("$10, $11, $12)"));
}

TEST_CASE("pg placeholders: a ? in a literal, an identifier or a comment stays") {
    CHECK(numbered_placeholders("SELECT '?', ? FROM t") == "SELECT '?', $1 FROM t");
    CHECK(numbered_placeholders("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', $1");
    CHECK(numbered_placeholders("SELECT '', ?, ''''") == "SELECT '', $1, ''''");
    CHECK(numbered_placeholders(R"(SELECT "odd?""name", ? FROM t)") ==
          R"(SELECT "odd?""name", $1 FROM t)");
    CHECK(numbered_placeholders("SELECT ? -- why? because\n, ?") ==
          "SELECT $1 -- why? because\n, $2");
    CHECK(numbered_placeholders("SELECT ? -- trailing ?") == "SELECT $1 -- trailing ?");
    CHECK(numbered_placeholders("SELECT /* ? */ ? /* ?") == "SELECT /* ? */ $1 /* ?");
    // A lone minus and a lone slash are operators.
    CHECK(numbered_placeholders("SELECT ? - ?, ? / ?") == "SELECT $1 - $2, $3 / $4");
    // Chinese text in a literal is copied byte for byte.
    CHECK(numbered_placeholders("SELECT '成都?', ?") == "SELECT '成都?', $1");
    // An unterminated literal runs to the end (the server reports it).
    CHECK(numbered_placeholders("SELECT ?, 'open ?") == "SELECT $1, 'open ?");
}
