#include "domain/customers.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/buildings.hpp"
#include "domain/permissions.hpp"
#include "domain/reps.hpp"
#include "domain/vocabulary.hpp"
#include "errors.hpp"
#include "store/like.hpp"
#include "store/search_index.hpp"
#include "text/input.hpp"
#include "text/unicode.hpp"

namespace fieldbook::customers {
namespace {

constexpr const char* kSelect = R"sql(
SELECT c.id, c.uuid, c.name, b.name AS building, c.floor, c.room, c.industry, c.headcount,
       c.office_size, c.brands, c.usage, c.source, ref.name AS referred_by, r.handle AS owner,
       c.status, c.no_solicitation, c.notes, c.created_at,
       (SELECT COUNT(*) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL)
           AS visits,
       (SELECT MAX(v.day) FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL)
           AS last_visit_day,
       (SELECT v.outcome FROM visit v WHERE v.customer_id = c.id AND v.deleted_at IS NULL
        ORDER BY CASE v.outcome WHEN 'order' THEN 6 WHEN 'intent' THEN 5 WHEN 'interest' THEN 4
                 WHEN 'contact' THEN 3 WHEN 'absent' THEN 2 ELSE 1 END DESC LIMIT 1)
           AS best_outcome
FROM customer c
LEFT JOIN building b ON b.id = c.building_id
LEFT JOIN customer ref ON ref.id = c.referred_by
LEFT JOIN rep r ON r.id = c.owner_id
WHERE c.deleted_at IS NULL)sql";

Customer read(const store::Row& row) {
    Customer c;
    c.id = row.integer("id");
    c.uuid = row.text("uuid");
    c.name = row.text("name");
    c.building = row.optional_text("building");
    c.floor = row.optional_text("floor");
    c.room = row.optional_text("room");
    c.industry = row.optional_text("industry");
    c.headcount = row.optional_integer("headcount");
    c.office_size = row.optional_text("office_size");
    c.brands = row.optional_text("brands");
    c.usage = row.optional_text("usage");
    c.source = row.text("source");
    c.referred_by = row.optional_text("referred_by");
    c.owner = row.optional_text("owner");
    c.status = row.text("status");
    c.no_solicitation = row.integer("no_solicitation") != 0;
    c.notes = row.optional_text("notes");
    c.created_at = row.text("created_at");
    c.visits = row.integer("visits");
    c.last_visit_day = row.optional_text("last_visit_day");
    c.best_outcome = row.optional_text("best_outcome");
    return c;
}

std::optional<Customer> query_one(Session& s, const std::string& condition,
                                  const store::Value& param) {
    if (auto row = s.tx().one(std::string(kSelect) + " AND " + condition, {param}))
        return read(*row);
    return std::nullopt;
}

// Text fields of a customer; an empty value clears the field (on edit).
std::optional<std::string> clean(const std::optional<std::string>& v, std::string_view field) {
    auto cleaned = text::clean_text(v, field);
    if (cleaned && text::match_key(*cleaned).empty()) return std::nullopt;
    return cleaned;
}

bool same_place(const std::optional<std::string>& a, const std::optional<std::string>& b) {
    return a && b && text::match_key(*a) == text::match_key(*b);
}

// Counted on the loose keys, after the company form (有限公司, Ltd...) is gone. Short Chinese
// names often differ by one character and are two companies (熊猫 and 熊熊, 蓝天科技 and
// 蓝海科技, even 成都蓝海科技 and 成都蓝天科技: a two-character trade name in six); with
// seven or more left (西部数据云计算 beside 西部数码云计算), one character off is more likely a
// typo than a new company, and at a terminal a wrong guess costs one choice.
constexpr std::size_t kFuzzyMinLength = 7;
// ...unless the character is one of the first two: a name that starts with its two-character
// trade name (明理律师事务所, 明衡律师事务所) names another firm by changing it.
constexpr std::size_t kFuzzyFixedStart = 2;

// The first n code points of a key.
std::string_view first_code_points(std::string_view s, std::size_t n) {
    std::size_t end = 0;
    for (; n > 0 && end < s.size(); --n) {
        auto lead = static_cast<unsigned char>(s[end]);
        end += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    }
    return s.substr(0, std::min(end, s.size()));
}
// "蓝海" typed for 蓝海数据科技 is a shortened name, not a new company.
constexpr std::size_t kPartMinLength = 2;

struct Resolved {
    std::string name;
    std::optional<std::int64_t> building_id;
    std::optional<std::int64_t> referred_by;
    std::optional<std::int64_t> owner_id;
    std::optional<std::string> source;
    std::optional<std::string> status;
};

// Validates the fields and turns references (building, referrer, owner) into ids.
Resolved resolve_fields(Session& s, const CustomerFields& f) {
    Resolved r;
    if (f.name) {
        r.name = text::clean_input(*f.name, "name");
        if (text::match_key(r.name).empty()) throw UsageError("name: must not be empty");
        if (text::codepoint_count(r.name) > 200)
            throw UsageError("name: longer than 200 characters");
    }
    if (f.building) {
        if (text::match_key(*f.building).empty()) throw UsageError("building: must not be empty");
        r.building_id = buildings::find_or_create(s, {.name = *f.building});
    }
    if (f.referred_by) r.referred_by = resolve(s, *f.referred_by).id;
    if (f.owner) r.owner_id = reps::require(s, *f.owner, "owner").id;
    if (f.source) r.source = vocab::parse("source", *f.source, vocab::sources);
    if (f.status) r.status = vocab::parse("status", *f.status, vocab::statuses);
    check_headcount(f.headcount);
    return r;
}

}  // namespace

