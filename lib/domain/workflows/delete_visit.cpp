#include "domain/workflows/delete_visit.hpp"

#include "domain/followups.hpp"
#include "domain/visits.hpp"

namespace fieldbook::workflows {

void delete_visit(Session& s, const reps::Rep& by, std::int64_t visit_id) {
    visits::remove(s, by, visit_id);
    followups::drop_from_visit(s, visit_id);
    followups::reopen_closed_by(s, visit_id);
}

}  // namespace fieldbook::workflows
