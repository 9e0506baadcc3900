#include "store/sqlite/sqlite_tx.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <initializer_list>
#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "store/search_index.hpp"
#include "store/sqlite/connection.hpp"
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

void bind(SQLite::Statement& q, int index, const Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                q.bind(index);
            else
                q.bind(index, x);
        },
        v);
}

Value column_value(const SQLite::Column& c) {
    if (c.isNull()) return {};
    if (c.isInteger()) return c.getInt64();
    if (c.isFloat()) return c.getDouble();
    return c.getString();
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
void SqliteTx::derive(std::string_view table, std::int64_t id, const Fields& changed) {
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

SqliteTx::SqliteTx(Store& store) : store_(store) {}

SqliteTx::SqliteTx(Store& store, const Author& author, const Clock& clock, UuidGenerator& uuids)
    : store_(store), writing_(Writing{author, clock, uuids}), now_(text::format_utc(clock.now())) {}

const SqliteTx::Writing& SqliteTx::writing(std::string_view call) const {
    if (!writing_) throw SystemError(fmt::format("store: {} in a read transaction", call));
    return *writing_;
}

void SqliteTx::each(std::string_view sql, const Values& params,
                    const std::function<void(const Row&)>& on_row) {
    auto q = prepare(store_, std::string(sql));
    for (std::size_t i = 0; i < params.size(); ++i) bind(*q, static_cast<int>(i + 1), params[i]);
    std::shared_ptr<std::vector<std::string>> columns;
    while (q->executeStep()) {
        if (!columns) {
            columns = std::make_shared<std::vector<std::string>>();
            for (int c = 0; c < q->getColumnCount(); ++c) columns->push_back(q->getColumnName(c));
        }
        Values values;
        values.reserve(columns->size());
        for (int c = 0; c < q->getColumnCount(); ++c)
            values.push_back(column_value(q->getColumn(c)));
        on_row(Row(columns, std::move(values)));
    }
}

Inserted SqliteTx::insert(std::string_view table, const Fields& fields) {
    const Writing& w = writing("insert");
    std::string name = record_table(table);
    std::string columns = "uuid", marks = "?";
    for (const auto& [column, value] : fields) {
        if (stamped(column))
            throw SystemError(fmt::format("store: {} is stamped, not set", column));
        columns += ", " + identifier(column);
        marks += ", ?";
    }
    check({name, std::nullopt, "insert", fields});
    auto q = prepare(
        store_,
        fmt::format("INSERT INTO {} ({}, created_at, updated_at) VALUES ({}, ?, ?) RETURNING id",
                    name, columns, marks));
    Inserted inserted{.uuid = w.uuids.next()};
    int index = 1;
    q->bind(index++, inserted.uuid);
    for (const auto& field : fields) bind(*q, index++, field.second);
    q->bind(index++, now_);
    q->bind(index++, now_);
    if (!q->executeStep())
        throw SystemError(fmt::format("store: insert into {} returned no id", name));
    inserted.id = q->getColumn(0).getInt64();
    q->reset();
    // A new record's empty fields are what its table gives an unset column: the log keeps the
    // values set (an import's log is then a third of the size, and as fast to write).
    Fields set;
    for (const auto& field : fields)
        if (!is_null(field.second)) set.push_back(field);
    append(name, inserted.uuid, "insert", {}, set);
    derive(name, inserted.id, fields);
    return inserted;
}

bool SqliteTx::update(std::string_view table, std::int64_t id, const Fields& changes) {
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
    {
        auto q = prepare(store_, fmt::format("SELECT {} FROM {} WHERE id = ?", columns, name));
        q->bind(1, id);
        if (!q->executeStep()) throw SystemError(fmt::format("store: no {} #{}", name, id));
        record_uuid = q->getColumn(0).getString();
        deleted = !q->getColumn(1).isNull();
        for (std::size_t i = 0; i < changes.size(); ++i) {
            Value old = column_value(q->getColumn(static_cast<int>(i + 2)));
            if (old == changes[i].second) continue;
            before.emplace_back(changes[i].first, std::move(old));
            after.push_back(changes[i]);
        }
    }
    bool restores = false;
    for (const auto& [column, value] : after) restores = restores || column == "deleted_at";
    if (deleted && !restores)
        throw SystemError(fmt::format("store: {} #{} is deleted and cannot be changed", name, id));
    if (after.empty()) return false;
    check({name, id, "update", after});
    std::string sets;
    for (const auto& [column, value] : after) sets += column + " = ?, ";
    auto q =
        prepare(store_, fmt::format("UPDATE {} SET {}updated_at = ? WHERE id = ?", name, sets));
    int index = 1;
    for (const auto& field : after) bind(*q, index++, field.second);
    q->bind(index++, now_);
    q->bind(index++, id);
    q->exec();
    append(name, record_uuid, "update", before, after);
    derive(name, id, after);
    return true;
}

void SqliteTx::tombstone(std::string_view table, std::int64_t id) {
    writing("tombstone");
    std::string name = record_table(table);
    std::string record_uuid;
    {
        auto q = prepare(store_, fmt::format("SELECT uuid, deleted_at FROM {} WHERE id = ?", name));
        q->bind(1, id);
        if (!q->executeStep()) throw SystemError(fmt::format("store: no {} #{}", name, id));
        if (!q->getColumn(1).isNull()) return;  // already deleted: nothing changes, nothing logged
        record_uuid = q->getColumn(0).getString();
    }
    Fields deleted{{"deleted_at", now_}};
    check({name, id, "tombstone", deleted});
    auto q = prepare(
        store_, fmt::format("UPDATE {} SET deleted_at = ?, updated_at = ? WHERE id = ?", name));
    q->bind(1, now_);
    q->bind(2, now_);
    q->bind(3, id);
    q->exec();
    append(name, record_uuid, "tombstone", {{"deleted_at", Value{}}}, deleted);
    derive(name, id, deleted);
}

// The command's row is written with its first change, so a command that changes nothing
// leaves no trace in the log.
std::int64_t SqliteTx::command_id() {
    if (command_id_ && command_id_serial_ == store_.transaction_serial()) return *command_id_;
    const Writing& w = writing("log");
    {
        auto q = prepare(store_,
                         "INSERT INTO command (command_uuid, actor, argv, at_utc, undoes) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (command_uuid) DO NOTHING");
        q->bind(1, w.author.command_uuid);
        q->bind(2, w.author.actor);
        // As typed, which may not be UTF-8: such bytes are logged as U+FFFD rather than failing
        // the change, whose own input checks say what is wrong with them.
        q->bind(3, nlohmann::json(w.author.argv)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        q->bind(4, now_);
        if (w.author.undoes.empty())
            q->bind(5);
        else
            q->bind(5, w.author.undoes);
        q->exec();
    }
    auto q = prepare(store_, "SELECT id FROM command WHERE command_uuid = ?");
    q->bind(1, w.author.command_uuid);
    if (!q->executeStep()) throw SystemError("store: the command was not logged");
    command_id_ = q->getColumn(0).getInt64();
    command_id_serial_ = store_.transaction_serial();
    return *command_id_;
}

void SqliteTx::append(std::string_view table, const std::string& record_uuid, std::string_view kind,
                      const Fields& old_values, const Fields& new_values) {
    std::int64_t command = command_id();
    auto q =
        prepare(store_,
                "INSERT INTO op_log (op_uuid, command_id, at_utc, record_table, record_uuid, kind, "
                "old_values, new_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q->bind(1, writing("log").uuids.next());
    q->bind(2, command);
    q->bind(3, now_);
    q->bind(4, std::string(table));
    q->bind(5, record_uuid);
    q->bind(6, std::string(kind));
    q->bind(7, as_json(old_values).dump());
    q->bind(8, as_json(new_values).dump());
    q->exec();
}

}  // namespace fieldbook::store