void check_headcount(const std::optional<std::int64_t>& headcount) {
    constexpr std::int64_t kMaxHeadcount = 1'000'000;
    if (headcount && (*headcount < 0 || *headcount > kMaxHeadcount))
        throw UsageError(
            fmt::format("headcount: {} is out of range (0 to {})", *headcount, kMaxHeadcount));
}

std::vector<Duplicate> likely_duplicates(Session& s, std::string_view name,
                                         const std::optional<std::string>& building,
                                         const std::optional<std::string>& floor,
                                         const std::optional<std::string>& room) {
    std::vector<Duplicate> found;
    auto seen = [&](std::int64_t id) {
        for (auto& d : found)
            if (d.existing.id == id) return true;
        return false;
    };
    std::string key = text::match_key(name);
    std::string loose = text::loose_key(name);
    found = same_room(s, name, building, floor, room);
    // Only the customers that can pass one of lookalike_reason's rules come back: the same
    // loose key, a length within one character (for the one-character rule), or one name
    // inside the other. The database still reads every customer's keys once (no index serves
    // a length or a LIKE '%...%'), but no row crosses to this side, and no edit distance is
    // computed, for the many that cannot look alike.
    auto length = static_cast<std::int64_t>(text::codepoint_count(loose));
    s.tx().each(
        "SELECT id, loose_key FROM customer WHERE deleted_at IS NULL AND name_key <> ? "
        "AND (loose_key = ? OR LENGTH(loose_key) BETWEEN ? AND ? "
        "OR loose_key LIKE ? ESCAPE '\\' OR ? LIKE ('%' || loose_key || '%')) "
        "ORDER BY id",
        {key, loose, length - 1, length + 1, store::like_contains(loose), loose},
        [&](const store::Row& row) {
            std::int64_t id = row.integer("id");
            std::string reason = lookalike_reason(loose, row.text("loose_key"));
            if (!reason.empty() && !seen(id))
                if (auto c = get(s, id)) found.push_back({*c, reason});
        });
    return found;
}

std::vector<Duplicate> same_room(Session& s, std::string_view name,
                                 const std::optional<std::string>& building,
                                 const std::optional<std::string>& floor,
                                 const std::optional<std::string>& room) {
    std::vector<Duplicate> found;
    if (!building || !room) return found;
    auto building_id = buildings::find(s, *building);
    if (!building_id) return found;
    s.tx().each(
        std::string(kSelect) + " AND c.building_id = ? AND c.name_key <> ?",
        {*building_id, text::match_key(name)}, [&](const store::Row& row) {
            Customer c = read(row);
            if (same_place(c.room, room) && (!floor || !c.floor || same_place(c.floor, floor)))
                found.push_back({c, fmt::format("also in room {} of {}", *room, *building)});
        });
    return found;
}

std::string lookalike_reason(std::string_view loose, std::string_view other) {
    std::size_t length = text::codepoint_count(loose);
    std::size_t other_length = text::codepoint_count(other);
    if (other == loose)
        return "the name differs only in spacing, punctuation, width, case or company form";
    if (length >= kFuzzyMinLength && other_length >= kFuzzyMinLength &&
        first_code_points(loose, kFuzzyFixedStart) == first_code_points(other, kFuzzyFixedStart) &&
        text::edit_distance(other, loose) <= 1)
        return "the name differs by one character";
    if (length >= kPartMinLength && other.find(loose) != std::string_view::npos)
        return "the name is part of this one";
    if (other_length >= kPartMinLength && loose.find(other) != std::string_view::npos)
        return "this name is part of the new one";
    return {};
}

