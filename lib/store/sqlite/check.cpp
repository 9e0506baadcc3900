#include "store/check.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <sstream>

#include "store/damage_mark.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/failure.hpp"
#include "store/store.hpp"

namespace fieldbook::store {

CheckReport check_store(Store& store) {
    CheckReport report;
    try {
        report.schema_version = store.schema_version();
        SQLite::Statement integrity(database(store), "PRAGMA integrity_check");
        while (integrity.executeStep()) {
            // One row may hold several findings, one a line, under SQLite's heading
            // "*** in database main ***", which is no finding of its own.
            std::istringstream lines(integrity.getColumn(0).getString());
            for (std::string line; std::getline(lines, line);)
                if (line != "ok" && line.rfind("*** ", 0) != 0) report.damage.push_back(line);
        }
    } catch (const SQLite::Exception& e) {
        // Damage bad enough to stop the check itself (the schema or a root page unreadable).
        if (!is_damage(e)) fail(store, e);
        report.damage.push_back(fmt::format("the check stopped here: {}", e.what()));
    }
    if (!report.damage.empty()) {
        store.mark_damaged(fmt::format("`fieldbook db check` found {} problem(s), first: {}",
                                       report.damage.size(), report.damage.front()));
        return report;
    }
    if (store.path() != ":memory:") clear_damage_mark(store.path());
    try {
        SQLite::Statement keys(database(store), "PRAGMA foreign_key_check");
        while (keys.executeStep())
            report.broken_references.push_back(fmt::format(
                "{} row {} names a {} that does not exist", keys.getColumn(0).getString(),
                keys.getColumn(1).getInt64(), keys.getColumn(2).getString()));
    } catch (const SQLite::Exception& e) {
        fail(store, e);
    }
    return report;
}

}  // namespace fieldbook::store
