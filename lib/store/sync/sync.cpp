#include "store/sync/sync.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "errors.hpp"
#include "store/engine.hpp"
#include "store/store.hpp"
#include "store/sync/merge.hpp"
#include "store/sync/references.hpp"
#include "text/dates.hpp"

namespace fieldbook::store::sync {
namespace {

// Operations travel in batches: each is one transaction on the receiving store, and a cut-off
// sync loses at most one batch's work (which the next one redoes). Small, because a server's
// writers take turns: twenty laptops pushing at once each wait for the others' batches.
constexpr std::int64_t kBatch = 50;

constexpr const char* kPushed = "sync.pushed_through";
constexpr const char* kPulled = "sync.pulled_through";
constexpr const char* kConflictsCopied = "sync.conflicts_through";
constexpr const char* kClock = "sync.clock";

std::int64_t counter(Store& store, const char* key) {
    auto value = store.meta(key);
    return value ? std::stoll(*value) : 0;
}

// The device whose operations have no device in this store's log: the store itself.
std::string device_of(Store& store) {
    return store.meta("device_id").value_or("server");
}

using Group = std::vector<Operation>;

// The operations of `sql` (the op_log joined with its command), their references as keys.
std::vector<Operation> read_operations(Tx& tx, const References& references, const std::string& sql,
                                       const Values& params, const std::string& own_device) {
    std::vector<Operation> ops;
    tx.each(sql, params, [&](const Row& row) {
        Operation op;
        op.source_id = row.integer("id");
        op.op_uuid = row.is_null("op_uuid")
                         ? fmt::format("{}/{}", row.text("command_uuid"), op.source_id)
                         : row.text("op_uuid");
        op.device = row.is_null("device") ? own_device : row.text("device");
        op.at_utc = row.text("at_utc");
        op.table = row.text("record_table");
        op.record_uuid = row.text("record_uuid");
        op.kind = row.text("kind");
        op.values = nlohmann::ordered_json::parse(row.text("new_values"));
        op.command.command_uuid = row.text("command_uuid");
        op.command.actor = row.text("actor");
        for (const auto& arg : nlohmann::json::parse(row.text("argv")))
            op.command.argv.push_back(arg.get<std::string>());
        op.command.undoes = row.is_null("undoes") ? "" : row.text("undoes");
        op.command_at_utc = row.text("command_at");
        ops.push_back(std::move(op));
    });
    // Keys are looked up once the rows are read: a query may not run inside another's rows.
    for (auto& op : ops) {
        op.record_key =
            references.key_of_uuid(tx, op.table, op.record_uuid).value_or(op.record_uuid);
        for (auto& [column, value] : op.values.items()) {
            const std::string* target = references.target(op.table, column);
            if (!target || !value.is_number_integer()) continue;
            auto key = references.key_of(tx, *target, value.get<std::int64_t>());
            value =
                key ? nlohmann::ordered_json(*key) : nlohmann::ordered_json{{"unseen", *target}};
        }
    }
    return ops;
}

constexpr const char* kOperationColumns =
    "SELECT o.id, o.op_uuid, o.at_utc, o.device, o.record_table, o.record_uuid, o.kind, "
    "o.new_values, c.command_uuid, c.actor, c.argv, c.at_utc AS command_at, c.undoes "
    "FROM op_log o JOIN command c ON c.id = o.command_id ";

std::vector<Group> by_command(std::vector<Operation> ops) {
    std::vector<Group> groups;
    for (auto& op : ops) {
        if (groups.empty() || groups.back().front().command.command_uuid != op.command.command_uuid)
            groups.emplace_back();
        groups.back().push_back(std::move(op));
    }
    return groups;
}

// Runs fn, and returns why the receiving store refused it (a rule, a policy, a record it
// lacks), or nothing when it did not. Other failures (a lost connection) stop the sync.
std::optional<std::string> refusal(const std::function<void()>& fn) {
    try {
        fn();
        return std::nullopt;
    } catch (const UsageError& e) {
        return std::string(e.what());
    } catch (const NotFound& e) {
        return std::string(e.what());
    }
}

void quarantine_group(Store& store, const Group& group, const std::string& direction,
                      const std::string& reason, const std::string& now) {
    for (const auto& op : group)
        store.engine().query(
            "INSERT INTO sync_quarantine (at_utc, direction, op_uuid, command_uuid, record_table, "
            "record_uuid, kind, new_values, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {now, direction, op.op_uuid, op.command.command_uuid, op.table, op.record_uuid, op.kind,
             op.values.dump(), reason},
            [](const Row&) {});
}

struct BatchResult {
    std::int64_t applied = 0, before = 0;
    std::vector<std::pair<const Group*, std::string>> refused;
};

// Applies the groups to `to` in one transaction; when one is refused, again one group per
// transaction, so that only the refused ones are left out. `fits` refuses a group before it is
// tried; `after` runs in the receiving transaction once the groups are applied.
BatchResult apply_batch(Side to, const References& references, const std::vector<Group>& groups,
                        const Receiving& receiving,
                        const std::function<std::optional<std::string>(const Group&)>& fits,
                        const std::function<void(const std::vector<Conflict>&)>& on_conflicts,
                        const std::function<void(const BatchResult&)>& after) {
    auto apply_group = [&](const Group& group, BatchResult& result, const Receiving& how) {
        for (const auto& op : group) {
            Applied applied = apply_operation(to.tx, references, op, how);
            (applied.duplicate ? result.before : result.applied) += 1;
            if (!applied.conflicts.empty()) on_conflicts(applied.conflicts);
        }
    };
    BatchResult result;
    auto whole = refusal([&] {
        to.store.write([&] {
            references.forget();
            result = {};
            // Which of the batch's operations are here already, in one query.
            std::set<std::string> before;
            Values uuids;
            std::string marks;
            for (const auto& group : groups)
                for (const auto& op : group) {
                    marks += marks.empty() ? "?" : ", ?";
                    uuids.emplace_back(op.op_uuid);
                }
            to.tx.each("SELECT op_uuid FROM op_log WHERE device IS NOT NULL AND op_uuid IN (" +
                           marks + ")",
                       uuids, [&](const Row& row) { before.insert(row.text("op_uuid")); });
            Receiving how = receiving;
            how.applied_before = &before;
            for (const auto& group : groups) {
                if (auto why = fits(group))
                    result.refused.emplace_back(&group, *why);
                else
                    apply_group(group, result, how);
            }
            after(result);
        });
    });
    if (!whole) return result;
    // One at a time: each group commits or is refused alone.
    result = {};
    for (const auto& group : groups) {
        auto why = fits(group);
        if (!why)
            why = refusal([&] {
                BatchResult one;
                to.store.write([&] {
                    references.forget();
                    apply_group(group, one, receiving);
                });
                result.applied += one.applied;
                result.before += one.before;
            });
        if (why) result.refused.emplace_back(&group, *why);
    }
    to.store.write([&] { after(result); });
    return result;
}

// The records that pulled operations need and the laptop lacks (a customer given to the rep
// today, made long before the last pull; the building a record of it names): their whole
// history on the server goes first, so that they arrive as they are there. A few levels deep
// (a visit's customer's building); what is still missing then is refused, and quarantined.
std::vector<Operation> with_history(Side laptop, Side server, const References& laptop_refs,
                                    const References& server_refs, std::vector<Operation> ops,
                                    const std::string& server_device, const std::string& device) {
    std::set<std::pair<std::string, std::string>> asked;
    std::vector<Operation> pending = ops;
    for (int depth = 0; depth < 4 && !pending.empty(); ++depth) {
        std::set<std::pair<std::string, std::string>> inserted, needed;
        laptop.store.read([&] {
            auto need = [&](const std::string& table, const std::string& key) {
                std::pair<std::string, std::string> record{table, key};
                if (inserted.count(record) || asked.count(record)) return;
                if (!laptop_refs.is_record_table(table)) return;
                if (!laptop_refs.find(laptop.tx, table, key)) needed.insert(record);
            };
            for (const auto& op : pending) {
                if (op.kind == "insert")
                    inserted.insert({op.table, op.record_key});
                else
                    need(op.table, op.record_key);
                for (const auto& [column, value] : op.values.items()) {
                    const std::string* target = laptop_refs.target(op.table, column);
                    if (target && value.is_string()) need(*target, value.get<std::string>());
                }
            }
        });
        if (needed.empty()) break;
        std::vector<Operation> history;
        server.store.read([&] {
            for (const auto& record : needed) {
                asked.insert(record);
                auto there = server_refs.find(server.tx, record.first, record.second);
                if (!there) continue;  // not the login's to see: refused when applied
                std::vector<std::string> uuids{there->uuid};
                std::vector<std::string> tables{record.first};
                // What hangs off a customer the rep now sees comes with it (its contacts, and
                // whatever else of it the login may read).
                if (record.first == "customer")
                    // Not a structured binding: clang 14 (the fuzzing build) cannot capture one.
                    for (const auto& referring : server_refs.referring_to("customer"))
                        server.tx.each("SELECT uuid FROM " + referring.first + " WHERE " +
                                           referring.second + " = ?",
                                       {there->id}, [&](const Row& row) {
                                           tables.push_back(referring.first);
                                           uuids.push_back(row.text("uuid"));
                                       });
                for (std::size_t i = 0; i < uuids.size(); ++i) {
                    if (i > 0 && laptop.store.read([&] {
                            return laptop_refs.find(laptop.tx, tables[i], uuids[i]).has_value();
                        }))
                        continue;
                    auto found =
                        read_operations(server.tx, server_refs,
                                        std::string(kOperationColumns) +
                                            "WHERE o.record_table = ? AND o.record_uuid = ? AND "
                                            "(o.device IS NULL OR o.device <> ?) ORDER BY o.id",
                                        {tables[i], uuids[i], device}, server_device);
                    for (auto& op : found) history.push_back(std::move(op));
                }
            }
        });
        std::sort(history.begin(), history.end(),
                  [](const Operation& a, const Operation& b) { return a.source_id < b.source_id; });
        // An operation of the history may be one of those pulled: it is applied once, first.
        std::set<std::string> early;
        for (const auto& op : history) early.insert(op.op_uuid);
        std::erase_if(ops, [&](const Operation& op) { return early.count(op.op_uuid) > 0; });
        pending = history;
        history.insert(history.end(), std::make_move_iterator(ops.begin()),
                       std::make_move_iterator(ops.end()));
        ops = std::move(history);
    }
    return ops;
}

}  // namespace