Customer add(Session& s, const CustomerFields& fields, bool allow_duplicate) {
    if (!fields.name) throw UsageError("name: missing");
    Resolved r = resolve_fields(s, fields);
    if (find_by_name(s, r.name))
        throw UsageError(fmt::format("name: customer '{}' already exists", r.name));
    if (!allow_duplicate) {
        auto dups = likely_duplicates(s, r.name, fields.building, fields.floor, fields.room);
        if (!dups.empty()) {
            std::string list;
            for (auto& d : dups)
                list += fmt::format("\n  #{} {} ({})", d.existing.id, d.existing.name, d.reason);
            throw UsageError(
                fmt::format("customer '{}' looks like an existing one:{}", r.name, list),
                "use the existing name, or pass --new to create it anyway");
        }
    }
    auto inserted = s.tx().insert(
        "customer",
        {{"name", r.name},
         {"name_key", text::match_key(r.name)},
         {"loose_key", text::loose_key(r.name)},
         {"building_id", store::value_of(r.building_id)},
         {"floor", store::value_of(clean(fields.floor, "floor"))},
         {"room", store::value_of(clean(fields.room, "room"))},
         {"industry", store::value_of(clean(fields.industry, "industry"))},
         {"headcount", store::value_of(fields.headcount)},
         {"office_size", store::value_of(clean(fields.office_size, "office size"))},
         {"brands", store::value_of(clean(fields.brands, "brands"))},
         {"usage", store::value_of(clean(fields.usage, "usage"))},
         {"source", r.source.value_or(fields.referred_by ? "referral" : "sweep")},
         {"referred_by", store::value_of(r.referred_by)},
         {"owner_id", store::value_of(r.owner_id)},
         {"status", r.status.value_or("prospect")},
         {"no_solicitation", std::int64_t{fields.no_solicitation.value_or(false) ? 1 : 0}},
         {"notes", store::value_of(clean(fields.notes, "notes"))}});
    return *get(s, inserted.id);
}

Customer edit(Session& s, std::int64_t id, const CustomerFields& changes) {
    Customer before = get(s, id).value();
    Resolved r = resolve_fields(s, changes);
    if (r.referred_by == id) throw UsageError("--referred-by: a customer cannot refer itself");
    if (changes.name) {
        if (auto other = find_by_name(s, r.name); other && other->id != id)
            throw UsageError(
                fmt::format("name: customer '{}' already exists (#{})", r.name, other->id));
    }
    // Each given field overwrites; the rest stay. Text cleared with "" becomes NULL.
    store::Fields set;
    auto text_field = [&](const char* column, const std::optional<std::string>& v,
                          std::string_view field) {
        if (v) set.emplace_back(column, store::value_of(clean(v, field)));
    };
    if (changes.name) {
        set.emplace_back("name", r.name);
        set.emplace_back("name_key", text::match_key(r.name));
        set.emplace_back("loose_key", text::loose_key(r.name));
    }
    if (r.building_id) set.emplace_back("building_id", *r.building_id);
    text_field("floor", changes.floor, "floor");
    text_field("room", changes.room, "room");
    text_field("industry", changes.industry, "industry");
    if (changes.headcount) set.emplace_back("headcount", *changes.headcount);
    text_field("office_size", changes.office_size, "office size");
    text_field("brands", changes.brands, "brands");
    text_field("usage", changes.usage, "usage");
    if (r.source) set.emplace_back("source", *r.source);
    if (r.referred_by) set.emplace_back("referred_by", *r.referred_by);
    if (r.owner_id) set.emplace_back("owner_id", *r.owner_id);
    if (r.status) set.emplace_back("status", *r.status);
    if (changes.no_solicitation)
        set.emplace_back("no_solicitation", std::int64_t{*changes.no_solicitation ? 1 : 0});
    text_field("notes", changes.notes, "notes");
    s.tx().update("customer", id, set);
    if (changes.name && r.name != before.name) store::index_customer_visits(s.store, id);
    if (changes.building && !same_place(changes.building, before.building))
        store::index_customer_visits(s.store, id);
    return *get(s, id);
}

namespace {

// Handing a customer to a rep changes that rep's records.
void require_may_give(Session& s, const reps::Rep& by, std::string_view action,
                      const CustomerFields& fields) {
    if (!fields.owner) return;
    std::string owner = reps::require(s, *fields.owner, "owner").handle;
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::customer,
                          .record = "the customers owned by " + owner,
                          .owner = owner});
}

}  // namespace

void require_may_change(Session& s, const reps::Rep& by, std::string_view action,
                        const Customer& customer) {
    permissions::require(s, by,
                         {.action = action,
                          .kind = permissions::Kind::customer,
                          .record = fmt::format("customer #{} {}", customer.id, customer.name),
                          .owner = customer.owner});
}

Customer add(Session& s, const reps::Rep& by, const CustomerFields& fields, bool allow_duplicate) {
    require_may_give(s, by, "customer add", fields);
    return add(s, fields, allow_duplicate);
}

