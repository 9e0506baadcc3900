#include "store/sync/merge.hpp"

#include <fmt/format.h>

#include <map>

#include "errors.hpp"

namespace fieldbook::store::sync {
namespace {

// The latest edit of a field that the store has, as its operation log says.
struct LastEdit {
    std::int64_t log_id = 0;
    EditOrder instant;
    std::string op_uuid;
    std::string value;  // JSON
};

std::map<std::string, LastEdit> last_edits(Tx& tx, const std::string& table,
                                           const std::string& record_uuid,
                                           const std::string& own_device) {
    std::map<std::string, LastEdit> last;
    tx.each(
        "SELECT id, op_uuid, at_utc, device, new_values FROM op_log "
        "WHERE record_table = ? AND record_uuid = ? ORDER BY id",
        {table, record_uuid}, [&](const Row& row) {
            std::string op_uuid = row.is_null("op_uuid") ? "" : row.text("op_uuid");
            EditOrder at{instant_ms(op_uuid, row.text("at_utc")),
                         row.is_null("device") ? own_device : row.text("device")};
            auto values = nlohmann::json::parse(row.text("new_values"), nullptr, false);
            if (!values.is_object()) return;
            for (const auto& [field, value] : values.items()) {
                auto& edit = last[field];
                if (edit.log_id != 0 && !(edit.instant < at)) continue;
                edit = {row.integer("id"), at, op_uuid, value.dump()};
            }
        });
    return last;
}

Value value_of_json(const nlohmann::ordered_json& v) {
    if (v.is_null()) return Value{};
    if (v.is_boolean()) return Value{std::int64_t{v.get<bool>() ? 1 : 0}};
    if (v.is_number_integer()) return Value{v.get<std::int64_t>()};
    if (v.is_number()) return Value{v.get<double>()};
    if (v.is_string()) return Value{v.get<std::string>()};
    throw UsageError(fmt::format("sync: a value {} is not one a record holds", v.dump()));
}

std::string column_name(const std::string& table, const std::string& column) {
    bool ok = !column.empty();
    for (char c : column) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!ok) throw UsageError(fmt::format("sync: {} has no field \"{}\"", table, column));
    return column;
}

// The operation's values as this store's fields: each reference as this store's id.
Fields local_fields(Tx& tx, const References& references, const Operation& op) {
    Fields fields;
    for (const auto& [column, value] : op.values.items()) {
        const std::string* target = references.target(op.table, column_name(op.table, column));
        if (!target || value.is_null()) {
            fields.emplace_back(column, value_of_json(value));
            continue;
        }
        if (!value.is_string())
            throw UsageError(fmt::format("{}.{}: refers to a {} that the sender cannot name",
                                         op.table, column, *target));
        auto local = references.find(tx, *target, value.get<std::string>());
        if (!local)
            throw UsageError(
                fmt::format("{}.{}: refers to {} {}, which is not here (or not "
                            "yours to see)",
                            op.table, column, *target, value.get<std::string>()));
        fields.emplace_back(column, local->id);
    }
    return fields;
}

}  // namespace

