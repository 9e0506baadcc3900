#include "store/store.hpp"

#include <fmt/format.h>

#include "domain/meeting_fingerprint_upgrade.hpp"
#include "errors.hpp"
#include "store/damage_mark.hpp"
#include "store/engine.hpp"
#include "store/failure.hpp"
#include "store/location.hpp"
#include "store/logged_tx.hpp"
#include "store/schema.hpp"
#include "store/search_index.hpp"

namespace fieldbook::store {

namespace fs = std::filesystem;

int latest_schema_version() {
    return static_cast<int>(migrations().size());
}

Store::Store(std::unique_ptr<Engine> engine, fs::path path)
    : engine_(std::move(engine)), path_(std::move(path)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& location, const OpenOptions& options, bool create) {
    if (is_server_url(location)) return open_server(location, options, create);
    return create ? open_or_create(location, options) : open_existing(location, options);
}

std::unique_ptr<Tx> Store::tx(const Author& author, const Clock& clock, UuidGenerator& uuids) {
    return std::make_unique<LoggedTx>(*this, author, clock, uuids);
}

std::unique_ptr<Tx> Store::read_tx() {
    return std::make_unique<LoggedTx>(*this);
}

std::optional<std::string> Store::login_role() {
    return engine_->login_role();
}

int Store::schema_version() {
    return engine_->schema_version();
}

void Store::migrate() {
    const int latest = latest_schema_version();
    int version = 0;
    try {
        version = schema_version();
    } catch (...) {
        rethrow_failure();
    }
    if (version == latest) return;
    if (version > latest)
        throw SystemError(
            fmt::format("store {} has schema version {}, newer than this fieldbook knows ({})",
                        path_.string(), version, latest),
            "upgrade fieldbook");
    if (read_only_reason_)
        throw SystemError(
            fmt::format("store {} has schema version {}, older than this fieldbook needs ({}), and "
                        "cannot be upgraded: it is read-only ({})",
                        path_.string(), version, latest, *read_only_reason_),
            "make it writable and run any fieldbook command once to upgrade it");
    refuse_if_damaged();
    if (version > 0) engine_->before_upgrade(version);
    write([&] {
        // Another process may have migrated while this one waited for the write lock.
        int current = schema_version();
        const auto& steps = engine_->migrations();
        for (int step = current; step < latest; ++step)
            if (!steps[static_cast<std::size_t>(step)].empty())
                engine_->script(steps[static_cast<std::size_t>(step)]);
        engine_->set_schema_version(latest);
        // Data derived from existing rows is filled by the code that keeps it up to date,
        // now that every table it reads has its current shape.
        if (current < kVisitSearchVersion) index_all_visits(*this);
        // The one step that needs a domain computation (the day's canonical records); it reads
        // through this store only, in this transaction.
        if (current < kMeetingFingerprintVersion) meeting_fingerprint::fill_archived_days(*this);
    });
}

void Store::rethrow_failure() {
    engine_->rethrow_failure();
    throw;  // not reached: the engine throws (the compiler cannot see it through the call)
}

void Store::fail_and_roll_back() {
    try {
        rethrow_failure();
    } catch (...) {
        rollback();
        throw;
    }
}

void Store::mark_damaged(const std::string& reason) {
    if (marks_damage_) store::mark_damaged(path_, reason);
}

void Store::refuse_if_damaged() {
    if (!marks_damage_) return;
    auto mark = find_damage_mark(path_);
    if (!mark) return;
    throw SystemError(fmt::format("{} ({} was marked damaged at {}: {})", kStoreIsDamaged,
                                  path_.string(), mark->found_at, mark->reason),
                      fmt::format("nothing was written; the mark is {}", mark->file.string()));
}

void Store::refuse_if_read_only() {
    if (!read_only_reason_) return;
    throw SystemError(fmt::format("store {} is read-only: {}", path_.string(), *read_only_reason_),
                      "nothing was written");
}

void Store::begin_immediate() {
    if (writes_refused_) throw UsageError(*writes_refused_);
    refuse_if_damaged();
    refuse_if_read_only();
    search_pending_.clear();
    try {
        engine_->begin_write();
        ++transaction_serial_;
    } catch (...) {
        rethrow_failure();
    }
}

void Store::begin_deferred() {
    try {
        engine_->begin_read();
        ++transaction_serial_;
    } catch (...) {
        rethrow_failure();
    }
}

void Store::finish_write() {
    std::set<std::int64_t> pending;
    pending.swap(search_pending_);
    for (auto id : pending) reindex_visit(*this, id);
    commit();
}

void Store::commit() {
    engine_->commit();
}

void Store::rollback() {
    search_pending_.clear();
    engine_->rollback();
}

std::optional<std::string> Store::meta(const std::string& key) {
    std::optional<std::string> value;
    engine_->query("SELECT value FROM meta WHERE key = ?", {key},
                   [&](const Row& row) { value = row.text("value"); });
    return value;
}

void Store::set_meta(const std::string& key, const std::string& value) {
    engine_->query(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {key, value}, [](const Row&) {});
}

void Store::erase_meta(const std::string& key) {
    engine_->query("DELETE FROM meta WHERE key = ?", {key}, [](const Row&) {});
}

void Store::set_derived(std::string_view table, std::int64_t id, std::string_view column,
                        const Value& value) {
    auto plain = [](std::string_view name) {
        for (char c : name)
            if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
        return !name.empty();
    };
    if (!plain(table) || !plain(column))
        throw SystemError(fmt::format("store: {}.{} is not a column", table, column));
    engine_->query(fmt::format("UPDATE {} SET {} = ? WHERE id = ?", table, column), {value, id},
                   [](const Row&) {});
}

void Store::prepare_for_bulk_write() {
    try {
        engine_->prepare_for_bulk_write();
    } catch (...) {
        rethrow_failure();
    }
}

}  // namespace fieldbook::store
