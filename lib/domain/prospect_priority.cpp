#include "domain/prospect_priority.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "domain/vocabulary.hpp"
#include "store/tx.hpp"
#include "text/unicode.hpp"

namespace fieldbook::priority {
namespace {

constexpr double kStaffCap = 200;    // beyond this a bigger office adds no urgency
constexpr double kIdleCapDays = 30;  // a month untouched is as urgent as it gets
constexpr double kSquareMetresPerPerson = 10;

Term term(std::string name, std::string measure, double value, double weight) {
    auto points = static_cast<Hundredths>(std::llround(value * weight * 100));
    return Term{std::move(name), std::move(measure), value, weight, points};
}

// Stage reached, from visits and from the status a rep set by hand. A prospect that has only
// ever refused is a step below one never seen, so the stage weight counts against it.
int stage_of(const std::optional<std::string>& best_outcome, const std::string& status) {
    int from_outcome = 0;
    if (best_outcome) {
        // refused -1, absent 0, contact 1, interest 2, intent 3, order 4.
        from_outcome = *best_outcome == "refused" ? -1 : vocab::outcome_rank(*best_outcome) - 1;
    }
    int from_status = status == "contacted"     ? 1
                      : status == "interested"  ? 2
                      : status == "negotiating" ? 3
                                                : 0;
    return from_status > 0 ? std::max(from_outcome, from_status) : from_outcome;
}

}  // namespace

std::string stage_name(int stage) {
    static constexpr const char* kNames[] = {"refused",  "none",   "contact",
                                             "interest", "intent", "order"};
    return kNames[std::clamp(stage, -1, 4) + 1];
}

std::optional<std::int64_t> staff_from_office_size(std::string_view office_size) {
    // NFKC turns ㎡ into m2 and full-width digits into ASCII ones. The area is the number just
    // before the first unit, so "3楼300平米" is 300 and a range "300-400平米" its upper end.
    std::string s = text::match_key(office_size);
    std::size_t unit = std::string::npos;
    for (std::string_view u : {"平", "m2", "m²", "sqm"}) unit = std::min(unit, s.find(u));
    if (unit == std::string::npos) return std::nullopt;
    std::size_t end = unit;
    while (end > 0 && s[end - 1] == ' ') --end;
    std::size_t begin = end;
    auto numeric = [](char c) { return (c >= '0' && c <= '9') || c == ',' || c == '.'; };
    while (begin > 0 && numeric(s[begin - 1])) --begin;
    double area = 0, scale = 0;
    bool any_digit = false;
    for (std::size_t i = begin; i < end; ++i) {
        char c = s[i];
        if (c == ',') continue;
        if (c == '.') {
            if (scale != 0) return std::nullopt;  // "1.2.3" is not a number
            scale = 1;
            continue;
        }
        any_digit = true;
        if (scale == 0) {
            area = area * 10 + (c - '0');
        } else {
            scale /= 10;
            area += (c - '0') * scale;
        }
    }
    // No office is larger than a square kilometre; beyond it the text is a typo.
    if (!any_digit || area <= 0 || area > 1e6) return std::nullopt;
    return std::max<std::int64_t>(1, std::llround(area / kSquareMetresPerPerson));
}

std::string format_points(Hundredths points) {
    std::string sign = points < 0 ? "-" : "";
    Hundredths magnitude = points < 0 ? -points : points;
    return fmt::format("{}{}.{:02}", sign, magnitude / 100, magnitude % 100);
}

std::vector<Prospect> rank(Session& s, const PriorityWeights& weights) {
    const char* sql = R"sql(
SELECT c.id, c.name, c.name_key, c.industry, r.handle AS owner, c.status, c.source, c.headcount,
       c.office_size, c.created_at,
       (SELECT MAX(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL)
           AS last_visit,
       (SELECT v.outcome FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL
        ORDER BY CASE v.outcome WHEN 'order' THEN 6 WHEN 'intent' THEN 5 WHEN 'interest' THEN 4
                 WHEN 'contact' THEN 3 WHEN 'absent' THEN 2 ELSE 1 END DESC LIMIT 1)
           AS best_outcome,
       (SELECT k.name || ' (' || k.role || ')' FROM contact k
        WHERE k.customer_id = c.id AND k.deleted_at IS NULL
          AND k.role IN ('inside', 'purchaser', 'decision-maker')
        ORDER BY k.id LIMIT 1) AS inside_contact,
       (SELECT COUNT(*) FROM followup f
        WHERE f.rep_id = c.owner_id AND f.state = 'open' AND f.deleted_at IS NULL) AS owner_open
FROM customer c
LEFT JOIN rep r ON r.id = c.owner_id
WHERE c.deleted_at IS NULL AND c.no_solicitation = 0
  AND c.status IN ('prospect', 'contacted', 'interested', 'negotiating'))sql";
    text::Day today = s.today();
    std::vector<Prospect> prospects;
    std::vector<std::string> name_keys;
    auto score = [&](const store::Row& row) {
        Prospect p;
        p.customer_id = row.integer("id");
        p.customer = row.text("name");
        p.industry = row.optional_text("industry");
        p.owner = row.optional_text("owner");
        p.status = row.text("status");
        std::string source = row.text("source");
        auto headcount = row.optional_integer("headcount");
        auto office_size = row.optional_text("office_size");
        std::string created_at = row.text("created_at");
        auto last_visit = row.optional_text("last_visit");
        p.best_outcome = row.optional_text("best_outcome");
        auto inside_contact = row.optional_text("inside_contact");
        std::int64_t owner_open = row.integer("owner_open");

        std::string size_measure = "size unknown";
        if (headcount) {
            p.staff = headcount;
            size_measure = fmt::format("headcount {}", *headcount);
        } else if (office_size) {
            p.staff = staff_from_office_size(*office_size);
            if (p.staff) size_measure = fmt::format("≈{} staff ({})", *p.staff, *office_size);
        }
        double size = p.staff ? std::min(static_cast<double>(*p.staff), kStaffCap) / 10.0 : 0;
        p.terms.push_back(term("size", size_measure, size, weights.size));

        int stage = stage_of(p.best_outcome, p.status);
        p.stage = stage_name(stage);
        std::string stage_measure =
            p.best_outcome ? fmt::format("best outcome {}, status {}", *p.best_outcome, p.status)
                           : fmt::format("no visit yet, status {}", p.status);
        p.terms.push_back(term("stage", stage_measure, stage, weights.stage));

        p.terms.push_back(term("inside", inside_contact.value_or("no inside contact yet"),
                               inside_contact ? 1 : 0, weights.inside));

        text::Day touched =
            last_visit ? text::parse_iso_day(*last_visit)
                       : text::local_day(text::parse_iso_instant(created_at, s.zone, "created_at"),
                                         s.zone);
        p.idle_days = std::max<std::int64_t>(0, (today - touched).count());
        std::string idle_measure =
            last_visit ? fmt::format("{} days since the visit of {}", p.idle_days, *last_visit)
                       : fmt::format("{} days since added, never visited", p.idle_days);
        p.terms.push_back(term("idle", idle_measure,
                               std::min(static_cast<double>(p.idle_days), kIdleCapDays),
                               weights.idle));

        p.terms.push_back(
            term("referral", "source " + source, source == "referral" ? 1 : 0, weights.referral));

        std::string load_measure = p.owner ? fmt::format("{} has {} open follow-up{}", *p.owner,
                                                         owner_open, owner_open == 1 ? "" : "s")
                                           : "no owner";
        p.terms.push_back(term("load", load_measure, p.owner ? static_cast<double>(owner_open) : 0,
                               weights.load));

        for (auto& t : p.terms) p.score += t.points;
        prospects.push_back(std::move(p));
        name_keys.push_back(row.text("name_key"));
    };
    // Callers hold no transaction: the read takes its own.
    s.store.read([&](store::Tx& tx) { tx.each(sql, {}, score); });
    std::vector<std::size_t> order(prospects.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Prospect& x = prospects[a];
        const Prospect& y = prospects[b];
        if (x.score != y.score) return x.score > y.score;
        if (x.idle_days != y.idle_days) return x.idle_days > y.idle_days;
        if (name_keys[a] != name_keys[b]) return name_keys[a] < name_keys[b];
        return x.customer_id < y.customer_id;
    });
    std::vector<Prospect> ranked;
    ranked.reserve(order.size());
    for (std::size_t i : order) {
        ranked.push_back(std::move(prospects[i]));
        ranked.back().rank = static_cast<int>(ranked.size());
    }
    return ranked;
}

}  // namespace fieldbook::priority
