#include "domain/undo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "errors.hpp"
#include "store/record_tables.hpp"

namespace fieldbook::undo {
namespace {

// The records that belong to a local day, which a closed meeting summary describes.
bool has_day(std::string_view table) {
    return table == "visit" || table == "plan" || table == "meeting_note" || table == "orders" ||
           table == "payment" || table == "meeting";
}

// "#7 (visit add 星河教育)": the id and the command line as typed, cut after a few words.
std::string command_name(const command_log::Command& c) {
    std::string line;
    for (std::size_t i = 1; i < c.argv.size() && i <= 5; ++i) {
        if (!line.empty()) line += ' ';
        line += c.argv[i];
    }
    if (c.argv.size() > 6) line += " …";
    return line.empty() ? fmt::format("#{}", c.id) : fmt::format("#{} ({})", c.id, line);
}

std::int64_t latest_in_effect(store::Tx& tx, const reps::Rep& actor) {
    std::vector<std::pair<std::int64_t, std::string>> mine;
    tx.each("SELECT id, command_uuid FROM command WHERE actor = ? ORDER BY id DESC LIMIT 200",
            {actor.handle}, [&](const store::Row& r) {
                mine.emplace_back(r.integer("id"), r.text("command_uuid"));
            });
    for (const auto& [id, uuid] : mine)
        if (!command_log::undone_by(tx, uuid)) return id;
    throw UsageError(fmt::format("undo: {} has no command left to undo", actor.handle));
}

// Whether a later command's change to a record still stands between the target and now: not
// when the command was undone, nor when it is an undo of a command that came after the target
// (the two cancel out).
bool still_counts(const command_log::Command& target, const command_log::Command& later) {
    if (later.undone_by) return false;
    return !(later.undoes && *later.undoes > target.id);
}

// A later change to the record, by any command other than the one being undone. Operations are
// ordered by their place in the log, not by their command's id: commands of two processes, or
// of two stores, interleave.
void refuse_later_change(Session& s, store::Tx& tx, const command_log::Command& target,
                         const command_log::Operation& op, const reps::Rep& actor) {
    std::vector<std::int64_t> later_commands;
    tx.each(
        "SELECT DISTINCT o.command_id AS id FROM op_log o WHERE o.record_table = ? AND "
        "o.record_uuid = ? AND o.command_id <> ? AND o.id > (SELECT max(t.id) FROM op_log t "
        "WHERE t.command_id = ? AND t.record_table = ? AND t.record_uuid = ?) ORDER BY id",
        {op.table, op.record_uuid, target.id, target.id, op.table, op.record_uuid},
        [&](const store::Row& r) { later_commands.push_back(r.integer("id")); });
    for (auto id : later_commands) {
        auto other = command_log::find(s, tx, id);
        if (!other || !still_counts(target, *other)) continue;
        if (other->actor != actor.handle)
            throw UsageError(fmt::format(
                "undo: command {} changed {}, which {} changed later in command {}; it stays as "
                "it is",
                command_name(target), command_log::record_label(op),
                other->actor.empty() ? "someone else" : other->actor, command_name(*other)));
        throw UsageError(fmt::format(
            "undo: command {} changed {}, which your later command {} changed too; undo that "
            "one first",
            command_name(target), command_log::record_label(op), command_name(*other)));
    }
}

// Removing a record that live records still refer to (a customer with a visit logged since)
// would leave them pointing at nothing.
// Run once the steps are applied, so that references the undo itself takes back (a follow-up's
// closing visit) no longer count.
void refuse_dangling(Session& s, store::Tx& tx, const command_log::Command& target,
                     const std::vector<Step>& steps) {
    std::map<std::string, std::vector<store::Reference>> references;
    for (const auto& step : steps) {
        if (step.action != "tombstone") continue;
        auto known = references.find(step.op.table);
        if (known == references.end())
            known = references.emplace(step.op.table, store::references_to(s.store, step.op.table))
                        .first;
        for (const auto& ref : known->second) {
            std::optional<std::int64_t> holder;
            tx.each(fmt::format("SELECT id FROM {} WHERE {} = ? AND deleted_at IS NULL", ref.table,
                                ref.column),
                    {*step.op.record_id}, [&](const store::Row& r) {
                        if (!holder) holder = r.integer("id");
                    });
            if (holder)
                throw UsageError(fmt::format(
                    "undo: command {} added {}, which {} #{} refers to now; delete or undo that "
                    "first",
                    command_name(target), command_log::record_label(step.op), ref.table, *holder));
        }
    }
}

// A command whose effects reach past the records (the store's default rep) is not undone by
// reverting its records.
void refuse_store_owner(Session& s, store::Tx& tx, const command_log::Command& target,
                        const std::vector<Step>& steps) {
    auto owner = s.store.meta("owner");
    if (!owner) return;
    for (const auto& step : steps) {
        if (step.op.table != "rep" || step.action != "tombstone") continue;
        auto row = tx.one("SELECT handle FROM rep WHERE id = ?", {*step.op.record_id});
        if (row && row->text("handle") == *owner)
            throw UsageError(
                fmt::format("undo: command {} added {}, the store's own rep ({}); it stays",
                            command_name(target), command_log::record_label(step.op), *owner));
    }
}

void refuse_closed_day(store::Tx& tx, const command_log::Command& target,
                       const command_log::Operation& op) {
    if (!op.record_id) return;
    std::set<std::string> days;
    // A follow-up belongs to the day of the visit that set it, as a closed day's summary has it.
    if (op.table == "followup")
        tx.each(
            "SELECT v.day FROM followup f JOIN visit v ON v.id IN (f.origin_visit_id, "
            "f.closed_visit_id) WHERE f.id = ?",
            {*op.record_id}, [&](const store::Row& r) { days.insert(r.text("day")); });
    else if (!has_day(op.table))
        return;
    for (const auto* fields : {&op.old_values, &op.new_values})
        for (const auto& [column, value] : *fields)
            if (column == "day" && std::holds_alternative<std::string>(value))
                days.insert(std::get<std::string>(value));
    if (has_day(op.table))
        if (auto row =
                tx.one(fmt::format("SELECT day FROM {} WHERE id = ?", op.table), {*op.record_id}))
            days.insert(row->text("day"));
    for (const auto& day : days) {
        auto closed = tx.one(
            "SELECT 1 AS closed FROM meeting WHERE day = ? AND closed_at IS NOT NULL AND "
            "deleted_at IS NULL",
            {day});
        if (closed)
            throw UsageError(fmt::format(
                "undo: command {} changed {} of {}, whose meeting is closed; an archived day "
                "stays as it was",
                command_name(target), command_log::record_label(op), day));
    }
}

Step inverse(const command_log::Command& target, const command_log::Operation& op) {
    if (!op.record_id)
        throw UsageError(fmt::format("undo: command {} changed {}, which is not in this store",
                                     command_name(target), command_log::record_label(op)));
    if (op.kind == "insert") return {op, "tombstone", {}};
    if (op.kind == "tombstone") return {op, "restore", {{"deleted_at", store::Value{}}}};
    return {op, "update", op.old_values};
}

}  // namespace

Plan plan(Session& s, store::Tx& tx, const reps::Rep& actor,
          std::optional<std::int64_t> command_id) {
    std::int64_t id = command_id ? *command_id : latest_in_effect(tx, actor);
    auto target = command_log::find(s, tx, id);
    if (!target) throw UsageError(fmt::format("undo: no command #{} in the log", id));
    bool may_undo_others = actor.role == "manager" || actor.role == "leader";
    if (target->actor != actor.handle && !may_undo_others)
        throw UsageError(fmt::format(
            "undo: command {} is {}'s; only a manager or leader undoes another rep's command "
            "({} is a {})",
            command_name(*target), target->actor, actor.handle, actor.role));
    if (target->undone_by) {
        auto by = command_log::find(s, tx, *target->undone_by);
        throw UsageError(
            fmt::format("undo: command {} was undone already, by command {}", command_name(*target),
                        by ? command_name(*by) : fmt::format("#{}", *target->undone_by)));
    }
    Plan result{.target = *target, .steps = {}};
    for (const auto& op : target->operations) {
        refuse_later_change(s, tx, *target, op, actor);
        refuse_closed_day(tx, *target, op);
    }
    for (auto op = target->operations.rbegin(); op != target->operations.rend(); ++op)
        result.steps.push_back(inverse(*target, *op));
    refuse_store_owner(s, tx, *target, result.steps);
    return result;
}

void apply(Session& s, store::Tx& tx, const Plan& plan) {
    // An undo is judged as a whole by plan(): one's own command, or a manager's or leader's
    // undo, with no later change in between. It puts back what the rule let the command change,
    // so its steps are not judged one by one (undoing a visit takes back the teammate's
    // customer's contact it added, which the rep could not delete by hand).
    auto guard = tx.release_guard();
    try {
        for (const auto& step : plan.steps) {
            std::int64_t id = *step.op.record_id;
            if (step.action == "tombstone")
                tx.tombstone(step.op.table, id);
            else
                tx.update(step.op.table, id, step.changes);
        }
        refuse_dangling(s, tx, plan.target, plan.steps);
    } catch (...) {
        tx.guard_with(std::move(guard));
        throw;
    }
    tx.guard_with(std::move(guard));
}

}  // namespace fieldbook::undo
