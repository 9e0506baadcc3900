#include <doctest/doctest.h>

#include "store/location.hpp"

using fieldbook::store::is_server_url;
using fieldbook::store::redacted;
using fieldbook::store::redacted_argument;

TEST_CASE("location: a libpq URL names a server, anything else a store file") {
    CHECK(is_server_url("postgresql://lina@db.example/team"));
    CHECK(is_server_url("postgres:///team?host=/run/postgresql"));
    CHECK_FALSE(is_server_url("/home/lina/.local/share/fieldbook/fieldbook.db"));
    CHECK_FALSE(is_server_url("postgresql.db"));
    CHECK_FALSE(is_server_url("file:postgresql://x"));
    CHECK_FALSE(is_server_url("postgresql:/x"));
    CHECK_FALSE(is_server_url(""));
}

TEST_CASE("location: a URL is shown without its password, wherever libpq takes one") {
    CHECK(redacted("postgresql://lina:s3cret@db.example:5432/team") ==
          "postgresql://lina:***@db.example:5432/team");
    CHECK(redacted("postgresql://lina@db.example/team?password=s3cret&sslmode=require") ==
          "postgresql://lina@db.example/team?password=***&sslmode=require");
    CHECK(redacted("postgresql://lina@db.example/team?sslmode=require&password=s3cret") ==
          "postgresql://lina@db.example/team?sslmode=require&password=***");
    // Without a password, and a file, nothing changes; an @ in the path is no authority.
    CHECK(redacted("postgresql://lina@/team?host=/tmp/pg") ==
          "postgresql://lina@/team?host=/tmp/pg");
    CHECK(redacted("postgres:///team") == "postgres:///team");
    CHECK(redacted("/tmp/a:b@c/fb.db") == "/tmp/a:b@c/fb.db");
    CHECK(redacted("postgresql://h/db:x@y") == "postgresql://h/db:x@y");
}

TEST_CASE("location: a logged argument keeps no password, whether alone or after --db=") {
    CHECK(redacted_argument("--db=postgresql://lina:s3cret@h/team") ==
          "--db=postgresql://lina:***@h/team");
    CHECK(redacted_argument("postgres://lina:s3cret@h/team") == "postgres://lina:***@h/team");
    CHECK(redacted_argument("锦程贸易有限公司") == "锦程贸易有限公司");
}
