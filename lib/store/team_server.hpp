#pragma once
// What makes a database a team server: a group role per fieldbook role, a login role per rep,
// and row-level security, forced, so that each rep's connection sees and changes only what
// is theirs whatever program it uses (fieldbook or psql). On the embedded store these are a
// UsageError: a file has no roles.
#include <string>

namespace fieldbook::store {

class Store;

// The group roles every rep's login role is a member of, one per fieldbook role.
std::string group_role(const std::string& fieldbook_role);

// Run by the database owner, on a store whose schema is current: creates the group roles
// (when missing), grants them what their fieldbook role may do, and turns on row-level
// security with its policies on every table, forced so that they hold for the owner too
// (who keeps a policy of its own, for administration). Idempotent.
void secure_team_server(Store& store);

// Whether `server init` made this store a team server (row-level security on): false for a
// store file, and for a database made with plain `init`.
bool is_team_server(Store& store);

// A login role for a rep (named by their handle), member of their role's group. Without a
// password: libpq's password file, a service file or peer authentication logs the rep in;
// an administrator sets one with ALTER ROLE when the team uses passwords.
void create_login(Store& store, const std::string& handle, const std::string& fieldbook_role);

}  // namespace fieldbook::store
