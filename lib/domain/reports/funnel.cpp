#include "domain/reports/funnel.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "store/tx.hpp"

namespace fieldbook::reports {
namespace {

// Stage numbers: 0 visited, 1 contact, 2 interest, 3 intent, 4 order.
constexpr std::array<const char*, 5> kStages = {"visited", "contact", "interest", "intent",
                                                "order"};

int stage_of(const std::string& outcome) {
    for (int i = 1; i < static_cast<int>(kStages.size()); ++i)
        if (outcome == kStages[static_cast<std::size_t>(i)]) return i;
    return 0;  // refused and absent: visited, nothing more
}

struct Journey {
    // The first day each stage (or a later one) was reached; [0] is the first visit.
    std::array<std::optional<std::string>, kStages.size()> reached;

    void record(int stage, const std::string& day) {
        for (int i = 0; i <= stage; ++i) {
            auto& slot = reached[static_cast<std::size_t>(i)];
            if (!slot || day < *slot) slot = day;
        }
    }
};

}  // namespace

std::optional<double> median(std::vector<std::int64_t> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    std::size_t middle = values.size() / 2;
    if (values.size() % 2 == 1) return static_cast<double>(values[middle]);
    return static_cast<double>(values[middle - 1] + values[middle]) / 2.0;
}

std::vector<FunnelStage> funnel_report(Session& s, const Scope& scope) {
    Scope to_end = scope;
    to_end.since.reset();
    Conditions visits, orders;
    visits.period("v.day", to_end);
    visits.rep("v.rep_id", scope);
    orders.period("o.day", to_end);
    orders.rep("o.rep_id", scope);
    std::map<std::int64_t, Journey> journeys;
    store::Tx& tx = s.tx();
    tx.each(R"sql(
SELECT v.customer_id, v.day, v.outcome FROM visit v
JOIN customer c ON c.id = v.customer_id
WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL)sql" +
                visits.sql(),
            visits.values(), [&](const store::Row& r) {
                journeys[r.integer("customer_id")].record(stage_of(r.text("outcome")),
                                                          r.text("day"));
            });
    tx.each(R"sql(
SELECT o.customer_id, o.day FROM orders o
JOIN customer c ON c.id = o.customer_id
WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL AND c.deleted_at IS NULL)sql" +
                orders.sql(),
            orders.values(), [&](const store::Row& r) {
                auto found = journeys.find(r.integer("customer_id"));
                // Only visited customers are in the funnel; an order is their last step. One
                // placed before the first visit (a customer won before it was recorded) counts
                // from that visit, so that no step takes negative days.
                if (found == journeys.end()) return;
                Journey& journey = found->second;
                journey.record(4, std::max(r.text("day"), *journey.reached[0]));
            });
    std::string since = scope.since ? text::format_day(*scope.since) : std::string();

    std::vector<FunnelStage> out(kStages.size());
    std::array<std::vector<std::int64_t>, kStages.size()> from_first, from_previous;
    for (auto& [id, journey] : journeys) {
        const std::string& first = *journey.reached[0];
        if (!since.empty() && first < since) continue;
        int furthest = 0;
        for (std::size_t i = 0; i < kStages.size(); ++i) {
            if (!journey.reached[i]) break;
            furthest = static_cast<int>(i);
            ++out[i].reached;
            if (i == 0) continue;
            from_first[i].push_back(days_between(first, *journey.reached[i]));
            from_previous[i].push_back(days_between(*journey.reached[i - 1], *journey.reached[i]));
        }
        ++out[static_cast<std::size_t>(furthest)].stopped;
    }
    for (std::size_t i = 0; i < kStages.size(); ++i) {
        out[i].stage = kStages[i];
        out[i].of_visited = percent(out[i].reached, out[0].reached);
        if (i == 0) continue;
        out[i].conversion = percent(out[i].reached, out[i - 1].reached);
        out[i].median_days_from_first_visit = median(from_first[i]);
        out[i].median_days_from_previous = median(from_previous[i]);
    }
    return out;
}

}  // namespace fieldbook::reports
