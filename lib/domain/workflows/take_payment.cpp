#include "domain/workflows/take_payment.hpp"

#include "domain/followups.hpp"

namespace fieldbook::workflows {

orders::Order take_payment(Session& s, const reps::Rep& by, std::int64_t order_id,
                           money::Cents amount, text::Day day,
                           const std::optional<std::string>& note) {
    orders::Order paid = orders::pay(s, by, order_id, amount, day, note);
    followups::settle_collection(s, paid.id, paid.outstanding, day);
    return paid;
}

}  // namespace fieldbook::workflows
