#pragma once
// What a failed SQLite call means (store/failure.hpp), read from SQLite's own exception.
#include <SQLiteCpp/Exception.h>

#include "store/failure.hpp"

namespace fieldbook::store {

// Whether SQLite's error says the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
bool is_damage(const SQLite::Exception& e);

// The Error that `e` means, thrown.
[[noreturn]] void raise_failure(const SQLite::Exception& e, const FailureContext& context);

}  // namespace fieldbook::store
