#include "domain/command_log.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "store/record_tables.hpp"

namespace fieldbook::command_log {
namespace {

// Table names come from the log or from the user; they are written into SQL text, so only the
// shape of a record table's name passes.
bool plain_name(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    return true;
}

std::optional<std::int64_t> id_of(store::Tx& tx, const std::string& table,
                                  const std::string& uuid) {
    if (!plain_name(table)) return std::nullopt;
    auto row = tx.one(fmt::format("SELECT id FROM {} WHERE uuid = ?", table), {uuid});
    if (!row) return std::nullopt;
    return row->integer("id");
}

// `tables`: the record tables of this store; an operation on another (from a newer store)
// names a record that has no id here.
std::vector<Operation> operations(store::Tx& tx, std::int64_t command_id,
                                  const std::optional<RecordRef>& only,
                                  const std::vector<std::string>& tables) {
    std::string sql =
        "SELECT id, record_table, record_uuid, kind, old_values, new_values FROM op_log "
        "WHERE command_id = ?";
    store::Values params{command_id};
    if (only) {
        sql += " AND record_table = ? AND record_uuid = ?";
        params.emplace_back(only->table);
        params.emplace_back(only->uuid);
    }
    sql += " ORDER BY id";
    std::vector<Operation> ops;
    tx.each(sql, params, [&](const store::Row& r) {
        ops.push_back({.id = r.integer("id"),
                       .table = r.text("record_table"),
                       .record_uuid = r.text("record_uuid"),
                       .kind = r.text("kind"),
                       .old_values = parse_fields(r.text("old_values")),
                       .new_values = parse_fields(r.text("new_values"))});
    });
    for (auto& op : ops)
        if (std::find(tables.begin(), tables.end(), op.table) != tables.end())
            op.record_id = id_of(tx, op.table, op.record_uuid);
    return ops;
}

constexpr std::string_view kCommandColumns = R"sql(
SELECT c.id, c.command_uuid, c.actor, c.argv, c.at_utc,
       (SELECT u.id FROM command u WHERE u.command_uuid = c.undoes) AS undoes_id
FROM command c)sql";

Command command_of(const store::Row& r) {
    Command c{.id = r.integer("id"),
              .uuid = r.text("command_uuid"),
              .actor = r.text("actor"),
              .at_utc = r.text("at_utc"),
              .undoes = r.optional_integer("undoes_id")};
    auto argv = nlohmann::json::parse(r.text("argv"), nullptr, false);
    if (argv.is_array())
        for (const auto& word : argv)
            if (word.is_string()) c.argv.push_back(word.get<std::string>());
    return c;
}

}  // namespace

std::optional<std::int64_t> undone_by(store::Tx& tx, const std::string& command_uuid) {
    // An undo that was itself undone no longer counts: the command is back in effect.
    std::vector<std::pair<std::int64_t, std::string>> undos;
    tx.each(
        "SELECT id, command_uuid FROM command WHERE undoes = ? ORDER BY id DESC", {command_uuid},
        [&](const store::Row& r) { undos.emplace_back(r.integer("id"), r.text("command_uuid")); });
    for (const auto& [id, uuid] : undos)
        if (!undone_by(tx, uuid)) return id;
    return std::nullopt;
}

store::Fields parse_fields(const std::string& json) {
    store::Fields fields;
    auto object = nlohmann::ordered_json::parse(json, nullptr, false);
    if (!object.is_object()) throw SystemError("op_log: a change is not a JSON object");
    for (const auto& [key, value] : object.items()) {
        store::Value v;
        if (value.is_number_integer())
            v = value.get<std::int64_t>();
        else if (value.is_number())
            v = value.get<double>();
        else if (value.is_string())
            v = value.get<std::string>();
        fields.emplace_back(key, std::move(v));
    }
    return fields;
}

std::string display(const store::Value& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return "∅";
            else if constexpr (std::is_same_v<T, std::string>)
                return x;
            else
                return fmt::format("{}", x);
        },
        v);
}

std::string record_label(const Operation& op) {
    if (op.record_id) return fmt::format("{} #{}", op.table, *op.record_id);
    return fmt::format("{} {}", op.table, op.record_uuid.substr(0, 13));
}

