#include "domain/reports/scripts.hpp"

#include <algorithm>

#include "domain/vocabulary.hpp"
#include "store/tx.hpp"

namespace fieldbook::reports {

std::vector<ScriptOutcomes> script_report(Session& s, const Scope& scope) {
    Conditions where;
    where.period("v.day", scope);
    where.rep("v.rep_id", scope);
    std::vector<ScriptOutcomes> out;
    s.tx().each(
        "SELECT v.script, v.outcome, COUNT(*) AS n FROM visit v WHERE v.deleted_at IS NULL" +
            where.sql() + " GROUP BY v.script, v.outcome",
        where.values(), [&](const store::Row& r) {
            auto script = r.optional_text("script");
            auto found = std::find_if(out.begin(), out.end(),
                                      [&](const ScriptOutcomes& o) { return o.script == script; });
            if (found == out.end()) {
                out.push_back({.script = script});
                found = out.end() - 1;
            }
            std::string outcome = r.text("outcome");
            std::int64_t count = r.integer("n");
            for (std::size_t i = 0; i < vocab::outcomes.size(); ++i)
                if (vocab::outcomes[i] == outcome) found->outcomes[i] += count;
            found->visits += count;
        });
    for (auto& r : out) {
        // Outcomes are ordered: contact is index 2, intent 4, order 5.
        std::int64_t contact = r.outcomes[2] + r.outcomes[3] + r.outcomes[4] + r.outcomes[5];
        r.contact_rate = percent(contact, r.visits);
        r.intent_rate = percent(r.outcomes[4] + r.outcomes[5], r.visits);
        r.order_rate = percent(r.outcomes[5], r.visits);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (a.script.has_value() != b.script.has_value()) return a.script.has_value();
        if (a.visits != b.visits) return a.visits > b.visits;
        return a.script < b.script;
    });
    return out;
}

}  // namespace fieldbook::reports
