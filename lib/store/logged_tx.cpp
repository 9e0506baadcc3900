#include "store/logged_tx.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "store/engine.hpp"
#include "store/search_index.hpp"
#include "store/store.hpp"
#include "text/dates.hpp"

namespace fieldbook::store {
namespace {

// Table and column names are written into the SQL text, so they must be plain identifiers: a
// name that is not one is a bug in the caller, never something a user typed.
const std::string& identifier(const std::string& name) {
    bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) throw SystemError(fmt::format("store: \"{}\" is not a column or table name", name));
    return name;
}

// The record calls stamp these; a caller that sets them would falsify the log.
bool stamped(std::string_view column) {
    return column == "id" || column == "uuid" || column == "created_at" || column == "updated_at";
}

std::string record_table(std::string_view table) {
    std::string name(table);
    identifier(name);
    if (name == "op_log" || name == "command" || name == "meta")
        throw SystemError(fmt::format("store: {} holds no records", name));
    return name;
}

nlohmann::ordered_json as_json(const Fields& fields) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    // Not a structured binding: clang 14 (the fuzzing build) cannot capture one in a lambda.
    for (const auto& field : fields)
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    object[field.first] = nullptr;
                else
                    object[field.first] = x;
            },
            field.second);
    return object;
}

bool changes_any(const Fields& fields, std::initializer_list<std::string_view> columns) {
    for (const auto& field : fields)
        for (auto column : columns)
            if (field.first == column) return true;
    return false;
}

}  // namespace

// The search index is derived from visits and from the names of their customer, contact and
// building; a change to any of those is re-indexed as the transaction commits, whoever made
// it (a command, an undo, a sync), so the index never needs logging.
void LoggedTx::derive(std::string_view table, std::int64_t id, const Fields& changed) {
    if (table == "visit") {
        index_visit(store_, id);
    } else if (table == "customer") {
        if (changes_any(changed, {"name", "building_id", "deleted_at"}))
            index_customer_visits(store_, id);
    } else if (table == "contact" || table == "building") {
        if (!changes_any(changed, {"name", "title", "deleted_at"})) return;
        std::string sql = table == "contact"
                              ? "SELECT DISTINCT customer_id AS id FROM visit WHERE contact_id = ?"
                              : "SELECT id FROM customer WHERE building_id = ?";
        std::vector<std::int64_t> customers;
        each(sql, {id}, [&](const Row& r) { customers.push_back(r.integer("id")); });
        for (auto customer : customers) index_customer_visits(store_, customer);
    }
}

LoggedTx::LoggedTx(Store& store) : store_(store) {}

LoggedTx::LoggedTx(Store& store, const Author& author, const Clock& clock, UuidGenerator& uuids)
    : store_(store), writing_(Writing{author, clock, uuids}), now_(text::format_utc(clock.now())) {}

const LoggedTx::Writing& LoggedTx::writing(std::string_view call) const {
    if (!writing_) throw SystemError(fmt::format("store: {} in a read transaction", call));
    return *writing_;
}

void LoggedTx::each(std::string_view sql, const Values& params,
                    const std::function<void(const Row&)>& on_row) {
    store_.engine().query(sql, params, on_row);
}

void LoggedTx::run(const std::string& sql, const Values& params) {
    store_.engine().query(sql, params, [](const Row&) {});
}

Inserted LoggedTx::insert(std::string_view table, const Fields& fields) {
    const Writing& w = writing("insert");
    std::string name = record_table(table);
    // The id is drawn as every engine draws it alike (Engine::next_id).
    std::string columns = "id, uuid", marks = store_.engine().next_id(name) + ", ?";
    for (const auto& [column, value] : fields) {
        if (stamped(column))
            throw SystemError(fmt::format("store: {} is stamped, not set", column));
        columns += ", " + identifier(column);
        marks += ", ?";
    }
    check({name, std::nullopt, "insert", fields});
    Inserted inserted{.uuid = w.uuids.next()};
    Values params;
    params.reserve(fields.size() + 3);
    params.emplace_back(inserted.uuid);
    for (const auto& field : fields) params.push_back(field.second);
    params.emplace_back(now_);
    params.emplace_back(now_);
    bool returned = false;
    each(fmt::format("INSERT INTO {} ({}, created_at, updated_at) VALUES ({}, ?, ?) RETURNING id",
                     name, columns, marks),
         params, [&](const Row& row) {
             inserted.id = row.integer("id");
             returned = true;
         });
    if (!returned) throw SystemError(fmt::format("store: insert into {} returned no id", name));
    // A new record's empty fields are what its table gives an unset column: the log keeps the
    // values set (an import's log is then a third of the size, and as fast to write).
    Fields set;
    for (const auto& field : fields)
        if (!is_null(field.second)) set.push_back(field);
    append(name, inserted.uuid, "insert", {}, set);
    derive(name, inserted.id, fields);
    return inserted;
}

