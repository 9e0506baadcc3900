#include "domain/rep_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "store/tx.hpp"
#include "text/unicode.hpp"

namespace fieldbook::repfit {
namespace {

std::string industry_key(const std::optional<std::string>& industry) {
    return industry ? text::match_key(*industry) : std::string();
}

struct Candidate {
    std::string handle;
    std::int64_t load = 0;
};

std::vector<Candidate> active_sellers(store::Tx& tx) {
    std::vector<Candidate> sellers;
    tx.each(R"sql(
SELECT r.handle,
       (SELECT COUNT(*) FROM followup f
        WHERE f.rep_id = r.id AND f.state = 'open' AND f.deleted_at IS NULL) AS open_followups
FROM rep r
WHERE r.deleted_at IS NULL AND r.active = 1 AND r.role = 'rep'
ORDER BY r.handle)sql",
            {}, [&](const store::Row& row) {
                sellers.push_back({row.text("handle"), row.integer("open_followups")});
            });
    return sellers;
}

}  // namespace

std::vector<Record> records(Session& s, const std::optional<std::string>& industry,
                            const text::Period& period) {
    std::string visit_period, order_period;
    store::Values bounds;
    if (period.since) {
        visit_period += " AND v.day >= ?";
        order_period += " AND o.day >= ?";
        bounds.emplace_back(text::format_day(*period.since));
    }
    if (period.until) {
        visit_period += " AND v.day <= ?";
        order_period += " AND o.day <= ?";
        bounds.emplace_back(text::format_day(*period.until));
    }
    // The bounds are written twice, for the visits and for the orders.
    store::Values params = bounds;
    params.insert(params.end(), bounds.begin(), bounds.end());
    std::string sql = fmt::format(R"sql(
WITH
seen AS (SELECT v.rep_id, v.customer_id, v.outcome, c.industry FROM visit v
         JOIN customer c ON c.id = v.customer_id
         WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL{}),
sold AS (SELECT o.rep_id, o.customer_id, o.amount_cents, c.industry FROM orders o
         JOIN customer c ON c.id = o.customer_id
         WHERE o.deleted_at IS NULL AND o.cancelled_day IS NULL AND c.deleted_at IS NULL{}),
pairs AS (SELECT rep_id, industry FROM seen UNION SELECT rep_id, industry FROM sold)
SELECT r.handle, p.industry,
       (SELECT COUNT(DISTINCT customer_id) FROM seen
        WHERE seen.rep_id = p.rep_id AND seen.industry IS p.industry) AS customers,
       (SELECT COUNT(*) FROM seen WHERE seen.rep_id = p.rep_id AND seen.industry IS p.industry)
           AS visits,
       (SELECT COUNT(*) FROM seen WHERE seen.rep_id = p.rep_id AND seen.industry IS p.industry
          AND seen.outcome IN ('contact', 'interest', 'intent', 'order')) AS contacts,
       (SELECT COUNT(*) FROM seen WHERE seen.rep_id = p.rep_id AND seen.industry IS p.industry
          AND seen.outcome IN ('intent', 'order')) AS intents,
       (SELECT COUNT(*) FROM sold WHERE sold.rep_id = p.rep_id AND sold.industry IS p.industry)
           AS orders,
       (SELECT COUNT(DISTINCT sold.customer_id) FROM sold
        WHERE sold.rep_id = p.rep_id AND sold.industry IS p.industry
          AND sold.customer_id IN (SELECT customer_id FROM seen WHERE seen.rep_id = p.rep_id))
           AS won,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM sold
        WHERE sold.rep_id = p.rep_id AND sold.industry IS p.industry) AS revenue
FROM pairs p
JOIN rep r ON r.id = p.rep_id)sql",
                                  visit_period, order_period);
    std::string wanted = industry ? text::match_key(*industry) : std::string();
    // Each industry is normalised once, not at every comparison.
    struct Keyed {
        std::string key;
        Record record;
    };
    std::vector<Keyed> keyed;
    auto add = [&](const store::Row& row) {
        Record r;
        r.rep = row.text("handle");
        r.industry = row.optional_text("industry");
        std::string key = industry_key(r.industry);
        if (industry && key != wanted) return;
        r.customers = row.integer("customers");
        r.visits = row.integer("visits");
        r.contacts = row.integer("contacts");
        r.intents = row.integer("intents");
        r.orders = row.integer("orders");
        r.won = row.integer("won");
        r.revenue = row.integer("revenue");
        // The same industry typed in another width or case is the same industry; its customers
        // are other customers, so the counts simply add up.
        auto same = std::find_if(keyed.begin(), keyed.end(), [&](const Keyed& k) {
            return k.record.rep == r.rep && k.key == key;
        });
        if (same == keyed.end()) {
            keyed.push_back({std::move(key), std::move(r)});
            return;
        }
        Record& into = same->record;
        if (r.industry < into.industry) into.industry = r.industry;  // whatever the row order
        into.customers += r.customers;
        into.visits += r.visits;
        into.contacts += r.contacts;
        into.intents += r.intents;
        into.orders += r.orders;
        into.won += r.won;
        into.revenue += r.revenue;
    };
    // Callers hold no transaction: the read takes its own.
    s.store.read([&](store::Tx& tx) { tx.each(sql, params, add); });
    std::sort(keyed.begin(), keyed.end(), [](const Keyed& x, const Keyed& y) {
        const Record &a = x.record, &b = y.record;
        // Records without an industry go last: they say nothing about where a rep fits.
        if (a.industry.has_value() != b.industry.has_value()) return a.industry.has_value();
        if (x.key != y.key) return x.key < y.key;
        double ca =
            a.customers ? static_cast<double>(a.won) / static_cast<double>(a.customers) : -1;
        double cb =
            b.customers ? static_cast<double>(b.won) / static_cast<double>(b.customers) : -1;
        if (ca != cb) return ca > cb;
        if (a.revenue != b.revenue) return a.revenue > b.revenue;
        return a.rep < b.rep;
    });
    std::vector<Record> out;
    out.reserve(keyed.size());
    for (Keyed& k : keyed) {
        Record& r = k.record;
        if (r.customers > 0)
            r.conversion = 100.0 * static_cast<double>(r.won) / static_cast<double>(r.customers);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<Suggestion> suggest(Session& s, const std::vector<Record>& all_records,
                                std::int64_t min_customers) {
    std::vector<Candidate> sellers;
    std::vector<Suggestion> out;
    // The reps' loads and the prospects as of one moment; callers hold no transaction.
    s.store.read([&](store::Tx& tx) {
        sellers = active_sellers(tx);
        tx.each(R"sql(
SELECT c.id, c.name, c.industry FROM customer c
WHERE c.deleted_at IS NULL AND c.owner_id IS NULL AND c.no_solicitation = 0
  AND c.status IN ('prospect', 'contacted', 'interested', 'negotiating')
ORDER BY c.name_key, c.id)sql",
                {}, [&](const store::Row& row) {
                    out.push_back({.customer_id = row.integer("id"),
                                   .customer = row.text("name"),
                                   .industry = row.optional_text("industry")});
                });
    });
    std::map<std::string, Candidate*> by_handle;
    for (auto& c : sellers) by_handle[c.handle] = &c;
    std::vector<std::string> record_keys;
    for (const Record& r : all_records) record_keys.push_back(industry_key(r.industry));
    for (Suggestion& sug : out) {
        const Record* best = nullptr;
        if (sug.industry) {
            std::string key = industry_key(sug.industry);
            for (std::size_t i = 0; i < all_records.size(); ++i) {
                const Record& r = all_records[i];
                if (record_keys[i] != key || r.customers < min_customers) continue;
                auto seller = by_handle.find(r.rep);
                if (seller == by_handle.end()) continue;
                if (best == nullptr) {
                    best = &r;
                    continue;
                }
                auto rank = [&](const Record& x) {
                    return std::make_tuple(x.conversion.value_or(0), x.won, x.revenue,
                                           -by_handle[x.rep]->load);
                };
                if (rank(r) > rank(*best) || (rank(r) == rank(*best) && r.rep < best->rep))
                    best = &r;
            }
        }
        Candidate* chosen = nullptr;
        if (best != nullptr) {
            chosen = by_handle[best->rep];
            sug.basis = fmt::format("{}: won {} of {} visited ({:.0f}%)", *sug.industry, best->won,
                                    best->customers, best->conversion.value_or(0));
        } else {
            for (auto& c : sellers)
                if (chosen == nullptr || c.load < chosen->load) chosen = &c;
            std::string why = sug.industry
                                  ? fmt::format("no rep has visited at least {} customers in {}",
                                                min_customers, *sug.industry)
                                  : std::string("no industry");
            if (chosen != nullptr)
                sug.basis = fmt::format("{}; lightest load ({} open follow-up{})", why,
                                        chosen->load, chosen->load == 1 ? "" : "s");
            else
                sug.basis = why + "; no active rep";
        }
        if (chosen != nullptr) {
            sug.rep = chosen->handle;
            ++chosen->load;
        }
    }
    return out;
}

}  // namespace fieldbook::repfit
