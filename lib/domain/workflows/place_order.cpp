#include "domain/workflows/place_order.hpp"

#include "domain/followups.hpp"

#include <chrono>

namespace fieldbook::workflows {

orders::Order place_order(Session& s, const reps::Rep& rep, const orders::NewOrder& input) {
    orders::Order order = orders::add(s, rep, input);
    if (input.due && order.outstanding > 0) {
        followups::Owed owed{order.id, order.outstanding};
        followups::add(s, {.customer_id = order.customer_id,
                           .rep_id = rep.id,
                           .due = *input.due,
                           .channel = "phone",
                           .reason = "collection",
                           .note = followups::collection_note(owed),
                           .order_id = order.id});
    }
    if (input.after_sales_days > 0)
        followups::add(s, {.customer_id = order.customer_id,
                           .rep_id = rep.id,
                           .due = input.day + std::chrono::days{input.after_sales_days},
                           .channel = "phone",
                           .reason = "after-sales",
                           .note = followups::after_sales_note(order.id),
                           .order_id = order.id});
    return order;
}

}  // namespace fieldbook::workflows
