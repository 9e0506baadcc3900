// The store contract (tests/store_contract/contract_cases.hpp) on the embedded engine: each
// case on store files of its own in a temporary directory, a second Store opening the same
// file as another process would.
#include <filesystem>
#include <random>
#include <string>

#include "store/store.hpp"

namespace fieldbook::testing {

class ContractStores {
  public:
    ContractStores()
        : dir_(std::filesystem::temp_directory_path() /
               ("fieldbook-contract-" + std::to_string(std::random_device{}()))) {
        std::filesystem::create_directories(dir_);
    }
    ~ContractStores() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    ContractStores(const ContractStores&) = delete;
    ContractStores& operator=(const ContractStores&) = delete;

    store::Store fresh() {
        path_ = dir_ / ("fb-" + std::to_string(++made_) + ".db");
        return store::Store::open_or_create(path_);
    }
    store::Store another() const { return store::Store::open_existing(path_); }

  private:
    std::filesystem::path dir_;
    std::filesystem::path path_;
    int made_ = 0;
};

}  // namespace fieldbook::testing

#define FIELDBOOK_CONTRACT_ENGINE "sqlite"
#include "store_contract/contract_cases.hpp"