Report run(Side laptop, Side server, const std::string& login, const std::string& server_label,
           const Clock& clock, UuidGenerator& uuids) {
    Report report;
    const std::string now = text::format_utc(clock.now());
    std::string device = laptop.store.write([&] {
        auto id = laptop.store.meta("device_id");
        if (!id) laptop.store.set_meta("device_id", *(id = uuids.next()));
        laptop.store.set_meta("sync.server", server_label);
        return *id;
    });
    References laptop_refs(laptop.store);
    References server_refs(server.store);
    const std::string server_device = server.store.read([&] { return device_of(server.store); });

    // Push: this laptop's own operations the server has not had, oldest first.
    const std::int64_t seen_through =
        laptop.store.read([&] { return counter(laptop.store, kPulled); });
    for (;;) {
        std::int64_t after_id = laptop.store.read([&] { return counter(laptop.store, kPushed); });
        auto ops = laptop.store.read([&] {
            return read_operations(laptop.tx, laptop_refs,
                                   std::string(kOperationColumns) +
                                       "WHERE o.id > ? AND o.device IS NULL ORDER BY o.id LIMIT ?",
                                   {after_id, kBatch}, device);
        });
        if (ops.empty()) break;
        std::int64_t last = ops.back().source_id;
        auto groups = by_command(std::move(ops));
        for (auto& group : groups)
            for (auto& op : group)
                if (op.command.actor.empty()) op.command.actor = login;
        auto made_by_login = [&](const Group& group) -> std::optional<std::string> {
            const std::string& actor = group.front().command.actor;
            if (actor == login) return std::nullopt;
            return fmt::format("made as {}; this laptop syncs as {}", actor, login);
        };
        auto write_conflicts = [&](const std::vector<Conflict>& found) {
            for (const auto& c : found)
                server.store.engine().query(
                    "INSERT INTO sync_conflict (at_utc, pushed_by, record_table, record_uuid, "
                    "field, kept_value, kept_op_uuid, kept_device, lost_value, lost_op_uuid, "
                    "lost_device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {now, login, c.table, c.record_uuid, c.field, c.kept_value, c.kept_op_uuid,
                     c.kept_device, c.lost_value, c.lost_op_uuid, c.lost_device},
                    [](const Row&) {});
        };
        auto result = apply_batch(server, server_refs, groups, {server_device, seen_through},
                                  made_by_login, write_conflicts, [](const BatchResult&) {});
        laptop.store.write([&] {
            for (const auto& [group, why] : result.refused)
                quarantine_group(laptop.store, *group, "push", why, now);
            laptop.store.set_meta(kPushed, std::to_string(last));
        });
        report.pushed += result.applied;
        report.pushed_before += result.before;
        for (const auto& [group, why] : result.refused) {
            report.quarantined += static_cast<std::int64_t>(group->size());
            report.refusals.push_back(why);
        }
    }

    // Pull: the server's operations on records this login may see, made elsewhere.
    auto released = laptop.tx.release_guard();  // the server judged them
    for (;;) {
        std::int64_t after_id = laptop.store.read([&] { return counter(laptop.store, kPulled); });
        auto ops = server.store.read([&] {
            return read_operations(
                server.tx, server_refs,
                std::string(kOperationColumns) +
                    "WHERE o.id > ? AND (o.device IS NULL OR o.device <> ?) ORDER BY o.id LIMIT ?",
                {after_id, device, kBatch}, server_device);
        });
        if (ops.empty()) break;
        std::int64_t last = ops.back().source_id;
        ops = with_history(laptop, server, laptop_refs, server_refs, std::move(ops), server_device,
                           device);
        auto groups = by_command(std::move(ops));
        auto result = apply_batch(
            laptop, laptop_refs, groups, {device, std::nullopt},
            [](const Group&) { return std::optional<std::string>(); },
            [](const std::vector<Conflict>&) {},
            [&](const BatchResult& r) {
                for (const auto& [group, why] : r.refused)
                    quarantine_group(laptop.store, *group, "pull", why, now);
                laptop.store.set_meta(kPulled, std::to_string(last));
                std::int64_t seen = counter(laptop.store, kClock);
                for (const auto& group : groups)
                    for (const auto& op : group)
                        seen = std::max(seen, instant_ms(op.op_uuid, op.at_utc));
                laptop.store.set_meta(kClock, std::to_string(seen));
                uuids.observe(seen);
            });
        report.pulled += result.applied;
        for (const auto& [group, why] : result.refused) {
            report.quarantined += static_cast<std::int64_t>(group->size());
            report.refusals.push_back(why);
        }
    }
    laptop.tx.guard_with(std::move(released));

    // The conflicts the server found in this login's pushes, kept here to be shown.
    std::int64_t copied =
        laptop.store.read([&] { return counter(laptop.store, kConflictsCopied); });
    std::vector<std::vector<Value>> found;
    std::int64_t last_conflict = copied;
    server.store.read([&] {
        server.tx.each(
            "SELECT id, at_utc, pushed_by, record_table, record_uuid, field, kept_value, "
            "kept_op_uuid, kept_device, lost_value, lost_op_uuid, lost_device FROM sync_conflict "
            "WHERE id > ? AND pushed_by = ? ORDER BY id",
            {copied, login}, [&](const Row& row) {
                last_conflict = row.integer("id");
                std::vector<Value> values;
                for (const char* column :
                     {"at_utc", "pushed_by", "record_table", "record_uuid", "field", "kept_value",
                      "kept_op_uuid", "kept_device", "lost_value", "lost_op_uuid", "lost_device"})
                    values.push_back(row[column]);
                found.push_back(std::move(values));
            });
    });
    laptop.store.write([&] {
        for (const auto& values : found)
            laptop.store.engine().query(
                "INSERT INTO sync_conflict (at_utc, pushed_by, record_table, record_uuid, field, "
                "kept_value, kept_op_uuid, kept_device, lost_value, lost_op_uuid, lost_device) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values, [](const Row&) {});
        laptop.store.set_meta(kConflictsCopied, std::to_string(last_conflict));
        laptop.store.set_meta("sync.last_at", now);
    });
    report.conflicts = static_cast<std::int64_t>(found.size());
    return report;
}