RecordRef resolve_record(Session& s, store::Tx& tx, const std::string& text,
                         std::string_view what) {
    auto colon = text.find(':');
    if (colon != std::string::npos) {
        std::string table = text.substr(0, colon);
        if (table == "order") table = "orders";
        std::string id = text.substr(colon + 1);
        auto tables = store::record_tables(s.store);
        if (std::find(tables.begin(), tables.end(), table) == tables.end())
            throw UsageError(fmt::format("{}: {} is not a kind of record (one of: {})", what,
                                         text.substr(0, colon), fmt::join(tables, ", ")));
        bool digits = !id.empty() && id.size() < 18;
        for (char c : id) digits = digits && c >= '0' && c <= '9';
        if (digits) {
            auto row =
                tx.one(fmt::format("SELECT uuid FROM {} WHERE id = ?", table), {std::stoll(id)});
            if (row) return {table, row->text("uuid")};
        }
        throw UsageError(fmt::format("{}: no {} #{}", what, table, id));
    }
    auto row = tx.one("SELECT record_table FROM op_log WHERE record_uuid = ? LIMIT 1", {text});
    if (!row)
        throw UsageError(
            fmt::format("{}: no change to a record {} is logged (expected TABLE:ID "
                        "such as visit:12, or a record UUID)",
                        what, text));
    return {row->text("record_table"), text};
}

void each(Session& s, store::Tx& tx, const Filter& filter,
          const std::function<void(const Command&)>& on_command) {
    std::string sql(kCommandColumns);
    std::vector<std::string> where;
    store::Values params;
    if (filter.actor) {
        where.emplace_back("c.actor = ?");
        params.emplace_back(*filter.actor);
    }
    if (filter.since) {
        where.emplace_back("c.at_utc >= ?");
        params.emplace_back(text::format_utc(text::local_instant(*filter.since, 0, 0, s.zone)));
    }
    if (filter.until) {
        where.emplace_back("c.at_utc < ?");
        params.emplace_back(text::format_utc(
            text::local_instant(*filter.until + std::chrono::days{1}, 0, 0, s.zone)));
    }
    if (filter.record) {
        where.emplace_back(
            "c.id IN (SELECT o.command_id FROM op_log o WHERE o.record_table = ? AND "
            "o.record_uuid = ?)");
        params.emplace_back(filter.record->table);
        params.emplace_back(filter.record->uuid);
    }
    for (std::size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
    sql += " ORDER BY c.id DESC";
    auto tables = store::record_tables(s.store);
    tx.each(sql, params, [&](const store::Row& r) {
        Command c = command_of(r);
        c.undone_by = undone_by(tx, c.uuid);
        c.operations = operations(tx, c.id, filter.record, tables);
        on_command(c);
    });
}

std::optional<Command> find(Session& s, store::Tx& tx, std::int64_t id) {
    auto row = tx.one(std::string(kCommandColumns) + " WHERE c.id = ?", {id});
    if (!row) return std::nullopt;
    Command c = command_of(*row);
    c.undone_by = undone_by(tx, c.uuid);
    c.operations = operations(tx, c.id, std::nullopt, store::record_tables(s.store));
    return c;
}

void each_of(Session& s, store::Tx& tx, const std::vector<RecordRef>& records,
             const std::function<void(const Command&)>& on_command) {
    // Record by record through the log's index on records, rather than one query naming them
    // all: a customer of years has hundreds of visits.
    std::set<std::pair<std::string, std::string>> wanted;
    std::set<std::int64_t, std::greater<>> command_ids;
    for (const auto& record : records) {
        if (!wanted.emplace(record.table, record.uuid).second) continue;
        tx.each("SELECT command_id FROM op_log WHERE record_table = ? AND record_uuid = ?",
                {record.table, record.uuid},
                [&](const store::Row& r) { command_ids.insert(r.integer("command_id")); });
    }
    auto tables = store::record_tables(s.store);
    for (auto id : command_ids) {
        auto row = tx.one(std::string(kCommandColumns) + " WHERE c.id = ?", {id});
        if (!row) continue;
        Command c = command_of(*row);
        c.undone_by = undone_by(tx, c.uuid);
        for (auto& op : operations(tx, c.id, std::nullopt, tables))
            if (wanted.count({op.table, op.record_uuid}) > 0) c.operations.push_back(std::move(op));
        on_command(c);
    }
}

}  // namespace fieldbook::command_log
