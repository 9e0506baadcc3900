#include "domain/meeting_report.hpp"

#include <algorithm>

#include "domain/vocabulary.hpp"
#include "store/tx.hpp"

namespace fieldbook::meeting_report {
namespace {

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

std::string weekday_of(text::Day day) {
    return kWeekdays[std::chrono::weekday{day}.c_encoding()];
}

}  // namespace

Report build(Session& s, text::Day day, std::int64_t stale_days) {
    Report r{.zone = s.zone};
    r.day = text::format_day(day);
    r.weekday = weekday_of(day);
    auto meeting = meetings::get(s, day);
    r.kind = meeting.kind;
    r.status = meeting.status;
    r.stale_days = stale_days;

    auto quotas = meetings::plans(s, day);
    auto notes = meetings::notes(s, day);
    std::vector<visits::Visit> day_visits;
    visits::list(s, {.since = day, .until = day},
                 [&](const visits::Visit& v) { day_visits.push_back(v); });
    std::reverse(day_visits.begin(), day_visits.end());  // the day in the order it happened

    auto section = [&](const std::string& handle) -> RepSection& {
        for (auto& rep : r.reps)
            if (rep.rep == handle) return rep;
        RepSection fresh;
        fresh.rep = handle;
        if (auto found = reps::find(s, handle)) fresh.name = found->name;
        r.reps.push_back(fresh);
        return r.reps.back();
    };
    for (auto& p : quotas) {
        auto& rep = section(p.rep);
        rep.quota = p.visits;
        rep.goal = p.goal;
        r.total_quota += p.visits;
    }
    for (auto& v : day_visits) {
        auto& rep = section(v.rep);
        rep.visits.push_back(v);
        auto rank = static_cast<std::size_t>(vocab::outcome_rank(v.outcome));
        ++rep.outcomes[rank];
        ++r.total_outcomes[rank];
        ++r.total_visits;
        if (v.outcome == "intent" || v.outcome == "order") r.intents_and_orders.push_back(v);
    }
    for (auto& n : notes) {
        if (n.kind == "manager")
            r.manager_notes.push_back(n);
        else
            section(n.rep).notes.push_back(n);
    }
    std::sort(r.reps.begin(), r.reps.end(),
              [](const RepSection& a, const RepSection& b) { return a.rep < b.rep; });

    // Through the session's Tx, not a read of its own: the report is also built inside the
    // write that closes a day (the demo's).
    s.tx().each(R"sql(
SELECT c.name FROM customer c
WHERE c.deleted_at IS NULL
  AND (SELECT MIN(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL) = ?
ORDER BY c.name_key)sql",
                {r.day},
                [&](const store::Row& row) { r.new_customers.push_back(row.text("name")); });

    text::Day next = meetings::next_working_day(day);
    r.next_day = text::format_day(next);
    r.next_weekday = weekday_of(next);
    followups::list(s, {.state = "open", .due_by = next, .today = next},
                    [&](const followups::Followup& f) {
                        // Overdue ones too, and through the weekend to the next working day.
                        r.due_next_day.push_back(f);
                    });
    r.stale = stale::find(s, day, stale_days, std::nullopt);
    r.next_plans = meetings::plans(s, next);
    return r;
}

}  // namespace fieldbook::meeting_report
