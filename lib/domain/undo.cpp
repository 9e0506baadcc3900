#include "domain/undo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "errors.hpp"

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

std::int64_t latest_not_undone(store::Tx& tx, const reps::Rep& actor) {
    auto row = tx.one(
        "SELECT max(c.id) AS id FROM command c WHERE c.actor = ? AND NOT EXISTS "
        "(SELECT 1 FROM command u WHERE u.undoes = c.command_uuid)",
        {actor.handle});
    if (!row || row->is_null("id"))
        throw UsageError(fmt::format("undo: {} has no command left to undo", actor.handle));
    return row->integer("id");
}

// A later change to the record, by any command other than the one being undone.
void refuse_later_change(Session& s, store::Tx& tx, const command_log::Command& target,
                         const command_log::Operation& op, const reps::Rep& actor) {
    auto later = tx.one(
        "SELECT o.command_id AS id FROM op_log o WHERE o.record_table = ? AND "
        "o.record_uuid = ? AND o.command_id > ? ORDER BY o.id LIMIT 1",
        {op.table, op.record_uuid, target.id});
    if (!later) return;
    auto other = command_log::find(s, tx, later->integer("id"));
    if (!other) return;
    if (other->actor != actor.handle)
        throw UsageError(fmt::format(
            "undo: command {} changed {}, which {} changed later in command {}; it stays as "
            "it is",
            command_name(target), command_log::record_label(op),
            other->actor.empty() ? "someone else" : other->actor, command_name(*other)));
    throw UsageError(fmt::format(
        "undo: command {} changed {}, which your later command {} changed too; undo that one "
        "first",
        command_name(target), command_log::record_label(op), command_name(*other)));
}

void refuse_closed_day(store::Tx& tx, const command_log::Command& target,
                       const command_log::Operation& op) {
    if (!has_day(op.table) || !op.record_id) return;
    std::set<std::string> days;
    for (const auto* fields : {&op.old_values, &op.new_values})
        for (const auto& [column, value] : *fields)
            if (column == "day" && std::holds_alternative<std::string>(value))
                days.insert(std::get<std::string>(value));
    auto row = tx.one(fmt::format("SELECT day FROM {} WHERE id = ?", op.table), {*op.record_id});
    if (row) days.insert(row->text("day"));
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
    std::int64_t id = command_id ? *command_id : latest_not_undone(tx, actor);
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
    return result;
}

void apply(store::Tx& tx, const Plan& plan) {
    for (const auto& step : plan.steps) {
        std::int64_t id = *step.op.record_id;
        if (step.action == "tombstone")
            tx.tombstone(step.op.table, id);
        else
            tx.update(step.op.table, id, step.changes);
    }
}

}  // namespace fieldbook::undo
