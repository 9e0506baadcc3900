#include "domain/permissions.hpp"

#include <fmt/format.h>

#include "errors.hpp"
#include "text/unicode.hpp"

namespace fieldbook::permissions {
namespace {

enum class Who { owner_or_lead, lead, manager, leader };

Who who_may(Kind kind) {
    switch (kind) {
        case Kind::visit:
        case Kind::followup:
        case Kind::order:
        case Kind::customer:
        case Kind::rep_details:
        case Kind::task:
        case Kind::meeting_note:
            return Who::owner_or_lead;
        case Kind::team:
        case Kind::task_assignment:
        case Kind::plan:
            return Who::lead;
        case Kind::conduct_note:
        case Kind::manager_note:
        case Kind::meeting_kind:
        case Kind::meeting_close:
            return Who::manager;
        case Kind::meeting_approval:
            return Who::leader;
    }
    return Who::leader;  // unreachable: every kind is listed above
}

bool leads(const reps::Rep& rep) {
    return rep.role == "manager" || rep.role == "leader";
}

std::string_view roles(Who who) {
    switch (who) {
        case Who::manager:
            return "a manager";
        case Who::leader:
            return "a leader";
        default:
            return "a manager or a leader";
    }
}

Verdict refuse(std::string reason) {
    return {false, std::move(reason)};
}

}  // namespace

Verdict may_change(const std::optional<reps::Rep>& actor, const Change& change, const Team& team) {
    Who who = who_may(change.kind);
    // The first rep of an empty store has nobody to ask.
    if (change.kind == Kind::team && team.empty) return {true, {}};
    if (!actor)
        return refuse(
            fmt::format("{}: no rep is acting; the team already has reps", change.action));
    std::string acting = fmt::format("{} is a {}", actor->handle, actor->role);
    switch (who) {
        case Who::owner_or_lead:
            if (!change.owner || *change.owner == actor->handle || leads(*actor)) return {true, {}};
            return refuse(
                fmt::format("{}: {} ({}'s) may be changed only by {}, a manager or a "
                            "leader ({})",
                            change.action, change.record, *change.owner, *change.owner, acting));
        case Who::lead:
            if (leads(*actor)) return {true, {}};
            if (change.kind == Kind::team && team.founder) {
                if (*team.founder == actor->handle) return {true, {}};
                return refuse(fmt::format(
                    "{}: only a manager or a leader may {} ({}); until the team has one, its "
                    "first rep, {}, sets it up",
                    change.action, change.record, acting, *team.founder));
            }
            break;
        case Who::manager:
            if (actor->role == "manager") return {true, {}};
            break;
        case Who::leader:
            if (actor->role == "leader") return {true, {}};
            break;
    }
    return refuse(
        fmt::format("{}: only {} may {} ({})", change.action, roles(who), change.record, acting));
}

void require(Session& s, const std::optional<reps::Rep>& actor, const Change& change) {
    require(s.tx(), actor, change);
}

void require(store::Tx& tx, const std::optional<reps::Rep>& actor, const Change& change) {
    // The role as it stands in this transaction, not as it was read before it began.
    std::optional<reps::Rep> current = actor;
    if (actor) {
        if (auto row = tx.one("SELECT role FROM rep WHERE deleted_at IS NULL AND handle = ?",
                              {text::match_key(actor->handle)}))
            current->role = row->text("role");
    }
    Team team;
    if (change.kind == Kind::team) {
        auto row = tx.one(R"sql(
SELECT (SELECT COUNT(*) FROM rep) AS reps,
       (SELECT COUNT(*) FROM rep WHERE deleted_at IS NULL AND active = 1
                                   AND role IN ('manager', 'leader')) AS leads,
       (SELECT handle FROM rep ORDER BY id LIMIT 1) AS founder)sql");
        team.empty = row->integer("reps") == 0;
        if (!team.empty && row->integer("leads") == 0) team.founder = row->text("founder");
    }
    Verdict verdict = may_change(current, change, team);
    if (!verdict.allowed) throw UsageError(verdict.reason);
}

}  // namespace fieldbook::permissions
