#pragma once
// The PostgreSQL schema, as migration steps like the SQLite store's (store/schema.hpp).

#include <string_view>
#include <vector>

namespace fieldbook::store::postgres {

// Schema upgrades in order: entry i takes a PostgreSQL store from version i to version i + 1.
// There are as many entries as SQLite steps, and after step i both engines have the same
// tables, columns (in the same order) and constraints, so one version number means one shape
// on either engine.
const std::vector<std::string_view>& pg_migrations();

// PostgreSQL has no PRAGMA user_version: the version a store has reached is the value of this
// key in the `meta` table (the store's settings, whose other keys are "owner", "timezone" and
// "demo"), as decimal text. A database without a `meta` table is at version 0. The code that
// applies the steps writes the new version in the transaction of the steps themselves:
//   INSERT INTO meta (key, value) VALUES ('schema_version', $1)
//   ON CONFLICT (key) DO UPDATE SET value = excluded.value
// A copy of a PostgreSQL store's settings to SQLite leaves this key out (SQLite keeps its
// version in the file header).
constexpr std::string_view kSchemaVersionKey = "schema_version";

}  // namespace fieldbook::store::postgres
