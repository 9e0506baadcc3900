#pragma once
// Where a store is: a file (the embedded store) or a team server's database, named by a
// libpq URL. What is shown of a URL never carries its password.
#include <string>
#include <string_view>

namespace fieldbook::store {

// postgresql://… or postgres://… (libpq's URI forms; `postgres:///db?host=/socket/dir` too).
bool is_server_url(std::string_view location);

// The URL without a password, from either place libpq takes one (user:PASSWORD@host or a
// password= parameter): for messages and `db path`. Anything else is returned as it is.
std::string redacted(std::string_view location);

// A command-line argument as it may be logged: a server URL in it (`--db=URL` or URL alone)
// without its password.
std::string redacted_argument(std::string_view argument);

}  // namespace fieldbook::store