Customer edit(Session& s, const reps::Rep& by, std::int64_t id, const CustomerFields& changes) {
    Customer before = get(s, id).value();
    require_may_change(s, by, "customer edit", before);
    if (changes.owner && reps::require(s, *changes.owner, "owner").handle != before.owner)
        require_may_give(s, by, "customer edit", changes);
    return edit(s, id, changes);
}

std::optional<Customer> find_by_name(Session& s, std::string_view name) {
    std::string key = text::match_key(name);
    return query_one(s, "c.name_key = ?", key);
}

std::optional<Customer> get(Session& s, std::int64_t id) {
    return query_one(s, "c.id = ?", id);
}

Customer resolve(Session& s, std::string_view reference) {
    std::string key = text::match_key(reference);
    if (key.empty()) throw UsageError("customer: must not be empty");
    if (auto id = text::parse_id(key))
        if (auto c = get(s, *id)) return *c;
    if (auto c = find_by_name(s, key)) return *c;
    if (auto c = follow_merge(s, reference)) return *c;
    std::vector<Customer> matches;
    list(s, {.name_contains = key}, [&](const Customer& c) { matches.push_back(c); });
    if (matches.size() == 1) return matches.front();
    if (matches.empty())
        throw NotFound(fmt::format("customer: no customer matches '{}'", reference),
                       "see `fieldbook customer list`");
    // Enough to tell them apart (where each is), not so many that the list scrolls away.
    constexpr std::size_t kCandidatesShown = 10;
    std::string names;
    for (std::size_t i = 0; i < matches.size() && i < kCandidatesShown; ++i) {
        const Customer& m = matches[i];
        std::string where = m.building.value_or("");
        if (m.room) where += (where.empty() ? "room " : " ") + *m.room;
        names += fmt::format("\n  #{} {}{}", m.id, m.name, where.empty() ? "" : " (" + where + ")");
    }
    if (matches.size() > kCandidatesShown)
        names += fmt::format("\n  ... and {} more", matches.size() - kCandidatesShown);
    throw UsageError(
        fmt::format("customer: '{}' matches {} customers:{}", reference, matches.size(), names),
        "name one by its id or its full name");
}

std::optional<Customer> follow_merge(Session& s, std::string_view reference) {
    std::string key = text::match_key(reference);
    if (key.empty()) return std::nullopt;
    // A merged customer is kept, tombstoned, naming the one it went into; the newest of the
    // same name first, should a name have been merged away twice.
    std::optional<std::int64_t> next;
    if (auto id = text::parse_id(key))
        if (auto row = s.tx().one(
                "SELECT merged_into FROM customer WHERE id = ? AND deleted_at IS NOT NULL", {*id}))
            next = row->optional_integer("merged_into");
    if (!next)
        if (auto row = s.tx().one(
                "SELECT merged_into FROM customer WHERE name_key = ? AND merged_into IS NOT NULL "
                "AND deleted_at IS NOT NULL ORDER BY id DESC LIMIT 1",
                {key}))
            next = row->optional_integer("merged_into");
    // Merged into one that was merged in turn: on to the end of the chain (a chain is never
    // longer than the customers there are; the bound only guards a damaged store).
    for (int hops = 0; next && hops < 1000; ++hops) {
        if (auto c = get(s, *next)) return c;
        auto row = s.tx().one("SELECT merged_into FROM customer WHERE id = ?", {*next});
        next = row ? row->optional_integer("merged_into") : std::nullopt;
    }
    return std::nullopt;
}

void list(Session& s, const Filter& filter, const std::function<void(const Customer&)>& each) {
    std::string sql = kSelect;
    store::Values values;
    if (filter.building) {
        if (!buildings::find(s, *filter.building))
            throw NotFound(fmt::format("building: no building named '{}'", *filter.building));
        sql += " AND b.name_key = ?";
        values.push_back(text::match_key(*filter.building));
    }
    if (filter.industry) {
        sql += " AND c.industry = ?";
        values.push_back(text::clean_input(*filter.industry, "industry"));
    }
    if (filter.status) {
        sql += " AND c.status = ?";
        values.push_back(vocab::parse("status", *filter.status, vocab::statuses));
    }
    if (filter.owner) {
        sql += " AND r.handle = ?";
        values.push_back(reps::require(s, *filter.owner, "owner").handle);
    }
    if (filter.name_contains) {
        sql += " AND c.name_key LIKE ? ESCAPE '\\'";
        values.push_back(store::like_contains(text::match_key(*filter.name_contains)));
    }
    sql += " ORDER BY c.name_key, c.id";
    s.tx().each(sql, values, [&](const store::Row& row) { each(read(row)); });
}

}  // namespace fieldbook::customers
