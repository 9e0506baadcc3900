#include "domain/workflows/move_visit.hpp"

#include "store/tx.hpp"

namespace fieldbook::workflows {

visits::Visit move_visit(Session& s, const reps::Rep& by, std::int64_t visit_id,
                         std::int64_t customer_id) {
    visits::Visit moved = visits::move(s, by, visit_id, customer_id);
    store::Tx& tx = s.tx();
    for (const auto& f : tx.all("SELECT id FROM followup WHERE origin_visit_id = ? AND "
                                "customer_id <> ? AND deleted_at IS NULL ORDER BY id",
                                {visit_id, customer_id}))
        tx.update("followup", f.integer("id"), {{"customer_id", customer_id}});
    return moved;
}

}  // namespace fieldbook::workflows
