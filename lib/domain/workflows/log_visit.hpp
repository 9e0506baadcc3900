#pragma once
// Logging a visit: the visit itself and the follow-up it schedules, in the caller's one write
// transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/reps.hpp"
#include "domain/session.hpp"
#include "domain/visits.hpp"

namespace fieldbook::workflows {

struct VisitLog {
    visits::NewVisit visit;
    std::optional<text::Day> next;  // the next follow-up's due day, none: no follow-up
    std::string next_channel = "phone";
    // Leave the rep's open progress follow-ups of the customer open (see log_visit).
    bool keep_followups = false;
};

// A follow-up a visit answered and closed.
struct ClosedFollowup {
    std::int64_t id = 0;
    std::string due_day;
};

struct WrittenVisit {
    visits::Written visit;
    std::optional<std::int64_t> followup_id;
};

struct LoggedVisit {
    visits::Visit visit;  // as read after the follow-up, so it names its next step
    bool customer_created = false;
    std::optional<std::int64_t> followup_id;
    std::vector<ClosedFollowup> closed_followups;
};

// Inside a write transaction: the visit (visits::add) and, when a next day is given, an open
// follow-up for the visiting rep that the visit originates. A next day before the visit's is
// refused; the visit is then not written either.
// A visit or call of any kind is the contact the rep's open progress follow-ups with that
// customer (due any day) were waiting for: log_visit closes them as done by the visit, unless
// `keep_followups`. Collection follow-ups stay open: they end when the balance is paid. Other
// reps' follow-ups are theirs to close.
// `write_visit` does the same without reading the visit back (what an import of many needs).
LoggedVisit log_visit(Session& s, const reps::Rep& rep, const VisitLog& input);
WrittenVisit write_visit(Session& s, const reps::Rep& rep, const VisitLog& input);

}  // namespace fieldbook::workflows
