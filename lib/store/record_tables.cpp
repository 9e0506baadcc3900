#include "store/record_tables.hpp"

#include "store/engine.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

std::vector<std::string> record_tables(Store& store) {
    return store.engine().record_tables();
}

std::vector<Reference> references_to(Store& store, const std::string& table) {
    return store.engine().references_to(table);
}

void erase_all_records(Store& store) {
    store.engine().erase_all_records();
}

}  // namespace fieldbook::store
