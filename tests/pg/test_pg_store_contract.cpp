// The store contract (tests/store_contract/contract_cases.hpp) on the server's engine: each
// case in a database of its own on the test cluster, a second Store being another connection
// to it as another rep's process would open one.
#include <optional>
#include <string>

#include "pg_test_db.hpp"
#include "store/store.hpp"

namespace fieldbook::testing {

class ContractStores {
  public:
    store::Store fresh() {
        db_.reset();  // the last one's database goes before the next is made
        db_.emplace();
        return store::Store::open_server(db_->url(), {}, /*create=*/true);
    }
    store::Store another() const { return store::Store::open_server(db_->url()); }

  private:
    std::optional<PgTestDb> db_;
};

}  // namespace fieldbook::testing

#define FIELDBOOK_CONTRACT_ENGINE "postgresql"
#include "store_contract/contract_cases.hpp"
