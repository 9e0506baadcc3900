#include "domain/workflows/cancel_order.hpp"

#include <fmt/format.h>

#include "domain/followups.hpp"

namespace fieldbook::workflows {

Cancelled cancel_order(Session& s, const reps::Rep& by, std::int64_t order_id,
                       const std::string& reason, text::Day day, bool refund) {
    Cancelled out;
    out.order = orders::cancel(s, by, order_id, reason, day, refund);
    out.followups_dropped =
        followups::drop_for_order(s, order_id,
                                  fmt::format("订单 #{} 已于 {} 取消：{}", order_id,
                                              *out.order.cancelled_day, *out.order.cancel_reason));
    return out;
}

}  // namespace fieldbook::workflows
