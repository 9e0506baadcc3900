#pragma once
// The team server's engine: PostgreSQL 15 through libpq (pg_connection.hpp). Writers take one
// transaction-scoped advisory lock, so fieldbook's writes are serial on the server as they are
// on the embedded store (BEGIN IMMEDIATE): a command that checks and then writes (a duplicate
// customer, a closed meeting day) sees no other write in between, and a second writer waits
// for the lock, up to the lock timeout, instead of failing.
#include <memory>
#include <optional>
#include <string>

#include "store/engine.hpp"
#include "store/postgres/pg_connection.hpp"

namespace fieldbook::store::postgres {

class PgEngine final : public Engine {
  public:
    PgEngine(const std::string& url, int lock_timeout_ms);

    void query(std::string_view sql, const Values& params,
               const std::function<void(const Row&)>& on_row) override;
    void script(std::string_view sql) override;
    void begin_write() override;
    void begin_read() override;
    void commit() override;
    void rollback() noexcept override;
    const std::vector<std::string_view>& migrations() const override;
    int schema_version() override;
    void set_schema_version(int version) override;
    [[noreturn]] void rethrow_failure() override;
    void replace_search_body(std::int64_t visit_id,
                             const std::optional<std::string>& body) override;
    SearchCondition search_condition(const std::string& key,
                                     const std::string& id_column) const override;
    std::vector<std::string> record_tables() override;
    std::vector<Reference> references_to(const std::string& table) override;
    void erase_all_records() override;
    std::string next_id(const std::string& table) const override;
    std::optional<std::string> login_role() override;

    PgConnection& connection() { return connection_; }

  private:
    PgConnection connection_;
    int lock_timeout_ms_;
    bool in_transaction_ = false;
};

// Before a store is made in a database: text must sort as the embedded store sorts it (by code
// point: collation C or C.UTF-8) and pg_trgm must see CJK characters as letters (a UTF-8
// LC_CTYPE), or listings would come out in another order and Chinese searches would scan. A
// UsageError naming the database's settings otherwise.
void require_store_locale(PgEngine& engine);

}  // namespace fieldbook::store::postgres