std::optional<std::int64_t> seen_clock(Store& store) {
    auto value = store.meta(kClock);
    if (!value) return std::nullopt;
    return std::stoll(*value);
}

Status status(Side laptop) {
    return laptop.store.read([&] {
        Status s{.device = laptop.store.meta("device_id"),
                 .server = laptop.store.meta("sync.server"),
                 .last_sync = laptop.store.meta("sync.last_at")};
        if (auto row = laptop.tx.one(
                "SELECT COUNT(*) AS ops, COUNT(DISTINCT command_id) AS commands FROM op_log "
                "WHERE id > ? AND device IS NULL",
                {counter(laptop.store, kPushed)})) {
            s.waiting_operations = row->integer("ops");
            s.waiting_commands = row->integer("commands");
        }
        if (auto row = laptop.tx.one("SELECT COUNT(*) AS n FROM sync_conflict"))
            s.conflicts = row->integer("n");
        if (auto row = laptop.tx.one("SELECT COUNT(*) AS n FROM sync_quarantine"))
            s.quarantined = row->integer("n");
        return s;
    });
}

std::vector<ConflictRow> conflicts(Side laptop) {
    return laptop.store.read([&] {
        std::vector<ConflictRow> rows;
        laptop.tx.each(
            "SELECT at_utc, record_table, record_uuid, field, kept_value, kept_device, "
            "lost_value, lost_device FROM sync_conflict ORDER BY id",
            {}, [&](const Row& r) {
                rows.push_back({r.text("at_utc"), r.text("record_table"), r.text("record_uuid"),
                                r.text("field"), r.text("kept_value"), r.text("kept_device"),
                                r.text("lost_value"), r.text("lost_device")});
            });
        return rows;
    });
}

std::vector<QuarantineRow> quarantine(Side laptop) {
    return laptop.store.read([&] {
        std::vector<QuarantineRow> rows;
        laptop.tx.each(
            "SELECT at_utc, direction, command_uuid, record_table, record_uuid, kind, new_values, "
            "reason FROM sync_quarantine ORDER BY id",
            {}, [&](const Row& r) {
                rows.push_back({r.text("at_utc"), r.text("direction"), r.text("command_uuid"),
                                r.text("record_table"), r.text("record_uuid"), r.text("kind"),
                                r.text("new_values"), r.text("reason")});
            });
        return rows;
    });
}

}  // namespace fieldbook::store::sync