bool LoggedTx::update(std::string_view table, std::int64_t id, const Fields& changes) {
    writing("update");
    std::string name = record_table(table);
    std::string columns = "uuid, deleted_at";
    for (const auto& [column, value] : changes) {
        if (stamped(column))
            throw SystemError(fmt::format("store: {} is stamped, not set", column));
        columns += ", " + identifier(column);
    }
    Fields before, after;
    std::string record_uuid;
    bool deleted = false;
    bool found = false;
    each(fmt::format("SELECT {} FROM {} WHERE id = ?", columns, name), {id}, [&](const Row& row) {
        found = true;
        record_uuid = row.text("uuid");
        deleted = !row.is_null("deleted_at");
        for (const auto& change : changes) {
            const Value& old = row[change.first];
            if (old == change.second) continue;
            before.emplace_back(change.first, old);
            after.push_back(change);
        }
    });
    if (!found) throw SystemError(fmt::format("store: no {} #{}", name, id));
    bool restores = false;
    for (const auto& [column, value] : after) restores = restores || column == "deleted_at";
    if (deleted && !restores)
        throw SystemError(fmt::format("store: {} #{} is deleted and cannot be changed", name, id));
    if (after.empty()) return false;
    check({name, id, "update", after});
    std::string sets;
    for (const auto& [column, value] : after) sets += column + " = ?, ";
    Values params;
    params.reserve(after.size() + 2);
    for (const auto& field : after) params.push_back(field.second);
    params.emplace_back(now_);
    params.emplace_back(id);
    run(fmt::format("UPDATE {} SET {}updated_at = ? WHERE id = ?", name, sets), params);
    append(name, record_uuid, "update", before, after);
    derive(name, id, after);
    return true;
}

void LoggedTx::tombstone(std::string_view table, std::int64_t id) {
    writing("tombstone");
    std::string name = record_table(table);
    std::string record_uuid;
    bool found = false, already = false;
    each(fmt::format("SELECT uuid, deleted_at FROM {} WHERE id = ?", name), {id},
         [&](const Row& row) {
             found = true;
             already = !row.is_null("deleted_at");
             record_uuid = row.text("uuid");
         });
    if (!found) throw SystemError(fmt::format("store: no {} #{}", name, id));
    if (already) return;  // already deleted: nothing changes, nothing logged
    Fields deleted{{"deleted_at", now_}};
    check({name, id, "tombstone", deleted});
    run(fmt::format("UPDATE {} SET deleted_at = ?, updated_at = ? WHERE id = ?", name),
        {now_, now_, id});
    append(name, record_uuid, "tombstone", {{"deleted_at", Value{}}}, deleted);
    derive(name, id, deleted);
}

// The command's row is written with its first change, so a command that changes nothing
// leaves no trace in the log.
std::int64_t LoggedTx::command_id() {
    if (command_id_ && command_id_serial_ == store_.transaction_serial()) return *command_id_;
    command_id_ = command_row(writing("log").author, now_);
    command_id_serial_ = store_.transaction_serial();
    return *command_id_;
}

std::int64_t LoggedTx::command_row(const Author& author, const std::string& at_utc) {
    // As typed, which may not be UTF-8: such bytes are logged as U+FFFD rather than failing
    // the change, whose own input checks say what is wrong with them.
    std::string argv =
        nlohmann::json(author.argv).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    Value undoes;
    if (!author.undoes.empty()) undoes = author.undoes;
    run("INSERT INTO command (id, command_uuid, actor, argv, at_utc, undoes) VALUES (" +
            store_.engine().next_id("command") +
            ", ?, ?, ?, ?, ?) ON CONFLICT (command_uuid) DO NOTHING",
        {author.command_uuid, author.actor, argv, at_utc, undoes});
    auto row = one("SELECT id FROM command WHERE command_uuid = ?", {author.command_uuid});
    if (!row) throw SystemError("store: the command was not logged");
    return row->integer("id");
}

