#pragma once
// The SQLite connection behind a Store, for the engine's own code in this directory: the
// statement cache, and SQLite's exceptions read as the Errors they mean.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace fieldbook::store {

// A statement from the store's cache. It is reset when this handle goes away, so a half-read
// query never keeps a read snapshot open.
class Prepared {
  public:
    explicit Prepared(std::shared_ptr<SQLite::Statement> statement)
        : statement_(std::move(statement)) {}
    Prepared(Prepared&&) = default;
    Prepared& operator=(Prepared&&) = default;
    ~Prepared();
    SQLite::Statement* operator->() const { return statement_.get(); }
    SQLite::Statement& operator*() const { return *statement_; }

  private:
    std::shared_ptr<SQLite::Statement> statement_;
};

struct Connection {
    std::unique_ptr<SQLite::Database> db;
    std::map<std::string, std::shared_ptr<SQLite::Statement>, std::less<>> statements;
};

inline SQLite::Database& database(Store& store) {
    return *store.connection().db;
}

// Preparing costs more than running most of fieldbook's statements, so each SQL text is
// prepared once per process and reused; a statement still in use is prepared afresh.
Prepared prepare(Store& store, const std::string& sql);

// Throws the Error that a failed SQLite call on this store means (a lock held too long, a
// full disk, damage...). SQLite finding the store damaged marks it so (damage_mark.hpp).
[[noreturn]] void fail(Store& store, const SQLite::Exception& e);

}  // namespace fieldbook::store