Applied apply_operation(Tx& tx, const References& references, const Operation& op,
                        const Receiving& receiving) {
    if (!references.is_record_table(op.table))
        throw UsageError(fmt::format("sync: this store has no table \"{}\"", op.table));
    if (op.kind != "insert" && op.kind != "update" && op.kind != "tombstone")
        throw UsageError(fmt::format("sync: \"{}\" is no kind of operation", op.kind));
    Applied applied;
    bool before =
        receiving.applied_before
            ? receiving.applied_before->count(op.op_uuid) > 0
            : tx.one("SELECT id FROM op_log WHERE op_uuid = ? AND device IS NOT NULL", {op.op_uuid})
                  .has_value();
    if (before) {
        applied.duplicate = true;
        return applied;
    }
    auto local = references.find(tx, op.table, op.record_key);
    // A building is the team's: one added on two devices while apart is one building, the one
    // this store has by that name, and the other UUID is kept as an alias of it.
    if (!local && op.kind == "insert" && op.table == "building" && op.values.contains("name_key") &&
        op.values["name_key"].is_string()) {
        auto same = tx.one(
            "SELECT id, uuid FROM building WHERE name_key = ? AND deleted_at IS NULL "
            "ORDER BY id LIMIT 1",
            {op.values["name_key"].get<std::string>()});
        if (same) {
            tx.each("INSERT INTO sync_alias (record_table, uuid, local_uuid) VALUES (?, ?, ?)",
                    {op.table, op.record_uuid, same->text("uuid")}, [](const Row&) {});
            local = References::Local{same->integer("id"), same->text("uuid")};
        }
    }
    Fields fields = local_fields(tx, references, op);
    ReceivedChange change{.table = op.table,
                          .record_uuid = local ? local->uuid : op.record_uuid,
                          .id = local ? std::optional<std::int64_t>(local->id) : std::nullopt,
                          .kind = op.kind,
                          .op_uuid = op.op_uuid,
                          .device = op.device,
                          .at_utc = op.at_utc,
                          .command = op.command,
                          .command_at_utc = op.command_at_utc};
    if (!local) {
        if (op.kind != "insert")
            throw UsageError(
                fmt::format("{} {}: not here (or not yours to see)", op.table, op.record_key));
        change.fields = std::move(fields);
        tx.apply(change);
        return applied;
    }
    // A rep joins by handle, and the server's record of them is the one that holds: a push
    // leaves it as it is, a pull makes the laptop's record say the same (their role above all).
    if (op.table == "rep" && op.kind == "insert") {
        if (!receiving.sender_seen_through) change.fields = std::move(fields);
        tx.apply(change);
        return applied;
    }
    const EditOrder incoming{instant_ms(op.op_uuid, op.at_utc), op.device};
    auto last = last_edits(tx, op.table, change.record_uuid, receiving.own_device);
    auto concurrent = [&](const LastEdit& edit) {
        return receiving.sender_seen_through && edit.instant.device != op.device &&
               edit.log_id > *receiving.sender_seen_through;
    };
    auto record_conflict = [&](const std::string& field, const LastEdit& kept_or_lost,
                               const std::string& incoming_value, bool incoming_wins) {
        Conflict c{.table = op.table, .record_uuid = change.record_uuid, .field = field};
        if (incoming_wins) {
            c.kept_value = incoming_value, c.kept_op_uuid = op.op_uuid, c.kept_device = op.device;
            c.lost_value = kept_or_lost.value, c.lost_op_uuid = kept_or_lost.op_uuid,
            c.lost_device = kept_or_lost.instant.device;
        } else {
            c.kept_value = kept_or_lost.value, c.kept_op_uuid = kept_or_lost.op_uuid,
            c.kept_device = kept_or_lost.instant.device;
            c.lost_value = incoming_value, c.lost_op_uuid = op.op_uuid, c.lost_device = op.device;
        }
        applied.conflicts.push_back(std::move(c));
    };
    if (op.kind == "tombstone") {
        tx.apply(change);
        return applied;
    }
    // An edit of a deleted record: the tombstone stands.
    auto deleted = last.find("deleted_at");
    bool restores = op.values.contains("deleted_at");
    if (!restores && deleted != last.end() && deleted->second.value != "null" &&
        concurrent(deleted->second))
        record_conflict("deleted_at", deleted->second, nlohmann::json(op.values).dump(), false);
    for (auto& field : fields) {
        auto edit = last.find(field.first);
        std::string value = op.values[field.first].dump();
        if (edit == last.end()) {
            change.fields.push_back(std::move(field));
            continue;
        }
        bool wins = edit->second.instant < incoming;
        if (concurrent(edit->second) && edit->second.value != value)
            record_conflict(field.first, edit->second, value, wins);
        if (wins) change.fields.push_back(std::move(field));
    }
    tx.apply(change);
    return applied;
}

}  // namespace fieldbook::store::sync