void LoggedTx::append(std::string_view table, const std::string& record_uuid, std::string_view kind,
                      const Fields& old_values, const Fields& new_values) {
    std::int64_t command = command_id();
    append(command, {writing("log").uuids.next(), now_, std::nullopt}, table, record_uuid, kind,
           old_values, new_values);
}

void LoggedTx::append(std::int64_t command, const Stamp& stamp, std::string_view table,
                      const std::string& record_uuid, std::string_view kind,
                      const Fields& old_values, const Fields& new_values) {
    run("INSERT INTO op_log (op_uuid, command_id, at_utc, record_table, record_uuid, kind, "
        "old_values, new_values, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {stamp.op_uuid, command, stamp.at_utc, std::string(table), record_uuid, std::string(kind),
         as_json(old_values).dump(), as_json(new_values).dump(), value_of(stamp.device)});
}

std::int64_t LoggedTx::apply(const ReceivedChange& change) {
    writing("apply");
    std::string name = record_table(change.table);
    for (const auto& field : change.fields) {
        if (stamped(field.first))
            throw SystemError(fmt::format("store: {} is stamped, not set", field.first));
        identifier(field.first);
    }
    if (received_commands_serial_ != store_.transaction_serial()) {
        received_commands_.clear();
        received_commands_serial_ = store_.transaction_serial();
    }
    auto known = received_commands_.find(change.command.command_uuid);
    std::int64_t command = known != received_commands_.end()
                               ? known->second
                               : received_commands_[change.command.command_uuid] =
                                     command_row(change.command, change.command_at_utc);
    const Stamp stamp{change.op_uuid, change.at_utc, change.device};
    std::int64_t id = 0;
    Fields before, after;
    if (!change.id) {
        // A record this store lacks arrives with the fields its insert set. The id is drawn
        // first and no row is returned: on a server a rep may add a record they cannot then
        // read (a customer given to someone else), as an insert there allows.
        check({name, std::nullopt, "insert", change.fields});
        auto drawn = one("SELECT " + store_.engine().next_id(name) + " AS id");
        if (!drawn) throw SystemError(fmt::format("store: no id for {}", name));
        id = drawn->integer("id");
        std::string columns = "id, uuid", marks = "?, ?";
        Values params{id, change.record_uuid};
        for (const auto& [column, value] : change.fields) {
            columns += ", " + column;
            marks += ", ?";
            params.push_back(value);
        }
        params.emplace_back(change.at_utc);
        params.emplace_back(now_);
        run(fmt::format("INSERT INTO {} ({}, created_at, updated_at) VALUES ({}, ?, ?)", name,
                        columns, marks),
            params);
        for (const auto& field : change.fields)
            if (!is_null(field.second)) after.push_back(field);
    } else {
        id = *change.id;
        std::string columns = "deleted_at";
        for (const auto& field : change.fields) columns += ", " + field.first;
        bool found = false, deleted = false;
        each(fmt::format("SELECT {} FROM {} WHERE id = ?", columns, name), {id},
             [&](const Row& row) {
                 found = true;
                 deleted = !row.is_null("deleted_at");
                 for (const auto& field : change.fields) {
                     const Value& old = row[field.first];
                     if (old == field.second) continue;
                     before.emplace_back(field.first, old);
                     after.push_back(field);
                 }
             });
        if (!found) throw SystemError(fmt::format("store: no {} #{}", name, id));
        if (change.kind == "tombstone") {
            // The first tombstone stands: deleting again changes nothing.
            before.clear();
            after.clear();
            if (!deleted) {
                before.emplace_back("deleted_at", Value{});
                after.emplace_back("deleted_at", change.at_utc);
            }
        }
        if (!after.empty()) {
            check({name, id, change.kind == "tombstone" ? "tombstone" : "update", after});
            std::string sets;
            Values params;
            for (const auto& [column, value] : after) {
                sets += column + " = ?, ";
                params.push_back(value);
            }
            params.emplace_back(now_);
            params.emplace_back(id);
            run(fmt::format("UPDATE {} SET {}updated_at = ? WHERE id = ?", name, sets), params);
        }
    }
    // Logged even when nothing changed (every field lost): the log is what says it was applied.
    append(command, stamp, name, change.record_uuid, change.kind, before, after);
    derive(name, id, change.id ? after : change.fields);
    return id;
}

}  // namespace fieldbook::store
