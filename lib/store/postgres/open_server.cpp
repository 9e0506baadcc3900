#include <fmt/format.h>

#include "errors.hpp"
#include "store/location.hpp"
#include "store/postgres/pg_engine.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

Store Store::open_server(const std::string& url, const OpenOptions& options, bool create) {
    auto engine = std::make_unique<postgres::PgEngine>(url, options.lock_timeout_ms);
    Store store(std::move(engine), redacted(url));
    store.lock_timeout_ms_ = options.lock_timeout_ms;
    int version = 0;
    try {
        version = store.schema_version();
    } catch (...) {
        store.rethrow_failure();
    }
    if (version == 0 && !create)
        throw Error(fmt::format("{} holds no fieldbook store", redacted(url)),
                    "run `fieldbook init --db URL` (or `fieldbook server init`) to create one");
    if (version == 0)
        postgres::require_store_locale(dynamic_cast<postgres::PgEngine&>(store.engine()));
    if (options.upgrade || version == 0) store.migrate();
    return store;
}

}  // namespace fieldbook::store
